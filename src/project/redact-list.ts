/**
 * Reading `redact` lists. A list must apply even when the file that holds it
 * is broken: a transcript whose front matter has a YAML error is skipped, but
 * the names it redacts come up in the other interviews, and outputs are
 * still written from those. So besides the parsed value ({@link
 * redactStrings}), a tolerant reader ({@link readRedactList}) finds a
 * top-level `redact:` in the raw YAML and reads it as a flow list (`[a, "b"]`,
 * on one line or several), a block list (`- a` lines), or a single value,
 * whatever else in the file is wrong. It reads more rather than less: a
 * string too many is masked, one too few leaks.
 */
import { append } from '../core/arrays.js';

/**
 * The strings of a parsed `redact` value: a list's strings and numbers; a
 * single string (a common slip for a list of one) counts as a list of one,
 * and, when it has commas, of its comma-separated parts too.
 */
export function redactStrings(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string' && typeof item !== 'number') continue;
    const s = String(item).trim();
    if (s === '') continue;
    out.push(s);
    // A single string with commas: `redact: Jean Dupont, Paul Bert` was meant as two names.
    if (!Array.isArray(value) && s.includes(',')) append(out, s.split(',').map((p) => p.trim()).filter((p) => p !== ''));
  }
  return out;
}

/** A top-level `redact` key (quoted or not) at the start of a line. */
const KEY = /^(?:redact|"redact"|'redact')[ \t]*:(?=[ \t]|$)(.*)$/;
const ITEM = /^[ \t]*-(?:[ \t]+(.*))?$/;

/**
 * Every top-level `redact:` list of a YAML text, read without a YAML parser
 * (for a file the parser rejects). Lists under other keys, and anything it
 * cannot make sense of, are left alone.
 */
export function readRedactList(yaml: string): string[] {
  const lines = yaml.split(/\r\n|\n|\r/);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const key = KEY.exec(lines[i] as string);
    if (!key) continue;
    const rest = withoutComment(key[1] as string).trim();
    if (rest.startsWith('[')) {
      // A flow list: up to its closing bracket, over as many lines as it takes (or to the end).
      let flow = rest;
      while (!closes(flow) && i + 1 < lines.length) flow += ` ${withoutComment(lines[++i] as string).trim()}`;
      append(out, flowItems(flow));
    } else if (rest === '') {
      // A block list: the `- item` lines that follow (blank and comment lines skipped).
      while (i + 1 < lines.length) {
        const next = lines[i + 1] as string;
        if (next.trim() === '' || next.trim().startsWith('#')) {
          i++;
          continue;
        }
        const item = ITEM.exec(next);
        if (!item) break;
        out.push(scalar(withoutComment(item[1] ?? '')));
        i++;
      }
    } else append(out, redactStrings(scalar(rest)));
  }
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/** The first index outside quotes (`'…'`, `"…"` with its escapes) where `test` holds, or -1. */
function unquotedIndex(s: string, test: (c: string, i: number) => boolean): number {
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (test(c, i)) return i;
  }
  return -1;
}

/** A line without its `# comment` (a `#` at the start or after a space, outside quotes). */
function withoutComment(line: string): string {
  const at = unquotedIndex(line, (c, i) => c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t'));
  return at < 0 ? line : line.slice(0, at);
}

/** True when the brackets of a flow list are balanced (outside quotes). */
function closes(flow: string): boolean {
  let depth = 0;
  return unquotedIndex(flow, (c) => (c === '[' ? (depth++, false) : c === ']' && --depth === 0)) >= 0;
}

/** The items of `[a, "b", 'c']` (the closing bracket may be missing). */
function flowItems(flow: string): string[] {
  const items: string[] = [];
  let current = '';
  let quote = '';
  let depth = 0;
  for (let i = 0; i < flow.length; i++) {
    const c = flow[i] as string;
    if (quote) {
      current += c;
      if (c === '\\' && quote === '"' && i + 1 < flow.length) current += flow[++i] as string;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      current += c;
    } else if (c === '[') {
      if (depth++ > 0) current += c;
    } else if (c === ']') {
      if (--depth <= 0) break;
      current += c;
    } else if (c === ',' && depth === 1) {
      items.push(scalar(current));
      current = '';
    } else current += c;
  }
  items.push(scalar(current));
  return items;
}

/** A plain, single-quoted or double-quoted scalar's value (an unclosed quote runs to the end). */
function scalar(raw: string): string {
  const s = raw.trim();
  if (s.startsWith("'")) {
    const end = /^'((?:[^']|'')*)'?/.exec(s);
    return (end?.[1] ?? s.slice(1)).replace(/''/g, "'");
  }
  if (s.startsWith('"')) {
    let out = '';
    for (let i = 1; i < s.length; i++) {
      const c = s[i] as string;
      if (c === '"') break;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = s[++i] ?? '';
      const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      const code = hex > 0 && /^[0-9a-fA-F]+$/.test(s.slice(i + 1, i + 1 + hex)) ? Number.parseInt(s.slice(i + 1, i + 1 + hex), 16) : -1;
      if (code >= 0 && code <= 0x10ffff) {
        out += String.fromCodePoint(code);
        i += hex;
      } else out += ({ n: '\n', t: '\t', r: '\r', '0': '\0', _: '\u00a0' } as Record<string, string>)[e] ?? e;
    }
    return out;
  }
  return s;
}
