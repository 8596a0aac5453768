/**
 * The only module that touches the `yaml` library's document model: it turns
 * YAML text into plain data plus a way back from a data path to offsets in the
 * file, so that every later diagnostic can point at the right line and column.
 */
import { createRequire } from 'node:module';
import type * as YamlLibrary from 'yaml';
import type { Document, Node } from 'yaml';
import type { SourceFile } from '../core/source-file.js';
import { parseBlockYaml, type BlockYaml } from './block-yaml.js';

/** The `yaml` library, loaded on first use: the fast path reads most project files without it (about 50 ms and 9 MB saved). */
let library: typeof YamlLibrary | undefined;
function yaml(): typeof YamlLibrary {
  library ??= createRequire(import.meta.url)('yaml') as typeof YamlLibrary;
  return library;
}

/** A path into YAML data: mapping keys and sequence indices. */
export type DataPath = readonly (string | number)[];

/** Parsed YAML with positions. */
export interface YamlData {
  /** The plain value (objects, arrays, strings, numbers, booleans, null). */
  data: unknown;
  /**
   * Offsets in the file of the node at `path`, or of its key with `part: 'key'`;
   * undefined when the path does not exist.
   */
  range(path: DataPath, part?: 'key' | 'value'): [number, number] | undefined;
  /** Like {@link range} but falls back to the nearest existing ancestor. */
  nearest(path: DataPath, part?: 'key' | 'value'): [number, number];
}

/** Bounds that keep hostile YAML from exhausting memory or the stack. */
const MAX_ALIASES = 100;
const MAX_DEPTH = 64;

/**
 * Parses the YAML in `file.text[start, end)`. Syntax errors are reported at the
 * parser's own position (shifted into the file) and make the result undefined.
 */
export function parseYaml(file: SourceFile, start = 0, end = file.text.length, options: { library?: boolean } = {}): YamlData | undefined {
  const text = file.text.slice(start, end);
  // The fast path for block YAML (front matter, codebooks, panels, plans), unless the library is asked for (tests compare them).
  if (!options.library) {
    const fast = parseBlockYaml(text);
    if (fast) return checkedTexts(fastData(fast, start), file);
  }
  const { parseDocument } = yaml();
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true });
  } catch (error) {
    file.fail('yaml-limit', `The YAML could not be parsed (${describe(error)}); simplify its structure.`, [start, start]);
    return undefined;
  }
  // Only the first error: the ones after it are usually its echoes.
  const e = doc.errors[0];
  if (e) {
    const [s, t] = e.pos;
    const opened = e.code === 'MISSING_CHAR' ? openingQuote(doc, s) : undefined;
    if (e.code === 'DUPLICATE_KEY') {
      const key = /^[^:\n]*/.exec(text.slice(s))?.[0].trim().replace(/^['"]|['"]$/g, '') || 'key';
      file.fail('duplicate-key', `The key \`${key}\` appears twice in this mapping; keep one of them.`, [start + s, start + Math.max(s, t)]);
    } else if (/Maximum call stack/i.test(e.message)) {
      // The yaml library recurses on nesting: thousands of `[` exhaust the stack before our depth check runs.
      file.fail('yaml-limit', `The YAML is nested too deeply to be read (more than ${MAX_DEPTH} levels is refused); flatten it.`, [start + s, start + s]);
    } else if (opened !== undefined) {
      // An unclosed quote is found at the end of the file; the mistake is where the quote opens.
      const quote = text[opened] ?? '"';
      file.fail('yaml-syntax', `This quoted text is never closed: add the closing \`${quote}\` (or escape the quote inside it).`, [start + opened, start + opened + 1]);
    } else {
      const hint = hintOf(text, e.code, e.message, s, t, start === 0 ? 0 : file.lines.point(start).line - 1);
      if (hint) file.fail('yaml-syntax', hint.message, [start + hint.range[0], start + hint.range[1]], { note: `The YAML parser says: ${sentence(e.message)}.` });
      else file.fail('yaml-syntax', `${sentence(e.message)}.`, [start + s, start + Math.max(s, t)]);
    }
  }
  for (const w of doc.warnings) {
    const [s, t] = w.pos;
    file.report('yaml-syntax', `${sentence(w.message)}.`, [start + s, start + Math.max(s, t)], { severity: 'warning' });
  }
  if (doc.errors.length > 0) return undefined;

  const depth = maxDepth(doc.contents);
  if (depth > MAX_DEPTH) {
    file.fail('yaml-limit', `The YAML is nested more than ${MAX_DEPTH} levels deep; flatten it.`, [start, start]);
    return undefined;
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    file.fail('yaml-limit', `The YAML could not be read (${describe(error)}); remove the aliases (\`*name\`) that repeat large parts.`, [start, start]);
    return undefined;
  }

  const range = (path: DataPath, part: 'key' | 'value' = 'value'): [number, number] | undefined => {
    const found = locate(doc.contents, path);
    if (!found) return undefined;
    const node = part === 'key' && found.key ? found.key : found.node;
    const r = node?.range;
    if (!r) return found.key?.range ? [start + found.key.range[0], start + found.key.range[1]] : undefined;
    return [start + r[0], start + r[1]];
  };
  const nearest = (path: DataPath, part: 'key' | 'value' = 'value'): [number, number] => {
    for (let n = path.length; n >= 0; n--) {
      const r = range(path.slice(0, n), n === path.length ? part : 'key');
      if (r) return r;
    }
    return [start, start];
  };
  return checkedTexts({ data, range, nearest }, file);
}

/** What {@link checkedTexts} leaves of a value no format takes. */
const DROPPED = Symbol('dropped');

/** True for `{}`-like objects (what YAML mappings become), as opposed to class instances such as a Buffer or a Map. */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The YAML tag a non-plain value comes from, for messages. */
function tagName(value: object): string {
  if (value instanceof Uint8Array) return 'binary';
  if (value instanceof Date) return 'timestamp';
  if (value instanceof Set) return 'set';
  if (value instanceof Map) return 'omap';
  return 'tag';
}

/**
 * A character no text of a project should hold: a C0 control other than tab
 * and line ends, DEL, or half of a UTF-16 surrogate pair. YAML escapes write
 * them (`"\0"`, `"\x1b"`, `"\uD800"`); they would end up in reports (a NUL byte
 * makes the report unreadable, an unpaired surrogate cannot be written as
 * UTF-8 at all) and in terminals (an escape sequence).
 */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const BAD_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u;

/**
 * Reports `invalid-value` at every key or text of the data that holds a
 * {@link BAD_CHARACTER}, and replaces such characters by U+FFFD in the data,
 * so that nothing downstream carries them.
 */
function checkedTexts(yaml: YamlData, file: SourceFile): YamlData {
  const clean = (text: string, path: DataPath, part: 'key' | 'value'): string => {
    const m = BAD_CHARACTER.exec(text);
    if (!m) return text;
    const unit = m[0].charCodeAt(0);
    const code = unit.toString(16).toUpperCase().padStart(4, '0');
    const what = unit >= 0xd800 && unit <= 0xdfff ? `half of a surrogate pair (U+${code}, from an escape such as \`\\u${code}\`), which no UTF-8 file can hold` : `a control character (U+${code}), which would break reports and terminals`;
    file.report('invalid-value', `This ${part === 'key' ? 'key' : 'text'} holds ${what}: remove it (a tab is \`\\t\`, a line break a new line).`, yaml.nearest(path, part));
    return text.replace(new RegExp(BAD_CHARACTER.source, 'gu'), '\ufffd');
  };
  const walk = (value: unknown, path: (string | number)[]): unknown => {
    if (typeof value === 'string') return clean(value, path, 'value');
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && !isPlainObject(value)) {
      // `!!binary` (a Buffer), `!!set`, `!!omap`, `!!timestamp`: no format of Verbatim takes them, and their
      // inherited properties would be read as keys (a Buffer's `offset` changes from run to run).
      file.report('invalid-type', `This value is a YAML \`!!${tagName(value)}\`, which no key here takes: write plain text, a list or a mapping.`, yaml.nearest(path, 'value'));
      return DROPPED;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        const child = walk(v, [...path, i]);
        value[i] = child === DROPPED ? null : child;
      });
      return value;
    }
    if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const child = walk(record[key], [...path, key]);
        const fixed = clean(key, [...path, key], 'key');
        if (fixed !== key || child === DROPPED) delete record[key];
        // A dropped value goes with its key, so that the schema does not report it a second time.
        if (child !== DROPPED) record[fixed] = child;
      }
    }
    return value;
  };
  const data = walk(yaml.data, []);
  yaml.data = data === DROPPED ? null : data;
  return yaml;
}

/** YamlData over the fast path's result (same data and positions as the library's). */
function fastData(fast: BlockYaml, start: number): YamlData {
  const range = (path: DataPath, part: 'key' | 'value' = 'value'): [number, number] | undefined => {
    if (path.length === 0) return [start + fast.root[0], start + fast.root[1]];
    const key = path.map(String).join('\u0000');
    const r = part === 'key' ? (fast.keys.get(key) ?? fast.values.get(key)) : fast.values.get(key);
    return r ? [start + r[0], start + r[1]] : undefined;
  };
  const nearest = (path: DataPath, part: 'key' | 'value' = 'value'): [number, number] => {
    for (let n = path.length; n >= 0; n--) {
      const r = range(path.slice(0, n), n === path.length ? part : 'key');
      if (r) return r;
    }
    return [start, start];
  };
  return { data: fast.data, range, nearest };
}

/** The offset of the opening quote of the quoted scalar that runs to `end` (an unclosed quote), if any. */
function openingQuote(doc: Document.Parsed, end: number): number | undefined {
  const { visit } = yaml();
  let found: number | undefined;
  try {
    visit(doc, {
      Scalar(_key, node) {
        if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range && node.range[1] === end) {
          found = node.range[0];
          return visit.BREAK;
        }
        return undefined;
      },
    });
  } catch {
    // A document too deep to walk: fall back to the parser's position.
  }
  return found;
}

interface Located {
  node: Node | null | undefined;
  key?: Node | undefined;
}

function locate(root: Node | null, path: DataPath): Located | undefined {
  const { isMap, isPair, isSeq } = yaml();
  let current: Located = { node: root };
  for (const segment of path) {
    const node = current.node;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyValue(p.key) === String(segment));
      if (!pair) return undefined;
      current = { node: pair.value as Node | null, key: pair.key as Node };
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) return undefined;
      current = { node: item as Node };
    } else {
      return undefined;
    }
  }
  return current;
}

function keyValue(key: unknown): string | undefined {
  const { isScalar } = yaml();
  if (isScalar(key)) return String(key.value);
  return undefined;
}

/** Depth of nested collections, computed without recursion so that hostile input cannot overflow the stack. */
function maxDepth(root: Node | null): number {
  const { isMap, isPair, isSeq } = yaml();
  let max = 0;
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (isMap(node) || isSeq(node)) {
      max = Math.max(max, depth + 1);
      if (depth + 1 > MAX_DEPTH) return depth + 1;
      for (const item of node.items) {
        if (isPair(item)) {
          stack.push([item.key, depth + 1], [item.value, depth + 1]);
        } else stack.push([item, depth + 1]);
      }
    }
  }
  return max;
}

/** A line of the YAML text: where it starts and ends, its indentation and its 1-based number. */
interface Line {
  start: number;
  end: number;
  indent: number;
  number: number;
  text: string;
}

function linesOf(text: string): Line[] {
  const out: Line[] = [];
  const re = /[^\n]*(?:\n|$)/g;
  let number = 0;
  for (let m = re.exec(text); m && m[0] !== ''; m = re.exec(text)) {
    const raw = m[0].replace(/\r?\n$/, '');
    out.push({ start: m.index, end: m.index + raw.length, indent: /^ */.exec(raw)?.[0].length ?? 0, number: ++number, text: raw });
  }
  return out;
}

/** A line that holds something: not blank, not only a comment. */
function holds(line: Line): boolean {
  return !/^\s*(?:#.*)?$/.test(line.text);
}

/** The key of a line (`  label: Role` → `label`), clipped, for messages. */
function keyOf(line: Line): string {
  const m = /^\s*(?:-\s+)?([^:#]{1,40}?)\s*:/.exec(line.text);
  return (m?.[1] ?? line.text.trim()).slice(0, 40);
}

/**
 * A plain explanation of the YAML library's most puzzling errors, at the line
 * really at fault (often not the one the parser names): a missing space after
 * `:` or `-`, a line indented deeper than the key above it, keys of one
 * mapping that do not start at the same column. Undefined when no such cause
 * is found (the parser's own message is shown then). `firstLine` is the
 * number of lines of the file before the text.
 */
function hintOf(text: string, code: string, said: string, s: number, t: number, firstLine: number): { message: string; range: readonly [number, number] } | undefined {
  // Numbered as in the file (a front matter starts on line 2).
  const lines = linesOf(text).map((l) => ({ ...l, number: l.number + firstLine }));
  const at = lines.findIndex((l) => s <= l.end);
  if (at < 0) return undefined;
  const line = lines[at] as Line;
  const noSpace = (from: number, to: number): { message: string; range: readonly [number, number] } | undefined => {
    for (const l of lines) {
      if (l.end < from || l.start > to || !holds(l)) continue;
      const m = /^(\s*(?:-\s+)?)([^\s:#'"{[][^:#]*?):([^\s:/])/.exec(l.text);
      if (m) {
        const colon = l.start + (m[1] as string).length + (m[2] as string).length;
        const written = l.text.trim().slice(0, 60);
        return { message: `A space is missing after \`:\` on line ${l.number} (\`${written}\`): without it YAML reads the whole line as one text, not a key and its value. Write \`${m[2] as string}: ${l.text.slice(colon - l.start + 1).trim().slice(0, 40)}\`.`, range: [colon, colon + 1] };
      }
    }
    return undefined;
  };
  if (code === 'MULTILINE_IMPLICIT_KEY') return noSpace(s, t);
  if (code === 'BLOCK_AS_IMPLICIT_KEY') {
    const dash = /^(\s*)-(?=[^\s-])/.exec(line.text);
    if (dash) {
      const p = line.start + (dash[1] as string).length;
      return { message: `A space is missing after \`-\` on line ${line.number}: a list item is written \`- ${line.text.slice(p - line.start + 1).trim().slice(0, 40)}\`.`, range: [p, p + 1] };
    }
    const next = lines.slice(at + 1).find(holds);
    if (next && next.indent > line.indent) {
      return {
        message: `Line ${next.number} (\`${keyOf(next)}\`) is indented deeper than line ${line.number} (\`${keyOf(line)}\`), which already has a value on its line, so nothing can go under it: indent line ${next.number} like line ${line.number} (${line.indent} space${line.indent === 1 ? '' : 's'}), or like the key it belongs under.`,
        range: [next.start, next.start + next.indent + keyOf(next).length],
      };
    }
    return noSpace(line.start, line.end);
  }
  if (code === 'BAD_INDENT' && /must start at the same column/.test(said)) {
    const before = lines.slice(0, at).reverse().find(holds);
    if (before && before.indent !== line.indent) {
      return {
        message: `Line ${line.number} (\`${keyOf(line)}\`) is indented ${line.indent} space${line.indent === 1 ? '' : 's'} and line ${before.number} above it (\`${keyOf(before)}\`) ${before.indent}: the keys of one mapping start at the same column. Indent it like line ${before.number}, or exactly like the key it belongs under.`,
        range: [line.start, line.start + line.indent + keyOf(line).length],
      };
    }
  }
  return undefined;
}

function sentence(message: string): string {
  const m = message.trim().replace(/\s+/g, ' ');
  return /[.?!]$/.test(m) ? m.slice(0, -1) : m;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message.replace(/\.$/, '') : String(error);
}
