/**
 * A fast path for the block YAML that codebooks, panels, plans and the
 * project file are written in: nested block mappings and sequences (`- id:`
 * items), plain and quoted one-line scalars, one-line flow lists, literal and
 * folded block scalars (`|`, `|-`, `>`, `>-`) and full-line comments. The
 * `yaml` library takes about 50 ms to load and, cold, 60 to 100 ms to read
 * a codebook of a few hundred lines: more than `verbatim tag` spends on
 * 10 MB of transcripts. This path gives the same data and the same
 * positions as the library for that subset and declines (returns undefined)
 * anything else, which then goes to the library: tabs, anchors, aliases,
 * tags, flow mappings, multi-line flow or quoted scalars, trailing comments,
 * duplicate keys, `key:` followed by a sequence at the same indentation,
 * block scalars with indentation or keep indicators, more-indented or blank
 * lines in folded scalars, special numbers. A property test compares both on
 * generated documents (tests/property/block-yaml.test.ts).
 */

/**
 * The data, and the positions of every key and value keyed by their path
 * joined with `\u0000`, and of the document's mapping.
 */
export interface BlockYaml {
  data: Record<string, unknown>;
  values: Map<string, [number, number]>;
  keys: Map<string, [number, number]>;
  root: [number, number];
}

/** The keys the fast path reads (others, quoted ones included, go to the library). */
const KEY = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/** Plain scalars that YAML 1.2's core schema reads as something else than a string. */
const NOT_A_STRING = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
/** A plain scalar cannot start with one of these. */
const INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`]/;

/** What the library reports as positions: start, end of the value, end with the rest of its line. */
type Range = [number, number, number];

interface Line {
  start: number;
  /** End of the line's text (before its `\n`). */
  end: number;
  indent: number;
  /** Nothing but spaces. */
  blank: boolean;
  /** Blank or a full-line comment. */
  skip: boolean;
}

const INTEGER = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/** Declines: the caller then uses the library. */
class Decline extends Error {}

/** Parses `text` if it is in the subset (see the module comment); undefined otherwise. */
export function parseBlockYaml(text: string): BlockYaml | undefined {
  if (text.includes('\t') || text.includes('\r') || text.includes('\u2028') || text.includes('\u2029') || text.includes('\ufeff')) return undefined;
  if (!text.endsWith('\n')) return undefined;
  try {
    return new BlockParser(text).document();
  } catch (error) {
    if (error instanceof Decline) return undefined;
    throw error;
  }
}

class BlockParser {
  private readonly lines: Line[] = [];
  /** The next line to read. */
  private at = 0;
  private readonly values = new Map<string, [number, number]>();
  private readonly keys = new Map<string, [number, number]>();

  constructor(private readonly text: string) {
    for (let start = 0; start < text.length; ) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      let indent = 0;
      while (text.charCodeAt(start + indent) === 0x20) indent++;
      const first = text[start + indent];
      const blank = start + indent === end;
      this.lines.push({ start, end, indent, blank, skip: blank || first === '#' });
      start = end + 1;
    }
  }

  document(): BlockYaml {
    this.skipBlank(true);
    const first = this.lines[this.at];
    if (!first || first.indent !== 0) throw new Decline();
    const content = this.content(first, 0);
    // Document markers and directives are the library's.
    if (content.startsWith('---') || content.startsWith('...') || content.startsWith('%')) throw new Decline();
    if (isItem(content)) throw new Decline(); // a top-level list: the callers want a mapping
    const root = this.mapping(0, false, undefined);
    this.skipBlank();
    if (this.at < this.lines.length) throw new Decline();
    return { data: root.value as Record<string, unknown>, values: this.values, keys: this.keys, root: [root.range[0], root.range[1]] };
  }

  /**
   * Steps over blank lines and comments. The library counts a comment in the
   * extent of the node before it when the comment does not lead the next
   * entry at the entry's own indentation (and after a null value, always):
   * those comments are declined, but before the first entry.
   */
  private skipBlank(leading = false): void {
    while (this.at < this.lines.length && (this.lines[this.at] as Line).skip) {
      const line = this.lines[this.at] as Line;
      if (!leading && !line.blank) {
        let next = this.at + 1;
        while (next < this.lines.length && (this.lines[next] as Line).skip) next++;
        if (next === this.lines.length || (this.lines[next] as Line).indent !== line.indent) throw new Decline();
      }
      this.at++;
    }
  }

  /** The text of a line from column `column` on. */
  private content(line: Line, column: number): string {
    return this.text.slice(line.start + column, line.end);
  }

  /** The end of a line with its `\n`. */
  private after(line: Line): number {
    return Math.min(this.text.length, line.end + 1);
  }

  /**
   * A block mapping whose keys are at column `column`; with `inline`, its
   * first key is on the current line after `- `.
   */
  private mapping(column: number, inline: boolean, path: string | undefined): { value: unknown; range: Range } {
    const map: Record<string, unknown> = {};
    let start = -1;
    let end = 0;
    let first = true;
    for (;;) {
      if (!(first && inline)) {
        this.skipBlank();
        const next = this.lines[this.at];
        if (!next) break;
        if (next.indent !== column) {
          if (next.indent > column) throw new Decline();
          break;
        }
      }
      const line = this.lines[this.at] as Line;
      first = false;
      const rest = this.content(line, column);
      if (isItem(rest)) throw new Decline();
      const colon = rest.indexOf(':');
      if (colon <= 0) throw new Decline();
      const key = rest.slice(0, colon);
      if (!KEY.test(key) || Object.prototype.hasOwnProperty.call(map, key)) throw new Decline();
      const afterColon = rest.slice(colon + 1);
      if (afterColon !== '' && !afterColon.startsWith(' ')) throw new Decline();
      const keyStart = line.start + column;
      if (start < 0) start = keyStart;
      const childPath = child(path, key);
      this.keys.set(childPath, [keyStart, keyStart + key.length]);
      const raw = afterColon.trim();
      const valueStart = keyStart + colon + 1 + (afterColon.length - afterColon.trimStart().length);
      let node: { value: unknown; range: Range };
      if (raw === '') {
        this.at++;
        const keyLine = this.at;
        this.skipBlank();
        const next = this.lines[this.at];
        if (next && next.indent > column) node = this.block(next.indent, childPath);
        else if (next && next.indent === column && isItem(this.content(next, column))) throw new Decline();
        else {
          // `key:` and nothing under it: null, at the end of the key's line (as the library places it), which
          // would stretch over comments that follow.
          for (let k = keyLine; k < this.at; k++) if (!(this.lines[k] as Line).blank) throw new Decline();
          const at = line.end;
          node = { value: null, range: [at, at, at] };
        }
      } else if (raw[0] === '|' || raw[0] === '>') {
        node = this.blockScalar(raw, valueStart, column);
      } else {
        node = this.inline(raw, valueStart, childPath);
        node.range[2] = this.after(line);
        this.at++;
      }
      this.values.set(childPath, [node.range[0], node.range[1]]);
      map[key] = node.value;
      end = node.range[2];
    }
    return { value: map, range: [start, end, end] };
  }

  /** A mapping or a sequence whose lines start at column `column` (the current line). */
  private block(column: number, path: string | undefined): { value: unknown; range: Range } {
    const line = this.lines[this.at] as Line;
    const rest = this.content(line, column);
    return rest.startsWith('- ') ? this.sequence(column, path) : this.mapping(column, false, path);
  }

  /** A block sequence whose dashes are at column `column`. */
  private sequence(column: number, path: string | undefined): { value: unknown; range: Range } {
    const items: unknown[] = [];
    let start = -1;
    let end = 0;
    for (;;) {
      this.skipBlank();
      const line = this.lines[this.at];
      if (!line || line.indent < column) break;
      if (line.indent > column) throw new Decline();
      const rest = this.content(line, column);
      if (!rest.startsWith('- ')) {
        if (rest === '-') throw new Decline();
        break;
      }
      if (start < 0) start = line.start + column;
      const item = rest.slice(2);
      if (item.startsWith(' ') || item === '') throw new Decline();
      const itemPath = child(path, items.length);
      let node: { value: unknown; range: Range };
      const colon = item.indexOf(':');
      if (colon > 0 && KEY.test(item.slice(0, colon)) && (item.length === colon + 1 || item[colon + 1] === ' ')) {
        node = this.mapping(column + 2, true, itemPath);
      } else {
        if (item.startsWith('- ') || item[0] === '|' || item[0] === '>') throw new Decline();
        node = this.inline(item.trimEnd(), line.start + column + 2, itemPath);
        node.range[2] = this.after(line);
        this.at++;
      }
      this.values.set(itemPath, [node.range[0], node.range[1]]);
      items.push(node.value);
      end = node.range[2];
    }
    return { value: items, range: [start, end, end] };
  }

  /** A block scalar whose header `raw` is at `at`, under a key at column `column`. */
  private blockScalar(raw: string, at: number, column: number): { value: unknown; range: Range } {
    if (raw !== '|' && raw !== '|-' && raw !== '>' && raw !== '>-') throw new Decline();
    this.at++;
    const lines: string[] = [];
    let indent = -1;
    let end = -1;
    let blankRun = 0;
    while (this.at < this.lines.length) {
      const line = this.lines[this.at] as Line;
      if (line.blank) {
        // A blank line: part of the scalar if more content follows; it must be empty (spaces in it change the rules).
        if (line.indent > 0) throw new Decline();
        blankRun++;
        this.at++;
        continue;
      }
      if (indent < 0) {
        if (line.indent <= column) break;
        indent = line.indent;
      }
      if (line.indent < indent) break;
      if (blankRun > 0) {
        if (raw[0] === '>') throw new Decline();
        for (; blankRun > 0; blankRun--) lines.push('');
      }
      if (raw[0] === '>' && line.indent > indent) throw new Decline();
      lines.push(this.content(line, indent));
      end = this.after(line);
      this.at++;
    }
    if (lines.length === 0) throw new Decline();
    // Trailing blank lines belong to what follows: step back over them.
    while (blankRun > 0) {
      this.at--;
      blankRun--;
    }
    const body = raw[0] === '|' ? lines.join('\n') : lines.join(' ');
    return { value: raw.endsWith('-') ? body : `${body}\n`, range: [at, end, end] };
  }

  /** A one-line scalar or flow list `raw` at `start`; its range's third number is set by the caller. */
  private inline(raw: string, start: number, path: string): { value: unknown; range: Range } {
    if (raw.startsWith('[')) {
      if (!raw.endsWith(']')) throw new Decline();
      const inner = raw.slice(1, -1);
      const items: unknown[] = [];
      if (inner.trim() !== '') {
        let offset = start + 1;
        for (const part of splitFlow(inner)) {
          const lead = part.length - part.trimStart().length;
          const item = part.trim();
          const v = scalar(item, true);
          const itemStart = offset + lead;
          this.values.set(child(path, items.length), [itemStart, itemStart + item.length]);
          items.push(v);
          offset += part.length + 1;
        }
      }
      return { value: items, range: [start, start + raw.length, 0] };
    }
    return { value: scalar(raw, false), range: [start, start + raw.length, 0] };
  }
}

/** The items of a one-line flow list, split at the commas outside quotes. */
function splitFlow(inner: string): string[] {
  const parts: string[] = [];
  let from = 0;
  let quote = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (quote === "'") {
      if (c === "'") {
        if (inner[i + 1] === "'") i++;
        else quote = '';
      }
    } else if (quote === '"') {
      if (c === '\\') i++;
      else if (c === '"') quote = '';
    } else if (c === "'" || c === '"') {
      // A quote opens a quoted item only at its start (after blanks); elsewhere it is part of a plain one.
      if (inner.slice(from, i).trim() === '') quote = c;
    } else if (c === ',') {
      parts.push(inner.slice(from, i));
      from = i + 1;
    }
  }
  if (quote !== '') throw new Decline();
  parts.push(inner.slice(from));
  return parts;
}

/** Whether a line's text (from its indentation on) is a block sequence item, `- …` or a lone `-`. */
function isItem(rest: string): boolean {
  return rest.startsWith('- ') || rest === '-';
}

/**
 * The key in the position maps of the child `key` of the node at `path` (a
 * key itself, undefined for the document): the path's keys and indices joined
 * with `\u0000`, built a step at a time.
 */
function child(path: string | undefined, key: string | number): string {
  return path === undefined ? String(key) : `${path}\u0000${key}`;
}

/** The value of a one-line scalar, as the library's core schema reads it; declines what needs more rules. */
function scalar(raw: string, inFlow: boolean): unknown {
  if (raw === '') throw new Decline();
  const q = raw[0];
  if (q === "'") {
    if (raw.length < 2 || raw[raw.length - 1] !== q) throw new Decline();
    const inner = raw.slice(1, -1);
    // `''` is a quote; a lone quote would end the scalar early.
    if (inner.replace(/''/g, '').includes("'")) throw new Decline();
    return inner.replace(/''/g, "'");
  }
  if (q === '"') {
    if (raw.length < 2 || raw[raw.length - 1] !== q) throw new Decline();
    const inner = raw.slice(1, -1);
    if (/\\(?!["\\/nt])|(?<!\\)"/.test(inner.replace(/\\\\/g, ''))) throw new Decline();
    return inner.replace(/\\(["\\/nt])/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
  }
  if (INDICATOR.test(raw) || raw.includes(': ') || raw.includes(' #') || raw.endsWith(':')) throw new Decline();
  if (inFlow && /[[\]{},]/.test(raw)) throw new Decline();
  if (NOT_A_STRING.test(raw)) {
    if (inFlow) throw new Decline();
    if (raw === '~' || raw === 'null' || raw === 'Null' || raw === 'NULL') return null;
    if (raw === 'true' || raw === 'True' || raw === 'TRUE') return true;
    if (raw === 'false' || raw === 'False' || raw === 'FALSE') return false;
    if (INTEGER.test(raw) || FLOAT.test(raw)) return Number(raw);
    throw new Decline();
  }
  return raw;
}
