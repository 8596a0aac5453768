/**
 * A fast path for the simplest YAML, the usual transcript front matter:
 * `key: value` lines, one level of indented `key: value` lines under a key,
 * and `[a, "b c"]` lists, with plain or simply quoted strings and full-line
 * comments. The `yaml` library costs about 100 µs per front matter, which is
 * most of the time of a corpus of small files; this path gives the same data
 * and the same positions for that subset, and declines (returns undefined)
 * for anything else, which then goes to the library. A property test compares
 * both on generated input (tests/property/simple-yaml.test.ts).
 */

/** Data and the positions of every key and value, keyed by their path joined with `\u0000`. */
export interface SimpleYaml {
  data: Record<string, unknown>;
  values: Map<string, [number, number]>;
  keys: Map<string, [number, number]>;
}

export const KEY = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
/** Plain scalars that YAML 1.2's core schema reads as something else than a string. */
export const NOT_A_STRING = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
export const INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`]/;

/** Parses `text` if it is in the simple subset; undefined otherwise. */
export function parseSimpleYaml(text: string): SimpleYaml | undefined {
  if (text.includes('\t') || text.includes('\r')) return undefined;
  const data: Record<string, unknown> = {};
  const values = new Map<string, [number, number]>();
  const keys = new Map<string, [number, number]>();
  let pos = 0;
  let parent: { key: string; map: Record<string, unknown>; indent: number; start: number; end: number } | undefined;
  const closeParent = (): boolean => {
    if (!parent) return true;
    if (parent.indent < 0) return false; // `key:` with nothing under it is null: leave it to the library
    values.set(parent.key, [parent.start, parent.end]);
    parent = undefined;
    return true;
  };
  while (pos < text.length) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    const line = text.slice(pos, eol);
    const lineStart = pos;
    pos = eol + 1;
    const trimmed = line.trimEnd();
    if (trimmed === '' || trimmed.startsWith('#')) {
      // Blank lines and comments: only between top-level keys (elsewhere positions get subtle).
      if (parent) return undefined;
      continue;
    }
    const indent = line.length - line.trimStart().length;
    const colon = line.indexOf(':', indent);
    if (colon < 0) return undefined;
    const key = line.slice(indent, colon);
    if (!KEY.test(key)) return undefined;
    const after = line.slice(colon + 1);
    if (after !== '' && !after.startsWith(' ')) return undefined;
    const raw = after.trim();
    const keyRange: [number, number] = [lineStart + indent, lineStart + colon];
    if (indent === 0) {
      if (!closeParent()) return undefined;
      if (Object.prototype.hasOwnProperty.call(data, key)) return undefined;
      if (raw === '') {
        const map: Record<string, unknown> = {};
        data[key] = map;
        keys.set(key, keyRange);
        parent = { key, map, indent: -1, start: 0, end: 0 };
        continue;
      }
      const valueStart = lineStart + colon + 1 + (after.length - after.trimStart().length);
      const value = scalarOrList(raw, valueStart, key, values);
      if (value === undefined) return undefined;
      data[key] = value;
      keys.set(key, keyRange);
      continue;
    }
    // An indented line: a key of the open parent map, all at the same indentation.
    if (!parent || (parent.indent >= 0 && parent.indent !== indent) || raw === '') return undefined;
    if (parent.indent < 0) {
      parent.indent = indent;
      parent.start = lineStart + indent;
    }
    if (Object.prototype.hasOwnProperty.call(parent.map, key)) return undefined;
    const path = `${parent.key}\u0000${key}`;
    const valueStart = lineStart + colon + 1 + (after.length - after.trimStart().length);
    const value = scalarOrList(raw, valueStart, path, values);
    if (value === undefined) return undefined;
    parent.map[key] = value;
    keys.set(path, keyRange);
    parent.end = Math.min(text.length, eol + 1);
  }
  if (!closeParent()) return undefined;
  // An empty document is null, not an empty mapping: the library says so.
  if (Object.keys(data).length === 0) return undefined;
  return { data, values, keys };
}

/** A plain or simply quoted string, or a flow list of them; records positions. */
function scalarOrList(raw: string, start: number, path: string, values: Map<string, [number, number]>): unknown {
  if (raw.startsWith('[')) {
    if (!raw.endsWith(']')) return undefined;
    const inner = raw.slice(1, -1);
    const items: string[] = [];
    if (inner.trim() !== '') {
      let offset = start + 1;
      for (const part of inner.split(',')) {
        const lead = part.length - part.trimStart().length;
        const item = part.trim();
        const v = scalar(item, true);
        if (v === undefined) return undefined;
        values.set(`${path}\u0000${items.length}`, [offset + lead, offset + lead + item.length]);
        items.push(v);
        offset += part.length + 1;
      }
    }
    values.set(path, [start, start + raw.length]);
    return items;
  }
  const v = scalar(raw, false);
  if (v === undefined) return undefined;
  values.set(path, [start, start + raw.length]);
  return v;
}

/** The string of a plain or simply quoted scalar, or undefined when it needs the full YAML rules. */
function scalar(raw: string, inFlow: boolean): string | undefined {
  if (raw === '') return undefined;
  const q = raw[0];
  if (q === '"' || q === "'") {
    if (raw.length < 2 || raw[raw.length - 1] !== q) return undefined;
    const inner = raw.slice(1, -1);
    if (inner.includes(q) || inner.includes('\\') || inner.includes('\n')) return undefined;
    return inner;
  }
  if (INDICATOR.test(raw) || raw.includes(': ') || raw.includes(' #') || raw.endsWith(':') || NOT_A_STRING.test(raw)) return undefined;
  if (inFlow && /[[\]{},]/.test(raw)) return undefined;
  return raw;
}
