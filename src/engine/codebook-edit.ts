/**
 * Line-level edits of a codebook's YAML for `codes move` and `codes merge`:
 * a code's entry (its `- id: …` item and every line under it) is cut out
 * and pasted, re-indented, into another `children:` list; keywords are
 * appended to another code's list. Every other line stays byte for byte:
 * comments, quoting, blank lines, line ends.
 *
 * Only block-style lists of codes can be edited this way (`children:` with
 * one `- ` item per code, as `verbatim init` and the imports write them);
 * anything else is refused with a message, never reformatted.
 */
import { SourceFile } from '../core/source-file.js';
import { parseYaml, type DataPath, type YamlData } from '../yaml/yaml-source.js';

/** A replacement of `[start, end)` of a file's decoded text. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** The lines of a list item: `[start, end)` from the start of its `- ` line to the end of its last line (its line end included). */
export interface Item {
  start: number;
  end: number;
  /** Column of the `-`. */
  dash: number;
  /** Column of the item's value (the first key of a code's entry). */
  key: number;
}

/** The codebook, parsed for editing: its text, its YAML, and where each code's entry is in the data. */
export interface CodebookText {
  text: string;
  yaml: YamlData;
  /** Data path of each code's entry (`['codes', 1, 'children', 0]`), by full id. */
  paths: Map<string, DataPath>;
  /** `\r\n` when the file's lines end so, `\n` otherwise. */
  eol: string;
  /** Columns between a `children:` key and the `-` of its items, as the file writes them (2 by default). */
  childIndent: number;
}

/** Reads the codebook's text for editing, or says why it cannot be edited. */
export function codebookText(file: SourceFile): CodebookText | string {
  // A scratch copy: parsing again must not add the codebook's diagnostics to the file the frame holds.
  const yaml = parseYaml(new SourceFile(file.path, file.text), 0, file.text.length, { library: true });
  if (!yaml) return `\`${file.path}\` cannot be read: fix it first (\`verbatim check\`).`;
  const text = file.text;
  const paths = new Map<string, DataPath>();
  let childIndent: number | undefined;
  const walk = (list: unknown, at: DataPath, parent: string | undefined): void => {
    if (!Array.isArray(list)) return;
    list.forEach((raw: unknown, i) => {
      if (!isRecord(raw) || (typeof raw.id !== 'string' && typeof raw.id !== 'number')) return;
      const id = parent === undefined ? String(raw.id).trim() : `${parent}.${String(raw.id).trim()}`;
      const here = [...at, i];
      if (!paths.has(id)) paths.set(id, here);
      if (childIndent === undefined && Array.isArray(raw.children) && raw.children.length > 0) {
        const key = yaml.range([...here, 'children'], 'key');
        const first = key && itemAt(text, yaml, [...here, 'children', 0]);
        if (key && first && typeof first !== 'string') childIndent = Math.max(0, first.dash - column(text, key[0]));
      }
      walk(raw.children, [...here, 'children'], id);
    });
  };
  walk(isRecord(yaml.data) ? yaml.data.codes : undefined, ['codes'], undefined);
  return { text, yaml, paths, eol: text.includes('\r\n') ? '\r\n' : '\n', childIndent: childIndent ?? 2 };
}

/** The value at `path` in the codebook's data. */
export function valueAt(cb: CodebookText, path: DataPath): unknown {
  let node: unknown = cb.yaml.data;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** The lines of the list item at `path`, or why it cannot be edited line by line. */
function itemAt(text: string, yaml: YamlData, path: DataPath): Item | string {
  const range = yaml.range(path);
  if (!range) return 'an entry of the codebook was not found (an internal error; nothing was written)';
  const start = lineStart(text, range[0]);
  const prefix = text.slice(start, range[0]);
  if (!/^ *- +$/u.test(prefix)) return `the list at line ${lineNumber(text, range[0])} is not written one \`- \` item per line (flow style): write it as a block list first`;
  const dash = prefix.indexOf('-');
  let end = nextLine(text, range[0]);
  for (let p = end; p < text.length; p = nextLine(text, p)) {
    const line = text.slice(p, nextLine(text, p));
    if (line.trim() === '') continue;
    if (indentation(line) <= dash) break;
    end = nextLine(text, p);
  }
  // Comment lines just above the item, at its dash's column, are its own (`# Meetings, public or not.`): they go with it.
  let first = start;
  while (first > 0) {
    const previous = lineStart(text, first - 1);
    const line = text.slice(previous, first);
    if (indentation(line) !== dash || !line.trimStart().startsWith('#')) break;
    first = previous;
  }
  return { start: first, end, dash, key: range[0] - start };
}

/** A code's entry: the lines of its `- id:` item. */
export function entryOf(cb: CodebookText, id: string): Item | string {
  const path = cb.paths.get(id);
  if (!path) return `the code \`${id}\` was not found in the codebook's text (an internal error; nothing was written)`;
  return itemAt(cb.text, cb.yaml, path);
}

/**
 * The edit that removes a code's entry. When it is the only item of its
 * parent's `children:`, the key goes too (an empty `children:` would be
 * null), unless `keepKey` (other items are about to be pasted there).
 */
export function removeEntry(cb: CodebookText, id: string, keepKey = false): Edit | string {
  const path = cb.paths.get(id);
  const entry = entryOf(cb, id);
  if (!path || typeof entry === 'string') return typeof entry === 'string' ? entry : 'internal error';
  const list = valueAt(cb, path.slice(0, -1));
  if (!keepKey && Array.isArray(list) && list.length === 1 && path.length > 2) {
    const key = cb.yaml.range(path.slice(0, -1), 'key');
    if (key) return { start: lineStart(cb.text, key[0]), end: entry.end, text: '' };
  }
  return { start: entry.start, end: entry.end, text: '' };
}

/** An entry's lines, moved `shift` columns (right when positive), ending with a line end. */
export function shifted(cb: CodebookText, item: Item, shift: number): string {
  let block = cb.text.slice(item.start, item.end);
  if (!block.endsWith('\n')) block += cb.eol;
  const lines = block.split(/(?<=\n)/u);
  return lines
    .map((line) => {
      const content = line.replace(/\r?\n$/u, '');
      if (shift > 0) return content === '' ? line : ' '.repeat(shift) + line;
      const spaces = indentation(content);
      return line.slice(Math.min(spaces, -shift));
    })
    .join('');
}

/**
 * The edit that pastes `items` (whole entries, from this codebook's text)
 * at the end of the `children:` of `parent` (the top-level `codes:` when
 * undefined), re-indented to that list; the key is written when the parent
 * has no children yet.
 */
export function pasteEntries(cb: CodebookText, parent: string | undefined, items: readonly Item[]): Edit | string {
  if (items.length === 0) return { start: 0, end: 0, text: '' };
  const parentPath = parent === undefined ? [] : cb.paths.get(parent);
  if (!parentPath) return `the code \`${parent ?? ''}\` was not found in the codebook's text (an internal error; nothing was written)`;
  const listPath = parent === undefined ? ['codes'] : [...parentPath, 'children'];
  const list = valueAt(cb, listPath);
  let at: number;
  let dash: number;
  let head = '';
  if (Array.isArray(list) && list.length > 0) {
    const last = itemAt(cb.text, cb.yaml, [...listPath, list.length - 1]);
    if (typeof last === 'string') return last;
    at = last.end;
    dash = last.dash;
  } else if (list !== undefined && list !== null) {
    return `\`children\` of \`${parent ?? ''}\` is not a list of codes: write it as a block list first`;
  } else {
    if (parent === undefined) return 'the codebook has no `codes:` list (an internal error; nothing was written)';
    const entry = itemAt(cb.text, cb.yaml, parentPath);
    if (typeof entry === 'string') return entry;
    at = entry.end;
    // An empty `children:` written as a key with nothing under it: the new items go under it.
    const key = list === null ? cb.yaml.range(listPath, 'key') : undefined;
    const keyColumn = key ? column(cb.text, key[0]) : entry.key;
    if (key) at = nextLine(cb.text, key[0]);
    else head = `${' '.repeat(entry.key)}children:${cb.eol}`;
    dash = keyColumn + cb.childIndent;
  }
  const before = at > 0 && cb.text[at - 1] !== '\n' ? cb.eol : '';
  return { start: at, end: at, text: before + head + items.map((item) => shifted(cb, item, dash - item.dash)).join('') };
}

/**
 * The edit that appends `values` (YAML scalars as written, quotes included)
 * to the list `key` (`keywords`, `patterns`, `unless`) of code `id`, in the
 * list's own style; the key is added when the code has none.
 */
export function appendToList(cb: CodebookText, id: string, key: string, values: readonly string[]): Edit | string | undefined {
  if (values.length === 0) return undefined;
  const path = cb.paths.get(id);
  if (!path) return `the code \`${id}\` was not found in the codebook's text (an internal error; nothing was written)`;
  const listPath = [...path, key];
  const list = valueAt(cb, listPath);
  if (Array.isArray(list) && list.length > 0) {
    const last = itemAt(cb.text, cb.yaml, [...listPath, list.length - 1]);
    if (typeof last !== 'string') {
      const before = cb.text[last.end - 1] !== '\n' ? cb.eol : '';
      return { start: last.end, end: last.end, text: before + values.map((v) => `${' '.repeat(last.dash)}- ${v}${cb.eol}`).join('') };
    }
    // A flow list (`[a, b]`): the new values go before its `]`.
    const range = cb.yaml.range(listPath);
    const close = range ? cb.text.lastIndexOf(']', range[1]) : -1;
    if (!range || close < range[0]) return `\`${key}\` of \`${id}\` cannot be extended where it is written: write it as a list first`;
    return { start: close, end: close, text: `, ${values.join(', ')}` };
  }
  if (list !== undefined && !(Array.isArray(list) && list.length === 0)) return `\`${key}\` of \`${id}\` is not a list: write it as a list first`;
  const entry = entryOf(cb, id);
  if (typeof entry === 'string') return entry;
  if (Array.isArray(list)) {
    // `key: []`: filled in place.
    const range = cb.yaml.range(listPath);
    if (!range) return `\`${key}\` of \`${id}\` cannot be extended where it is written: write it as a list first`;
    return { start: range[0], end: range[1], text: `[${values.join(', ')}]` };
  }
  // No list yet: a flow list, before `children:` when the code has sub-codes (its own keys stay together).
  const children = cb.yaml.range([...path, 'children'], 'key');
  const at = children ? lineStart(cb.text, children[0]) : entry.end;
  const before = at > 0 && cb.text[at - 1] !== '\n' ? cb.eol : '';
  return { start: at, end: at, text: `${before}${' '.repeat(entry.key)}${key}: [${values.join(', ')}]${cb.eol}` };
}

/** The scalar written at `range`, as it can be pasted into a list: quoted as written, or as a JSON string (valid YAML) when it was plain. */
export function pastable(text: string, range: readonly [number, number]): string {
  const written = text.slice(range[0], range[1]);
  if (/^(["']).*\1$/su.test(written)) return written;
  return JSON.stringify(written);
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

function nextLine(text: string, at: number): number {
  const n = text.indexOf('\n', at);
  return n < 0 ? text.length : n + 1;
}

function column(text: string, at: number): number {
  return at - lineStart(text, at);
}

function lineNumber(text: string, at: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function indentation(line: string): number {
  return /^ */u.exec(line)?.[0].length ?? 0;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
