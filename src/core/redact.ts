/**
 * Redaction: the one place that finds redacted strings (names, places) and
 * masks them. Every output goes through a {@link Redactor}, built once per
 * run from the secrets.
 *
 * Matching is done on a normalised form of the text, so that the way a name
 * happens to be written does not let it through:
 *
 * - each character with its combining marks is composed (NFC: a name typed
 *   on macOS, decomposed, is the same name) and case-folded (`ß`, `ẞ` and
 *   `SS` alike, final sigma, `ſ`, dotted capital I);
 * - apostrophes (`’ ‘ ʼ ′ ´` and the backtick) are `'`, dashes (`‐ ‑ ‒ – — ―
 *   − ﹣ －`) are `-`;
 * - invisible characters are ignored: the soft hyphen, zero-width spaces and
 *   joiners, the word joiner, the byte-order mark, bidirectional marks and
 *   embeddings, variation selectors;
 * - any run of white space (no-break spaces, tabs…) with at most one line
 *   break is one space, so that a name wrapped across two lines is still
 *   masked (a paragraph break is not: a name does not cross paragraphs);
 * - a hyphen (or a soft hyphen) at the end of a line is a word broken across
 *   lines: `Ville-⏎neuve` is `Villeneuve`, `Jean-⏎Pierre` is `Jean-Pierre` (a
 *   hyphen in a secret matches with or without it).
 *
 * The normalised text keeps a map back to the original offsets: matches are
 * masked in the original characters, and nothing outside them changes. The
 * longest secret wins where several start at the same place.
 */
import { append } from './arrays.js';
import { decodedViews, type View, type ViewKind } from './escapes.js';
import { PieceMap } from './piece-map.js';

/** What replaces a redacted string, in every output. */
export const MASK = '[·]';

/** `[start, end)` offsets, end exclusive. */
export type Range = [number, number];

/** A cut of a text that masks every redacted string it touches (see {@link Redactor.slicer}). */
export type Slicer = (start: number, end: number) => string;

/** Finds and masks the redacted strings of a project. */
export interface Redactor {
  /** True when there is nothing to mask: every method is then the identity. */
  readonly isEmpty: boolean;
  /** The text with every redacted string replaced by {@link MASK}. */
  mask(text: string): string;
  /** Where the redacted strings are in `text`, in order, disjoint (original offsets). */
  ranges(text: string): Range[];
  /**
   * Masked excerpts of one long text: `slice(start, end)` is `text.slice(start,
   * end)` with every redacted string masked, including one that the cut goes
   * through (masking after cutting would leave half a name readable: "…ont").
   * `found`: the text's {@link ranges}, when they are known already.
   */
  slicer(text: string, found?: readonly Range[]): Slicer;
  /**
   * Where a redacted string can still be read in an output, for the last check
   * before anything is written and for `check`'s `redaction-leak`: the text
   * itself and its decoded view for its kind (JSON string escapes, XML
   * entities, Markdown escapes and HTML entities, CSV quotes), in offsets of
   * `text`, merged.
   */
  leaks(text: string, kind?: ViewKind): Range[];
}

/**
 * The redactor of `secrets`. Built once per set of secrets (the last few sets
 * are kept), so that calling it again for every label costs nothing.
 */
export function createRedactor(secrets: Iterable<string>): Redactor {
  const clean = [...new Set([...secrets].map((s) => s.trim()).filter((s) => s !== ''))].sort();
  const key = clean.join('\u0000');
  let r = cache.get(key);
  if (!r) {
    r = build(clean);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(key, r);
  }
  return r;
}

/** What holds redaction lists: a project, an export input, a dataset. */
export interface HasRedactions {
  /** Project-level lists (`verbatim.yaml`, `.verbatim/redact.txt`). */
  readonly redact: readonly string[];
  /** Each transcript's `redact`. */
  readonly transcripts: readonly { readonly redact: readonly string[] }[];
}

/**
 * The redactor of a project: its own lists and every transcript's, since a
 * name one respondent redacts may come up in another interview.
 */
export function redactorOf(project: HasRedactions): Redactor {
  const all: string[] = [...project.redact];
  for (const t of project.transcripts) append(all, t.redact);
  return createRedactor(all);
}

/**
 * A copy of a JSON-like value with every string masked, object keys
 * included: for outputs that print ids (an attribute value, a transcript id
 * that happens to hold a redacted name) as well as texts.
 */
export function maskDeep<T>(value: T, redactor: Redactor): T {
  if (redactor.isEmpty) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactor.mask(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[redactor.mask(k)] = walk(x);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}

const CACHE_SIZE = 8;
const cache = new Map<string, Redactor>();

const IDENTITY: Redactor = {
  isEmpty: true,
  mask: (text) => text,
  ranges: () => [],
  slicer: (text) => (start, end) => text.slice(start, Math.max(start, end)),
  leaks: () => [],
};

function build(secrets: readonly string[]): Redactor {
  const forms = [...new Set(secrets.map((s) => normalise(s).text.trim()).filter((s) => s !== ''))].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  if (forms.length === 0) return IDENTITY;
  // Literal alternatives, longest first; a hyphen may have been dropped with the line end it wrapped at
  // (not in a secret of hyphens only: an alternative that can match nothing would match everywhere).
  const literal = (f: string): string => f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const patterns = alternations(forms.map((f) => (/^-+$/.test(f) ? literal(f) : literal(f).replace(/-/g, '-?'))));
  const ranges = (text: string): Range[] => {
    if (text === '') return [];
    const n = normalise(text);
    // Matches in the normalised text, from every pattern (each one holds a part of a long list).
    const found: Range[] = [];
    for (const pattern of patterns) {
      pattern.lastIndex = 0;
      for (let m = pattern.exec(n.text); m; m = pattern.exec(n.text)) {
        if (m[0] === '') {
          pattern.lastIndex++;
          continue;
        }
        found.push([m.index, m.index + m[0].length]);
      }
    }
    if (patterns.length > 1) found.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const out: Range[] = [];
    for (const [ms, me] of found) {
      const start = n.from(ms);
      const end = n.to(me - 1);
      const last = out[out.length - 1];
      // Two matches in one expanded character (`ß` → `ss`), or of two patterns, overlap: one range covers both.
      if (last && start < last[1]) last[1] = Math.max(last[1], end);
      else out.push([start, end]);
    }
    return out;
  };
  const mask = (text: string): string => {
    const found = ranges(text);
    if (found.length === 0) return text;
    let out = '';
    let pos = 0;
    for (const [s, e] of found) {
      out += text.slice(pos, s) + MASK;
      pos = e;
    }
    return out + text.slice(pos);
  };
  const slicer = (text: string, known?: readonly Range[]): Slicer => {
    const found = known ?? ranges(text);
    if (found.length === 0) return (start, end) => text.slice(start, Math.max(start, end));
    return (start, end) => {
      if (end <= start) return '';
      // First range ending after `start` (ranges are sorted and disjoint).
      let lo = 0;
      let hi = found.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((found[mid] as Range)[1] <= start) lo = mid + 1;
        else hi = mid;
      }
      let out = '';
      let pos = start;
      for (let i = lo; i < found.length; i++) {
        const [s, e] = found[i] as Range;
        if (s >= end) break;
        if (s > pos) out += text.slice(pos, s);
        out += MASK;
        pos = Math.min(e, end);
      }
      return out + text.slice(pos, Math.max(pos, end));
    };
  };
  const leaks = (text: string, kind: ViewKind = 'text'): Range[] => {
    const all = ranges(text);
    for (const view of decodedViews(text, kind)) {
      for (const [s, e] of ranges(view.text)) all.push([view.from(s), view.to(e - 1)]);
    }
    return merge(all);
  };
  return { isEmpty: false, mask, ranges, slicer, leaks };
}

/**
 * The global regular expressions that find `alternatives` (sources, longest
 * first): one, or for a very long list several, each under the size V8
 * compiles (about 2 MB of source fails with "Regular expression too large";
 * a list of tens of thousands of names reaches it).
 */
function alternations(alternatives: readonly string[]): RegExp[] {
  const out: RegExp[] = [];
  let part: string[] = [];
  let size = 0;
  for (const a of alternatives) {
    if (part.length > 0 && size + a.length > MAX_PATTERN_SOURCE) {
      out.push(new RegExp(part.join('|'), 'g'));
      part = [];
      size = 0;
    }
    part.push(a);
    size += a.length + 1;
  }
  if (part.length > 0) out.push(new RegExp(part.join('|'), 'g'));
  return out;
}

/** The source size of one pattern of {@link alternations}: well under V8's limit, and quick to compile. */
const MAX_PATTERN_SOURCE = 256 * 1024;

/** Sorts ranges and merges those that overlap or touch the same start. */
function merge(ranges: Range[]): Range[] {
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const out: Range[] = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (last && r[0] < last[1]) last[1] = Math.max(last[1], r[1]);
    else if (!last || r[0] !== last[0]) out.push([r[0], r[1]]);
  }
  return out;
}

// ─── normalisation ────────────────────────────────────────────────────────

// Character classes of UTF-16 code units.
const PLAIN = 0; // written as its lower case, one for one
const SPACE = 1; // U+0020: one for one unless white space follows
const HSPACE = 2; // other horizontal white space
const BREAK = 3; // a line break
const INVISIBLE = 4; // dropped
const SOFT_HYPHEN = 5; // dropped, or a hyphen at a line end
const DASH = 6; // `-`, or a hyphen at a line end
const MARK = 7; // a combining mark: composed with its base
const SPECIAL = 8; // folds to something other than one lower-case unit (ß, İ…)
const HIGH = 9; // a high surrogate: the code point is folded with its marks
const UNKNOWN = 255;

const INVISIBLES = new Set([0x034f, 0x061c, 0x180e, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x2066, 0x2067, 0x2068, 0x2069, 0xfeff]);
const APOSTROPHES = new Set([0x60, 0xb4, 0x2bc, 0x2018, 0x2019, 0x2032]);
const DASHES = new Set([0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xfe63, 0xff0d]);
const HORIZONTAL = new Set([0x09, 0x0b, 0x0c, 0xa0, 0x1680, 0x202f, 0x205f, 0x3000]);
const BREAKS = new Set([0x0a, 0x0d, 0x85, 0x2028, 0x2029]);
const IS_MARK = /^\p{M}$/u;

/**
 * Per code unit, its class and, for the one-for-one classes, what it is
 * written as. Filled on first sight of each unit (a text uses few of them).
 */
const classes = new Uint8Array(0x10000).fill(UNKNOWN);
const written = new Uint16Array(0x10000);

function classify(c: number): number {
  if (c === 0x20) return SPACE;
  if (BREAKS.has(c)) return BREAK;
  if (HORIZONTAL.has(c) || (c >= 0x2000 && c <= 0x200a)) return HSPACE;
  if (c === 0xad) return SOFT_HYPHEN;
  if (INVISIBLES.has(c) || (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0x180b && c <= 0x180f)) return INVISIBLE;
  if (APOSTROPHES.has(c)) {
    written[c] = 0x27;
    return PLAIN;
  }
  if (c === 0x2d || DASHES.has(c)) {
    written[c] = 0x2d;
    return DASH;
  }
  if (c >= 0xd800 && c <= 0xdbff) return HIGH;
  if (c >= 0xdc00 && c <= 0xdfff) {
    written[c] = c; // a lone low surrogate, kept as is
    return PLAIN;
  }
  const ch = String.fromCharCode(c);
  if (IS_MARK.test(ch)) return MARK;
  const f = fold(ch);
  if (f.length !== 1) return SPECIAL;
  written[c] = f.charCodeAt(0);
  return PLAIN;
}

/** The class of a code unit. */
function classOf(c: number): number {
  const k = classes[c] as number;
  return k === UNKNOWN ? (classes[c] = classify(c)) : k;
}

/** A character with its marks, composed and case-folded. */
function fold(cluster: string): string {
  const f = cluster.normalize('NFC').toLowerCase();
  // eslint-disable-next-line no-misleading-character-class -- U+0307 alone: the dot that lowercasing İ leaves after i
  return /[ßςſ\u0307]/u.test(f) ? f.replace(/ß/gu, 'ss').replace(/ς/gu, 'σ').replace(/ſ/gu, 's').replace(/i\u0307/gu, 'i') : f;
}

const folded = new Map<string, string>();

/** {@link fold} of `text[start, end)` without its invisible characters, memoised (accented letters recur). */
function foldCluster(text: string, start: number, end: number): string {
  let s = '';
  for (let j = start; j < end; j++) if (classOf(text.charCodeAt(j)) !== INVISIBLE) s += text[j] as string;
  let f = folded.get(s);
  if (f === undefined) {
    f = fold(s);
    // Apostrophes and dashes inside a cluster are unified too.
    let unified = '';
    for (const ch of f) unified += APOSTROPHES.has(ch.charCodeAt(0)) ? "'" : DASHES.has(ch.charCodeAt(0)) ? '-' : ch;
    f = unified;
    if (folded.size < 4096) folded.set(s, f);
  }
  return f;
}

/** White space, or something a run of white space swallows. */
function inSpaceRun(k: number): boolean {
  return k === SPACE || k === HSPACE || k === INVISIBLE || k === SOFT_HYPHEN;
}

/**
 * After a hyphen at `i - 1`: the end of the line break that makes it a word
 * broken across lines (spaces, one line break, spaces, then a word), or -1.
 */
function wrapEnd(text: string, i: number): number {
  const n = text.length;
  let j = i;
  while (j < n && inSpaceRun(classOf(text.charCodeAt(j)))) j++;
  if (j >= n || classOf(text.charCodeAt(j)) !== BREAK) return -1;
  j += text.charCodeAt(j) === 0x0d && text.charCodeAt(j + 1) === 0x0a ? 2 : 1;
  while (j < n && inSpaceRun(classOf(text.charCodeAt(j)))) j++;
  if (j >= n || classOf(text.charCodeAt(j)) === BREAK) return -1;
  return j;
}

/**
 * What may not be written as its lower case: anything but printable ASCII
 * (without `-` and the backtick), and the Latin-1 letters and signs (without the
 * no-break space, the soft hyphen, `´` and `ß`). The class table decides for
 * each character found; most are written as their lower case after all. Two
 * spaces in a row are found apart (with `indexOf`: a space in this class
 * would make every space a match, and the search four times as slow).
 */
const CANDIDATE = /[^ !-,.-_a-~\u00a1-\u00ac\u00ae-\u00b3\u00b5-\u00de\u00e0-\u00ff]/g;

/**
 * The normalised form of `text` (see the module comment). The text is
 * lower-cased at once (natively: the slow part of a loop over characters is
 * the loop), then a regular expression finds the few characters that may be
 * written otherwise, and only those are handled here. The map back is a
 * {@link PieceMap}: runs written one for one, and blocks of the original that
 * became other characters (runs of white space, marks, `ß`); dropped
 * characters (invisible ones, the hyphen of a wrap) end a run.
 */
function normalise(text: string): View {
  const n = text.length;
  // Only U+0130 lower-cases to two units; as `I` it folds the same (to `i`) and keeps offsets aligned.
  const lower = (text.includes('\u0130') ? text.replace(/\u0130/gu, 'I') : text).toLowerCase();
  const parts: string[] = [];
  const map = new PieceMap();
  let length = 0;
  // Original minus normalised offset of the current one-for-one piece (NaN: none is open).
  let delta = Number.NaN;
  /** `piece`, one unit per unit of the original from `at`. */
  const one = (piece: string, at: number): void => {
    if (piece === '') return;
    if (at - length !== delta) {
      map.copy(length, at);
      delta = at - length;
    }
    parts.push(piece);
    length += piece.length;
  };
  /** `piece` for the block `text[start, end)`. */
  const block = (piece: string, start: number, end: number): void => {
    if (piece.length === 1 && end - start === 1) return one(piece, start);
    map.block(length, start, end);
    parts.push(piece);
    length += piece.length;
    delta = Number.NaN;
  };
  const classAt = (j: number): number => (j < n ? classOf(text.charCodeAt(j)) : PLAIN);
  const marksEnd = (j: number): number => {
    while (j < n) {
      const k = classOf(text.charCodeAt(j));
      if (k !== MARK && k !== INVISIBLE) break;
      j++;
    }
    return j;
  };
  // Everything before `pos` is written; `text[pos, i)` is pending, one for one from `lower`.
  let pos = 0;
  let doubleSpace = text.indexOf('  ');
  CANDIDATE.lastIndex = 0;
  let m = CANDIDATE.exec(text);
  while (m || doubleSpace >= 0) {
    let i: number;
    if (m && (doubleSpace < 0 || m.index < doubleSpace)) i = m.index;
    else i = doubleSpace;
    const c = text.charCodeAt(i);
    const k = classOf(c);
    let start = i;
    let end = i + 1;
    let piece: string | undefined;
    /** A run of white space from `i`, with the spaces before it. */
    const spaces = (): void => {
      while (start > pos && text.charCodeAt(start - 1) === 0x20) start--;
      let breaks = 0;
      // Invisible characters alone are dropped, not a space.
      let white = start < i;
      for (end = i; end < n; end++) {
        const kj = classOf(text.charCodeAt(end));
        if (kj === BREAK) {
          if (text.charCodeAt(end) === 0x0d && text.charCodeAt(end + 1) === 0x0a) end++;
          breaks++;
        } else if (!inSpaceRun(kj)) break;
        if (kj === SPACE || kj === HSPACE || kj === BREAK) white = true;
      }
      piece = !white ? '' : breaks >= 2 ? '\n' : ' ';
    };
    /** Next to white space (a space pending before it, or white space after it). */
    const nearSpace = (): boolean => (i > pos && text.charCodeAt(i - 1) === 0x20) || inSpaceRun(classAt(i + 1)) || classAt(i + 1) === BREAK;
    switch (k) {
      case PLAIN:
        if (written[c] !== lower.charCodeAt(i)) piece = String.fromCharCode(written[c] as number);
        break;
      case SPACE:
      case HSPACE:
      case BREAK:
        spaces();
        break;
      case INVISIBLE:
        if (nearSpace()) spaces();
        else piece = '';
        break;
      case SOFT_HYPHEN:
      case DASH: {
        const wrapped = wrapEnd(text, i + 1);
        if (wrapped > 0) {
          end = wrapped;
          piece = '';
        } else if (k === DASH) {
          if (c !== 0x2d) piece = '-';
        } else if (nearSpace()) spaces();
        else piece = '';
        break;
      }
      default: {
        // MARK, SPECIAL, HIGH: a character (a code point) with its marks; a mark composes with the letter pending before it.
        if (k === MARK && i > pos && text.charCodeAt(i - 1) !== 0x20) start = i - 1;
        const low = k === HIGH ? text.charCodeAt(i + 1) : 0;
        end = marksEnd(low >= 0xdc00 && low <= 0xdfff ? i + 2 : i + 1);
        piece = foldCluster(text, start, end);
      }
    }
    if (piece !== undefined) {
      one(lower.slice(pos, start), pos);
      if (piece === '') delta = Number.NaN;
      else block(piece, start, end);
      pos = end;
    }
    // Resume after what was handled (or after the character left pending).
    if (CANDIDATE.lastIndex < end) CANDIDATE.lastIndex = end;
    if (m && m.index < end) m = CANDIDATE.exec(text);
    if (doubleSpace >= 0 && doubleSpace < end) doubleSpace = text.indexOf('  ', end);
  }
  one(lower.slice(pos), pos);
  return { text: parts.join(''), from: (i) => map.from(i), to: (i) => map.to(i) };
}

/** The normalised form of a text, as matching sees it (for tests and the documentation). */
export function normalisedForm(text: string): string {
  return normalise(text).text;
}
