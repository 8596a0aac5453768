/**
 * Decoded views of an output, for the leak scan: what a reader (a Markdown
 * viewer, a JSON or XML parser, a spreadsheet) sees once the format's escapes
 * are undone. A name written `H\u00e9l\u00e8ne` in JSON or `jd\_75` in
 * Markdown is read as a name. Each view maps its characters back to the
 * offsets of the file, so that a leak is reported where it is written.
 */
import { PieceMap } from './piece-map.js';

/** The formats whose escapes are undone. `text`: none. */
export type ViewKind = 'text' | 'markdown' | 'json' | 'xml' | 'csv';

/** A decoded text and, for each of its characters, the range of the source it comes from. */
export interface View {
  readonly text: string;
  /** Where the source of character `i` starts. */
  from(i: number): number;
  /** Where the source of character `i` ends. */
  to(i: number): number;
}

/** The kind of an output file, from its name. */
export function viewKindOf(path: string): ViewKind {
  if (/\.(md|markdown)$/iu.test(path)) return 'markdown';
  if (/\.json$/iu.test(path)) return 'json';
  if (/\.(qde|qdc|xml)$/iu.test(path)) return 'xml';
  if (/\.csv$/iu.test(path)) return 'csv';
  return 'text';
}

/** The decoded views of `text` for its kind (none when nothing in it is escaped). */
export function decodedViews(text: string, kind: ViewKind): View[] {
  const view = DECODERS[kind]?.(text);
  return view ? [view] : [];
}

type Decoder = (text: string) => View | undefined;

const DECODERS: Partial<Record<ViewKind, Decoder>> = {
  // Backslash escapes, entities, tags and emphasis delimiters: what a Markdown viewer shows.
  markdown: (text) => decode(text, /\\([!-/:-@[-`{-~])|&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});|<\/?[A-Za-z][^<>\n]*>|[*_~]/gu, (m) => (m[1] !== undefined ? m[1] : m[2] !== undefined ? entity(m[2]) : '')),
  json: (text) => decode(text, /\\(["\\/bfnrt]|u[0-9a-fA-F]{4})/gu, (m) => jsonEscape(m[1] as string)),
  xml: (text) => decode(text, /&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|lt|gt|quot|apos|amp);/gu, (m) => entity(m[1] as string)),
  csv: (text) => decode(text, /""/gu, () => '"'),
};

/**
 * `text` with each match of `re` replaced by what `replace` gives (undefined:
 * left as is), and the map back; undefined when nothing was replaced.
 */
function decode(text: string, re: RegExp, replace: (m: RegExpExecArray) => string | undefined): View | undefined {
  const parts: string[] = [];
  const map = new PieceMap();
  let length = 0;
  let pos = 0;
  let decoded = false;
  const copy = (to: number): void => {
    if (to <= pos) return;
    map.copy(length, pos);
    parts.push(text.slice(pos, to));
    length += to - pos;
  };
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const r = replace(m);
    if (r === undefined) continue;
    copy(m.index);
    if (r !== '') {
      map.block(length, m.index, m.index + m[0].length);
      parts.push(r);
      length += r.length;
    }
    pos = m.index + m[0].length;
    decoded = true;
  }
  if (!decoded) return undefined;
  copy(text.length);
  return { text: parts.join(''), from: (i) => map.from(i), to: (i) => map.to(i) };
}

function jsonEscape(e: string): string {
  if (e[0] === 'u') return String.fromCharCode(Number.parseInt(e.slice(1), 16));
  return ({ b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' } as Record<string, string>)[e] ?? e;
}

/** Named entities: XML's, and HTML's for the Latin-1 letters and the usual punctuation. */
const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  shy: '\u00ad',
  zwsp: '\u200b',
  zwj: '\u200d',
  zwnj: '\u200c',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  ndash: '–',
  mdash: '—',
  hyphen: '‐',
  hellip: '…',
  OElig: 'Œ',
  oelig: 'œ',
  Scaron: 'Š',
  scaron: 'š',
  Yuml: 'Ÿ',
};
// U+00C0 to U+00FF, in order.
'Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml'
  .split(' ')
  .forEach((name, i) => {
    ENTITIES[name] = String.fromCharCode(0xc0 + i);
  });

/** The character of an entity's name (`eacute`, `#233`, `#xE9`), or undefined when it is not one. */
function entity(name: string): string | undefined {
  if (name[0] === '#') {
    const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : undefined;
  }
  return Object.hasOwn(ENTITIES, name) ? ENTITIES[name] : undefined;
}
