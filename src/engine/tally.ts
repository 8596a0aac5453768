/**
 * The summary of `tag` (segments, coded segments, automatic and manual
 * codings, codes) computed straight from a transcript's bytes, without
 * decoding the whole file: decoding UTF-8 into a string costs more than the
 * coding itself on Node 20. Only the front matter, the first bytes of each
 * paragraph (for the speaker label), the candidate words, and the paragraphs
 * that hold markers or that a pattern may match are decoded.
 *
 * It gives up (returns undefined) on anything out of the ordinary, and the
 * caller then runs the full parser on the file: bytes that are not plain
 * UTF-8 (BOM-less UTF-16, Windows-1252, CR line ends, U+2028), no front
 * matter, spans across paragraphs, and any diagnostic in the body. What it
 * does compute is what the full parser and `codeTranscript` give, which
 * tests/property/tally.test.ts checks on generated transcripts.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { checkTranscriptAttributes, reportStaleReject, type CorpusFacts } from '../check/check-project.js';
import { compareCodings, mergeAccepted, type Coding } from '../coding/code-transcript.js';
import type { Matcher } from '../coding/matcher.js';
import { literalAutomaton } from '../coding/pattern-prefilter.js';
import { Utf8Matcher } from '../coding/utf8-matcher.js';
import { charAt } from '../coding/utf8.js';
import { wasmScanner, type LiteralAutomaton, type WasmScanner } from '../coding/wasm-scanner.js';
import { SourceFile } from '../core/source-file.js';
import { escapeCuts, scanMarkers, type RawMarker } from '../project/markers.js';
import type { Language, Role } from '../project/model.js';
import { blockKind, isLineSpace, isSpace, parseFrontMatter, readHead, removeCuts, reportNoRespondentText, trimSpaces, type Head, type TranscriptHeader } from '../project/transcript.js';
import { panelRowsOf, resolveAttributes, type FactsCounter } from './stage-parts.js';
import type { ProjectFrame } from './load-project.js';

/** What `tag` shows of a transcript. */
export interface Tally {
  /** The front matter's text only, with the transcript's diagnostics. */
  file: SourceFile;
  /** With a detail request: the codings and facts. */
  detail?: BodyDetail;
  header: TranscriptHeader;
  segments: number;
  /** Segments with at least one coding. */
  coded: number;
  auto: number;
  manual: number;
  /** Codings per code, automatic and manual. */
  codes: Map<string, number>;
}

/** Returned for a transcript that `only` leaves out. */
export const SKIPPED = 'skipped';

/**
 * Tallies the transcript at `relative`; undefined when the full parser must
 * read it instead (see the module comment).
 */
export function tallyTranscript(frame: ProjectFrame, relative: string, matcherFor: (language: Language) => Matcher | undefined, only?: ReadonlySet<string>): Tally | typeof SKIPPED | undefined {
  const bytes = readBytes(path.resolve(frame.root, relative));
  if (!bytes) return undefined;
  return tallyBytes(frame, relative, bytes, matcherFor, only);
}

/** A transcript's record, from its bytes, as the full parser and `codeTranscript` give it (see {@link recordFromBytes}). */
export interface ByteRecord {
  /** The front matter's text only, with the transcript's diagnostics. */
  file: SourceFile;
  header: TranscriptHeader;
  segments: number;
  codings: BodyCoding[];
  /** The codes of the rejections that rejected an automatic coding (`TranscriptCoding.rejected`). */
  rejected: string[];
  facts: CorpusFacts | undefined;
}

/**
 * The byte-level implementation of the per-transcript stage: the record of
 * the transcript whose file holds `bytes` (its front matter, segment count,
 * codings with their plain-text offsets, diagnostics and facts), computed as
 * `tag` computes its summary; undefined when the full parser must read it
 * (see the module comment), or without a codebook. `counter` counts the
 * facts of the corpus-wide rules (none without it).
 */
export function recordFromBytes(frame: ProjectFrame, relative: string, bytes: Uint8Array, matcherFor: (language: Language) => Matcher | undefined, counter: FactsCounter | undefined): ByteRecord | undefined {
  if (!frame.codebook || bytes.length > MAX_TALLY_BYTES) return undefined;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tally = tallyBytes(frame, relative, buffer, matcherFor, undefined, counter ?? null);
  if (!tally || tally === SKIPPED || !tally.detail) return undefined;
  const { file, header, segments, detail } = tally;
  if (counter && !detail.facts) return undefined;
  return { file, header, segments, codings: detail.codings, rejected: detail.rejected, facts: detail.facts };
}

/** `tallyTranscript` on bytes read; `detail` (a counter, or null for none) also gathers the record's codings and facts. */
function tallyBytes(frame: ProjectFrame, relative: string, bytes: Buffer, matcherFor: (language: Language) => Matcher | undefined, only?: ReadonlySet<string>, detail?: FactsCounter | null): Tally | typeof SKIPPED | undefined {
  if (!plainUtf8(bytes)) return undefined;
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const bodyStart = frontMatterEnd(bytes, bom);
  if (bodyStart < 0) return undefined;
  const file = new SourceFile(relative.split(path.sep).join('/'), bytes.toString('utf8', bom, bodyStart));
  const config = frame.config;
  const header = parseFrontMatter(file, { language: config.language, speakers: config.speakers, codeInterviewer: config.codeInterviewer });
  if (!header) return undefined;
  if (only && !only.has(header.id)) return SKIPPED;
  const matcher = frame.codebook ? matcherFor(header.language) : undefined;
  if (detail !== undefined && !matcher) return undefined;
  const body = tallyBody(bytes, bodyStart, file.path, header.speakers, config.codeInterviewer, matcher, frame.codebook?.codes, detail === undefined ? undefined : { counter: detail ?? undefined, language: header.language });
  if (!body) return undefined;
  if (body.segments === 0) reportNoRespondentText(file, header);
  resolveAttributes(file, header, panelRowsOf(frame));
  if (!frame.panelBroken) checkTranscriptAttributes(header, file, frame.panel, config.corpus);
  if (body.stale.length > 0) {
    // The file is decoded once to say where each marker is (line and column), as the full parser would.
    const whole = new SourceFile(file.path, bytes.toString('utf8', bom));
    const unitsTo = utf16Units(bytes, bom);
    for (const s of [...body.stale].sort((x, y) => x.base - y.base)) {
      const at = unitsTo(s.base) + s.before.length;
      file.messages.push(reportStaleReject(whole, s.code as string, [at, at + s.marker.length]));
    }
  }
  return { file, header, ...body };
}

/** Largest file tallied (larger ones go to the full parser): the scanner's memory grows with the largest file. */
const MAX_TALLY_BYTES = 16 * 1024 * 1024;

/** One buffer for every file read, grown as needed: a file's bytes are only used while it is tallied. */
let readBuffer = Buffer.allocUnsafe(1 << 20);

/** The bytes of a file (a view of the shared buffer), or undefined when it cannot be read or is too large. */
function readBytes(absolute: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(absolute, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_TALLY_BYTES) return undefined;
    if (size > readBuffer.length) readBuffer = Buffer.allocUnsafe(size + (size >> 2));
    let n = 0;
    while (n < size) {
      const read = readSync(fd, readBuffer, n, size - n, n);
      if (read === 0) break;
      n += read;
    }
    return readBuffer.subarray(0, n);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** UTF-8 that the full reader would decode as is: no UTF-16 BOM, no zero byte, no CR, no U+2028/2029 (line ends for `^` in the front matter). */
function plainUtf8(bytes: Buffer): boolean {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return false;
  if (bytes.subarray(0, 8192).indexOf(0) >= 0) return false;
  if (bytes.indexOf(0x0d) >= 0 || bytes.indexOf(LINE_SEPARATOR) >= 0 || bytes.indexOf(PARAGRAPH_SEPARATOR) >= 0) return false;
  return isUtf8(bytes);
}

const LINE_SEPARATOR = Buffer.from('\u2028');
const PARAGRAPH_SEPARATOR = Buffer.from('\u2029');
/** With the `iu` flags, `ſ` matches `s` and the Kelvin sign `k` (see pattern-prefilter.ts). */
const LONG_S = Buffer.from('\u017f');
const KELVIN = Buffer.from('\u212a');
/** `ﬀ` to `ﬆ` (U+FB00 to U+FB06) start with these bytes: patterns read them spelled out (`fi`), letters that literals may hold. */
const LIGATURE_LEAD = Buffer.from([0xef, 0xac]);
/** Characters that patterns read composed (NFC) as an ASCII character that literals may hold: `;` and `` ` ``. */
const ASCII_SINGLETONS = [Buffer.from('\u037e'), Buffer.from('\u1fef')];

/** Where the body starts: after the line that closes the front matter; -1 when there is no front matter or it is never closed. */
function frontMatterEnd(bytes: Buffer, from: number): number {
  // `---` and optional blanks on the first line…
  if (bytes[from] !== 0x2d || bytes[from + 1] !== 0x2d || bytes[from + 2] !== 0x2d) return -1;
  let i = from + 3;
  while (bytes[i] === 0x20 || bytes[i] === 0x09) i++;
  if (bytes[i] !== 0x0a) return -1;
  // …then the first line that is `---` or `...` and optional blanks.
  for (let line = i + 1; line < bytes.length; ) {
    const c = bytes[line];
    if ((c === 0x2d || c === 0x2e) && bytes[line + 1] === c && bytes[line + 2] === c) {
      let k = line + 3;
      while (bytes[k] === 0x20 || bytes[k] === 0x09) k++;
      if (k >= bytes.length) return bytes.length;
      if (bytes[k] === 0x0a) return k + 1;
    }
    const eol = bytes.indexOf(0x0a, line);
    if (eol < 0) break;
    line = eol + 1;
  }
  return -1;
}

/** Character classes for blank lines and trimming, by UTF-16 code unit, from the parser's own tests, each computed on first sight. */
const spaceTable = new Uint8Array(65536);
const LINE_SPACE = 1;
const TRIM_SPACE = 2;
const KNOWN = 4;

/** The class bits of the character at `i` (0 for characters outside the BMP, which are never spaces). */
function spaceAt(bytes: Buffer, i: number): number {
  const packed = charAt(bytes, i);
  if (packed < 0) return 0;
  const c = packed >> 2;
  let bits = spaceTable[c] as number;
  if (bits === 0) {
    bits = KNOWN | (isLineSpace(c) ? LINE_SPACE : 0) | (isSpace(c) ? TRIM_SPACE : 0);
    spaceTable[c] = bits;
  }
  return bits;
}

/** Byte length of the UTF-8 character at `i`. */
function charLength(bytes: Buffer, i: number): number {
  const b = bytes[i] as number;
  return b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
}

/** True when `bytes[from, to)` holds only characters that leave a line blank. */
function isBlank(bytes: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; ) {
    const b = bytes[i] as number;
    if (b === 0x20 || b === 0x09 || b === 0x0b || b === 0x0c) i++;
    else if (b < 0x80 || (spaceAt(bytes, i) & LINE_SPACE) === 0) return false;
    else i += charLength(bytes, i);
  }
  return true;
}

/** The counts of the body, or undefined to give up. */
/** A `{!code}` of the body, told by the bytes before its paragraph (or tail) and the characters before and in it. */
interface StaleMarker {
  base: number;
  before: string;
  marker: string;
  code?: string;
}

interface BodyTally {
  /** The rejections that rejected nothing (`stale-reject`). */
  stale: StaleMarker[];
  /** With `detail`: the codings and facts. */
  detail?: BodyDetail;
  segments: number;
  coded: number;
  auto: number;
  manual: number;
  codes: Map<string, number>;
}

/** A coding of the body: a transcript's coding (its segment, code, origin and plain-text range) but for its transcript and evidence. */
export type BodyCoding = Omit<Coding, 'transcript' | 'evidence'>;

/** Every coding of a body, in the order `codeTranscript` gives, and the facts of the corpus-wide rules (undefined without a counter). */
interface BodyDetail {
  codings: BodyCoding[];
  /** The codes of the rejections that rejected an automatic coding, as `codeTranscript` gives them. */
  rejected: string[];
  facts: CorpusFacts | undefined;
}

/** What `tallyBody` gathers besides the counts, for a transcript's record (`recordFromBytes`). */
interface DetailRequest {
  /** Counts the facts in this transcript's language (when the counter counts them). */
  counter: FactsCounter | undefined;
  language: Language;
}

/**
 * A list of integers in a typed array that is kept from file to file: the
 * per-file lists (paragraphs, segments, codings) are cleared, not
 * reallocated, so that tallying a file makes no garbage of them (growing
 * arrays were a sixth of what `tag` allocated).
 */
class IntList {
  private data = new Int32Array(1024);
  length = 0;

  /** Empties the list (for the next file) and returns it. */
  clear(): this {
    this.length = 0;
    return this;
  }

  push(a: number, b?: number): void {
    if (this.length + 2 > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = a;
    if (b !== undefined) this.data[this.length++] = b;
  }

  at(index: number): number {
    return this.data[index] as number;
  }

  /** The items, as a view that the next `push` may invalidate. */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/** The lists `tallyBody` fills, one set for the process (a tally runs to its end before the next starts). */
const lists = {
  paragraphs: new IntList(),
  segmentOf: new IntList(),
  toCode: new IntList(),
  ranges: new IntList(),
  autoParagraphs: new IntList(),
  autoCodes: new IntList(),
};

const utf8Matchers = new WeakMap<Matcher, Utf8Matcher>();
const automata = new WeakMap<Matcher, LiteralAutomaton | null>();

/**
 * The automaton of the literals one of which any pattern match contains;
 * null when a pattern has none (every paragraph is then decoded for the
 * patterns), undefined without patterns.
 */
function automatonOf(matcher: Matcher): LiteralAutomaton | null | undefined {
  const literals = matcher.parts.patternLiterals;
  if (literals === null) return null;
  if (literals.length === 0) return undefined;
  let automaton = automata.get(matcher);
  if (!automaton) {
    automaton = literalAutomaton(literals);
    automata.set(matcher, automaton);
  }
  return automaton;
}

/**
 * The UTF-16 units of the UTF-8 text `bytes[from, pos)`, for positions asked
 * in increasing order (each byte is read once): what a decoded string's
 * offset at `pos` is.
 */
function utf16Units(bytes: Buffer, from: number): (pos: number) => number {
  let at = from;
  let units = 0;
  return (pos) => {
    for (; at < pos; at++) {
      const b = bytes[at] as number;
      if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
    }
    return units;
  };
}

function tallyBody(bytes: Buffer, bodyStart: number, display: string, speakers: Record<string, Role>, codeInterviewer: boolean, matcher: Matcher | undefined, known: ReadonlyMap<string, unknown> | undefined, detail?: DetailRequest): BodyTally | undefined {
  const n = bytes.length;
  // With `detail`, where each segment is in the plain text: UTF-16 units of the body up to a byte (asked in
  // increasing order), less the units of the markers cut before it.
  const unitsTo = utf16Units(bytes, bodyStart);
  let cut = 0;
  // Per segment (from 1): its plain bounds; and, for those coded from decoded text, that text and range (for the facts).
  const bounds: number[] = [0, 0];
  const decodedSegments = new Map<number, { text: string; from: number; to: number }>();
  let utf8: Utf8Matcher | undefined;
  let scanner: WasmScanner | undefined;
  let automaton: LiteralAutomaton | null | undefined;
  if (matcher) {
    // The segments are scanned by the WebAssembly scanner; without it (sources not built), the full parser does the work.
    scanner = wasmScanner();
    if (!scanner) return undefined;
    automaton = automatonOf(matcher);
    if (automaton) scanner.useLiterals(automaton);
    utf8 = utf8Matchers.get(matcher);
    if (!utf8) utf8Matchers.set(matcher, (utf8 = new Utf8Matcher(matcher, scanner)));
  }
  // The segments to code by keywords and patterns, once the paragraphs are read: their paragraph, and their byte ranges.
  const toCode = lists.toCode.clear();
  const ranges = lists.ranges.clear();
  const specials = new SpecialBytes(bytes);
  // Paragraph heads repeat (`**R :** `): read each once.
  const heads = new HeadCache();

  // What the parser keeps of each paragraph: whether it has words (1 for kind `text`, not empty), and its segment number (0 when none).
  const paragraphs = lists.paragraphs.clear();
  const segmentOf = lists.segmentOf.clear();
  let segments = 0;
  let role: Role = 'respondent';
  const manual: { code: string; paragraph: number; span?: readonly [number, number] }[] = [];
  // What the markers code, to find a repeat (the parser reports it, \`duplicate-marker\`: the full parser's job).
  let marked: Set<string> | undefined;
  let rejected: Map<number, Map<string, StaleMarker>> | undefined;
  // Automatic codes, one entry per (paragraph, code): rejections found later still apply.
  const autoParagraphs = lists.autoParagraphs.clear();
  // Codes as numbers (`Utf8Matcher.codeId`).
  const autoCodes = lists.autoCodes.clear();
  const found: number[] = [];
  let ok = true;

  const addParagraph = (text: boolean, paragraphRole: Role): number => {
    const index = paragraphs.length;
    const coded = text && (paragraphRole === 'respondent' || (codeInterviewer && paragraphRole === 'interviewer'));
    paragraphs.push(text ? 1 : 0);
    segmentOf.push(coded ? ++segments : 0);
    return index;
  };
  const codeSegment = (index: number, codes: readonly number[], n = codes.length): void => {
    for (let k = 0; k < n; k++) {
      autoParagraphs.push(index);
      autoCodes.push(codes[k] as number);
    }
  };
  // The string route: a paragraph with markers (or an unusual head) is decoded and parsed as the full parser does.
  const viaString = (raw: string, base: number): void => {
    const head = readHead(raw, 0, raw.length, speakers);
    if (head.unknown) {
      ok = false;
      return;
    }
    if (head.role) role = head.role;
    const mini = new SourceFile(display, raw);
    const scanned = scanMarkers(mini, head.pos, raw.length);
    if (mini.messages.length > 0 || scanned.markers.some((m) => m.type === 'begin' || m.type === 'end')) {
      ok = false;
      return;
    }
    const { plain, toPlain } = removeCuts(raw, head.pos, scanned.cuts);
    const [a, b] = trimSpaces(plain, 0, plain.length);
    const index = addParagraph(a < b, role);
    // Where this paragraph's plain text starts in the transcript's.
    const origin = detail ? unitsTo(base) + head.pos - cut : 0;
    if (detail) {
      for (const [cs, ce] of scanned.cuts) cut += ce - cs;
      if (segmentOf.at(index) !== 0) {
        bounds.push(origin + a, origin + b);
        decodedSegments.set(segmentOf.at(index), { text: plain, from: a, to: b });
      }
    }
    if (a < b && segmentOf.at(index) !== 0 && matcher && utf8) {
      const ids = utf8;
      codeSegment(index, [...matcher.match(plain.slice(a, b)).keys()].map((code) => ids.codeId(code)));
    }
    if (!addMarkers(scanned.markers, index, toPlain, base, raw, origin)) ok = false;
  };
  /** Records the markers of paragraph `index`; false to give up (unknown code, empty span, marker outside the segments). */
  const addMarkers = (markers: readonly RawMarker[], index: number, plainOf: (offset: number) => number, base: number, raw: string, origin = 0): boolean => {
    // Markers alone in a paragraph belong to the paragraph above (the last one with words).
    let target = index;
    if (paragraphs.at(index) === 0) {
      for (let j = index - 1; j >= 0; j--) {
        if (paragraphs.at(j) !== 0) {
          target = j;
          break;
        }
      }
    }
    for (const m of markers) {
      let where = '';
      if (m.type === 'span') {
        const [s, e] = m.span as readonly [number, number];
        if (plainOf(e) <= plainOf(s)) return false;
        where = ` ${plainOf(s)} ${plainOf(e)}`;
      }
      for (const code of m.codes) {
        if (known && !known.has(code.id)) return false;
        if (segmentOf.at(target) === 0) return false;
        const key = `${m.type} ${target} ${code.id}${where}`;
        marked ??= new Set();
        if (marked.has(key)) return false;
        marked.add(key);
        if (m.type === 'reject') {
          rejected ??= new Map();
          const set = rejected.get(target) ?? new Map<string, StaleMarker>();
          // Where the marker is: the bytes before `raw`, and the characters of `raw` up to it and in it.
          set.set(code.id, { base, before: raw.slice(0, code.range[0]), marker: raw.slice(code.range[0], code.range[1]) });
          rejected.set(target, set);
        } else if (m.type === 'span' && detail) {
          // A span of words in a paragraph without words cannot be: the parser would clamp it to another's.
          if (target !== index) return false;
          const [sa, sb] = m.span as readonly [number, number];
          manual.push({ code: code.id, paragraph: target, span: [origin + plainOf(sa), origin + plainOf(sb)] });
        } else manual.push({ code: code.id, paragraph: target });
      }
    }
    return true;
  };

  /** The paragraph `bytes[bs, be)`, whose first line ends at `lineEnd`. */
  const block = (bs: number, be: number, lineEnd: number): void => {
    const first = bytes[bs] as number;
    let raw: string | undefined;
    if (first === 0x23 || first === 0x3c) {
      // `#` or `<`: perhaps a heading or a comment, which the parser tells from the whole paragraph.
      raw = bytes.toString('utf8', bs, be);
      const kind = blockKind(raw);
      if (kind) {
        addParagraph(false, 'other');
        // The parser cuts the backslashes of its escapes (`\\[`) from the plain text.
        if (detail) cut += escapeCuts(raw, 0, raw.length).length;
        return;
      }
    }
    const head = raw === undefined ? headOf(bytes, bs, lineEnd, be, speakers, heads) : undefined;
    if (!head) {
      viaString(raw ?? bytes.toString('utf8', bs, be), bs);
      return;
    }
    // Markers after the last words (`… fin. {#code} {!autre}`) are read from the decoded tail; others from the decoded paragraph.
    const special = specials.first(head.contentStart, be);
    let markers: readonly RawMarker[] = NO_MARKERS;
    let tailText = '';
    if (special >= 0) {
      tailText = bytes.toString('utf8', special, be);
      const tail = tailMarkers(tailText, display);
      if (!tail) {
        viaString(bytes.toString('utf8', bs, be), bs);
        return;
      }
      markers = tail;
    }
    if (head.unknown) {
      ok = false;
      return;
    }
    if (head.role) role = head.role;
    // The paragraph's words, trimmed as the parser trims them.
    let ts = head.contentStart;
    let te = special >= 0 ? special : be;
    while (ts < te) {
      const b = bytes[ts] as number;
      if (b === 0x20 || b === 0x0a || b === 0x09) ts++;
      else if (b >= 0x80 && (spaceAt(bytes, ts) & TRIM_SPACE) !== 0) ts += charLength(bytes, ts);
      else break;
    }
    while (te > ts) {
      const b = bytes[te - 1] as number;
      if (b === 0x20 || b === 0x0a || b === 0x09) te--;
      else if (b >= 0x80) {
        let k = te - 1;
        while (k > ts && ((bytes[k] as number) & 0xc0) === 0x80) k--;
        if ((spaceAt(bytes, k) & TRIM_SPACE) === 0) break;
        te = k;
      } else break;
    }
    const index = addParagraph(ts < te, role);
    if (detail) {
      if (segmentOf.at(index) !== 0) bounds.push(unitsTo(ts) - cut, unitsTo(te) - cut);
      // (Without words, the parser's scan of the paragraph starts where its words would: after the label.)
      if (markers.length > 0) cut += ts < te ? tailCutUnits(`x${bytes.toString('utf8', te, be)}`, display) : tailCutUnits(bytes.toString('utf8', head.contentStart, be), display);
    }
    if (markers.length > 0 && !addMarkers(markers, index, identity, special, tailText)) ok = false;
    if (segmentOf.at(index) === 0 || !utf8) return;
    toCode.push(index);
    ranges.push(ts, te);
  };

  // Paragraphs are runs of non-blank lines (an empty line is told without a search).
  let blockStart = -1;
  let blockEnd = -1;
  let firstLineEnd = -1;
  for (let pos = bodyStart; pos < n && ok; ) {
    const first = bytes[pos] as number;
    let eol = first === 0x0a ? pos : bytes.indexOf(0x0a, pos);
    if (eol < 0) eol = n;
    const blank = first === 0x0a || ((first === 0x20 || first === 0x09 || first >= 0x80 || first === 0x0b || first === 0x0c) && isBlank(bytes, pos, eol));
    if (blank) {
      if (blockStart >= 0) block(blockStart, blockEnd, firstLineEnd);
      blockStart = -1;
    } else if (blockStart >= 0) blockEnd = eol;
    else {
      blockStart = pos;
      blockEnd = eol;
      firstLineEnd = eol;
    }
    pos = eol + 1;
  }
  if (blockStart >= 0 && ok) block(blockStart, blockEnd, firstLineEnd);
  if (!ok) return undefined;

  // The segments' words, scanned in one call (the interviewer's are not coded, and not scanned).
  if (matcher && utf8 && scanner && toCode.length > 0) {
    if (!utf8.scan(bytes, ranges.view())) return undefined;
    const mayMatchPattern = automaton === undefined ? () => false : patternFilter(scanner, bytes, bodyStart, automaton);
    for (let r = 0; r < toCode.length; r++) {
      const ts = ranges.at(2 * r);
      const te = ranges.at(2 * r + 1);
      let count = utf8.codes(r, found);
      if (mayMatchPattern(ts, te)) {
        // Patterns run on the decoded words; `unless` vetoes them too.
        for (const code of matcher.parts.patternCodes(bytes.toString('utf8', ts, te))) {
          const id = utf8.codeId(code);
          if (!found.slice(0, count).includes(id) && !utf8.vetoes(id)) found[count++] = id;
        }
      }
      codeSegment(toCode.at(r), found, count);
    }
  }

  const codes = new Map<string, number>();
  // Paragraphs with a coding, as flags (a Set would grow and rehash for every file).
  const isCoded = new Uint8Array(paragraphs.length);
  let coded = 0;
  const mark = (paragraph: number): void => {
    if (isCoded[paragraph] === 0) {
      isCoded[paragraph] = 1;
      coded++;
    }
  };
  let autoCount = 0;
  for (const m of manual) {
    mark(m.paragraph);
    codes.set(m.code, (codes.get(m.code) ?? 0) + 1);
  }
  const names = utf8?.codeNames ?? [];
  const perCode = new Int32Array(names.length);
  // Rejections that rejected something: one that rejects nothing is a `stale-reject`, which the full path reports.
  let used: Set<string> | undefined;
  // An automatic coding of a code the paragraph carries by hand is an accepted one, counted once, as manual (`mergeAccepted`).
  const byHand = manual.length === 0 ? undefined : new Set(manual.map((m) => `${m.paragraph} ${m.code}`));
  for (let k = 0; k < autoCodes.length; k++) {
    const paragraph = autoParagraphs.at(k);
    const id = autoCodes.at(k);
    if (rejected?.get(paragraph)?.has(names[id] as string)) {
      (used ??= new Set()).add(`${paragraph} ${names[id] as string}`);
      continue;
    }
    if (byHand?.has(`${paragraph} ${names[id] as string}`)) continue;
    autoCount++;
    mark(paragraph);
    perCode[id] = (perCode[id] as number) + 1;
  }
  for (let id = 0; id < names.length; id++) {
    const count = perCode[id] as number;
    if (count > 0) codes.set(names[id] as string, (codes.get(names[id] as string) ?? 0) + count);
  }
  const stale: StaleMarker[] = [];
  const rejectedCodes: string[] = [];
  if (utf8 && rejected) {
    for (const [paragraph, set] of rejected) {
      for (const [code, at] of set) {
        if (used?.has(`${paragraph} ${code}`)) rejectedCodes.push(code);
        else stale.push({ ...at, code });
      }
    }
  }
  if (!detail) return { segments, coded, auto: autoCount, manual: manual.length, codes, stale };
  // The codings as `codeTranscript` gives them: a paragraph's cover its segment, a span's its words within it.
  const codings: BodyCoding[] = [];
  for (const m of manual) {
    const segment = segmentOf.at(m.paragraph);
    const s = bounds[2 * segment] as number;
    const e = bounds[2 * segment + 1] as number;
    if (m.span) codings.push({ segment, code: m.code, origin: 'manual', start: Math.max(m.span[0], s), end: Math.min(m.span[1], e), span: true });
    else codings.push({ segment, code: m.code, origin: 'manual', start: s, end: e, span: false });
  }
  for (let k = 0; k < autoCodes.length; k++) {
    const paragraph = autoParagraphs.at(k);
    const code = names[autoCodes.at(k)] as string;
    if (rejected?.get(paragraph)?.has(code)) continue;
    const segment = segmentOf.at(paragraph);
    codings.push({ segment, code, origin: 'auto', start: bounds[2 * segment] as number, end: bounds[2 * segment + 1] as number, span: false });
  }
  return { segments, coded, auto: autoCount, manual: manual.length, codes, stale, detail: { codings: mergeAccepted(codings.sort(compareCodings)), rejected: rejectedCodes, facts: detailFacts(detail, segments, decodedSegments, toCode, segmentOf, utf8) } };
}

/**
 * The facts of the corpus-wide rules of a tallied body, segment after
 * segment: the words of those the scanner read (its tokens, and the hits of
 * candidate words, decoded once per form), the decoded ones scanned again.
 */
function detailFacts(detail: DetailRequest, segments: number, decoded: ReadonlyMap<number, { text: string; from: number; to: number }>, toCode: IntList, segmentOf: IntList, utf8: Utf8Matcher | undefined): CorpusFacts | undefined {
  const counter = detail.counter;
  if (!counter) return undefined;
  const facts = counter.start(detail.language, segments);
  const rangeOf = new Int32Array(segments + 1).fill(-1);
  for (let r = 0; r < toCode.length; r++) rangeOf[segmentOf.at(toCode.at(r))] = r;
  const scan = utf8?.scanned;
  const words = new Map<number, string>();
  const stems = counter.counts(detail.language);
  for (let segment = 1; segment <= segments; segment++) {
    const text = decoded.get(segment);
    if (text) {
      counter.text(facts, text.text, detail.language, text.from, text.to);
      continue;
    }
    const r = rangeOf[segment] as number;
    if (r < 0 || !scan || !utf8) return undefined;
    const ends = scan.rangeEnds;
    counter.segment(facts, (ends[2 * r] as number) - (r === 0 ? 0 : (ends[2 * r - 2] as number)));
    if (!stems) continue;
    for (let h = r === 0 ? 0 : (ends[2 * r - 1] as number); h < (ends[2 * r + 1] as number); h++) {
      const form = scan.hits[2 * h + 1] as number;
      let word = words.get(form);
      if (word === undefined) {
        word = utf8.formText(form);
        words.set(form, word);
      }
      counter.word(facts, word);
    }
  }
  return facts;
}

const NO_MARKERS: readonly RawMarker[] = [];
const identity = (offset: number): number => offset;

/** A paragraph's head read from its first bytes: where its words start (in bytes), and the speaker. */
interface ByteHead {
  contentStart: number;
  role: Role | undefined;
  unknown: boolean;
}

const STAR = 0x2a;
const COLON = 0x3a;

/**
 * Reads the timestamp and speaker label at the start of `bytes[bs, be)` (its first line ends at `lineEnd`) with
 * the parser's own `readHead`, decoding only the bytes its expressions can
 * read. They never read past the first line, and their extent is set by ASCII
 * delimiters: a label runs to the first `*` or `:`, then come blanks, colons
 * and stars, then perhaps a timestamp `[…]`. Undefined when a label could be
 * followed by a long run of blanks (the caller decodes the paragraph).
 */
function headOf(bytes: Buffer, bs: number, lineEnd: number, be: number, speakers: Record<string, Role>, cache: HeadCache): ByteHead | undefined {
  const p = afterTimestamp(bytes, bs, lineEnd);
  let end = p;
  if (bytes[p] === STAR && bytes[p + 1] === STAR) {
    // `**Label :**` or `**Label** :`.
    let q = p + 2;
    while (q < lineEnd && bytes[q] !== STAR && bytes[q] !== COLON) q++;
    end = afterRun(bytes, q, lineEnd);
  } else {
    // `Label :`: a colon before any star, the label at most 40 characters (120 bytes) then blanks.
    const limit = Math.min(lineEnd, p + 200);
    let q = p;
    while (q < limit && bytes[q] !== COLON && bytes[q] !== STAR) q++;
    if (q < limit && bytes[q] === COLON) end = afterRun(bytes, q, lineEnd);
    else if (q === limit && limit < lineEnd) {
      let far = false;
      for (let k = p + 121; k < limit; k++) if (bytes[k] !== 0x20 && bytes[k] !== 0x09) far = true;
      if (!far) return undefined;
    }
  }
  const whole = end === be;
  let known = whole ? undefined : cache.get(bytes, bs, end);
  if (!known) {
    const text = bytes.toString('utf8', bs, end);
    const head = readHead(text, 0, whole ? text.length : Number.MAX_SAFE_INTEGER, speakers);
    known = { head, bytes: Buffer.byteLength(text.slice(0, head.pos)) };
    if (!whole) cache.set(bytes, bs, end, known);
  }
  const { head } = known;
  byteHead.contentStart = bs + known.bytes;
  byteHead.role = head.role;
  byteHead.unknown = head.unknown !== undefined;
  return byteHead;
}

/** The one ByteHead object `headOf` fills (read before the next call): no garbage per paragraph. */
const byteHead: ByteHead = { contentStart: 0, role: undefined, unknown: false };

/** A head read, and the byte length of what it covers. */
interface KnownHead {
  head: Head;
  bytes: number;
}

/** The heads of recent paragraphs by their bytes: most paragraphs open with one of a few (`**R :** `). */
class HeadCache {
  private readonly entries: { key: Buffer; known: KnownHead }[] = [];

  get(bytes: Buffer, from: number, to: number): KnownHead | undefined {
    const n = to - from;
    for (const entry of this.entries) {
      const key = entry.key;
      if (key.length !== n) continue;
      let same = true;
      for (let i = 0; i < n; i++) {
        if (key[i] !== bytes[from + i]) {
          same = false;
          break;
        }
      }
      if (same) return entry.known;
    }
    return undefined;
  }

  set(bytes: Buffer, from: number, to: number, known: KnownHead): void {
    if (this.entries.length >= 8) this.entries.shift();
    this.entries.push({ key: Buffer.from(bytes.subarray(from, to)), known });
  }
}

/** After a possible timestamp `[…]` and its blanks at `at` (the parser checks that it is one). */
function afterTimestamp(bytes: Buffer, at: number, lineEnd: number): number {
  if (bytes[at] !== 0x5b) return at;
  const close = bytes.subarray(at, Math.min(lineEnd, at + 16)).indexOf(0x5d);
  if (close < 0) return at;
  let r = at + close + 1;
  while (r < lineEnd && (bytes[r] === 0x20 || bytes[r] === 0x09)) r++;
  return r;
}

/**
 * The end of what a speaker label's expression may read from `q`: blanks,
 * colons and stars, then a timestamp; and, after a colon followed by none of
 * them, the character that `Label :` looks ahead at (a blank or the line end).
 */
function afterRun(bytes: Buffer, q: number, lineEnd: number): number {
  let r = q;
  while (r < lineEnd && (bytes[r] === 0x20 || bytes[r] === 0x09 || bytes[r] === COLON || bytes[r] === STAR)) r++;
  if (r === q + 1 && bytes[q] === COLON && r < lineEnd) return r + charLength(bytes, r);
  return afterTimestamp(bytes, r, lineEnd);
}

/**
 * The markers of a paragraph's tail, from its first marker character on,
 * when the tail holds nothing else: paragraph and reject markers and blanks.
 * Undefined otherwise (spans, escapes, other text, any diagnostic): the
 * caller parses the whole paragraph.
 */
function tailMarkers(tail: string, display: string): readonly RawMarker[] | undefined {
  // Tails repeat (`{!code}` on many answers): parse each once (markers are only read, never changed).
  const known = tails.get(tail);
  if (known !== undefined) return known ?? undefined;
  const markers = parseTail(tail, display);
  if (tails.size >= 4096) tails.clear();
  tails.set(tail, markers ?? null);
  return markers;
}

const tails = new Map<string, readonly RawMarker[] | null>();

/**
 * The UTF-16 units that the parser cuts out of the end of a paragraph: its
 * own scan of `text`, which is what follows the paragraph's words (the blanks,
 * then the markers) after a stand-in for the words (the parser widens a cut
 * over the blanks before a marker, but not past the words), or the whole
 * paragraph after its label when it has no words.
 */
function tailCutUnits(text: string, display: string): number {
  const { cuts } = scanMarkers(new SourceFile(display, text), 0, text.length);
  let units = 0;
  for (const [cs, ce] of cuts) units += ce - cs;
  return units;
}

function parseTail(tail: string, display: string): RawMarker[] | undefined {
  if (tail.includes('\\')) return undefined;
  const mini = new SourceFile(display, tail);
  const scanned = scanMarkers(mini, 0, tail.length);
  if (mini.messages.length > 0 || scanned.markers.some((m) => m.type !== 'add' && m.type !== 'reject')) return undefined;
  const { plain } = removeCuts(tail, 0, scanned.cuts);
  const [a, b] = trimSpaces(plain, 0, plain.length);
  return a < b ? undefined : scanned.markers;
}

/**
 * Where the marker characters (`{`, `[`, `]`, `\`) are, found natively and
 * lazily: `first(from, to)` is asked for increasing ranges.
 */
class SpecialBytes {
  /** Per character, where it is next (NONE when nowhere after): small integers, so that V8 keeps them unboxed. */
  private readonly next = new Int32Array([-1, -1, -1, -1]);
  private static readonly CHARS = [0x7b, 0x5b, 0x5d, 0x5c];
  private static readonly NONE = 0x7fffffff;
  constructor(private readonly bytes: Buffer) {}

  /** The first marker character in `[from, to)`, or -1. */
  first(from: number, to: number): number {
    const next = this.next;
    let first = SpecialBytes.NONE;
    for (let k = 0; k < 4; k++) {
      let at = next[k] as number;
      if (at < from) {
        at = this.bytes.indexOf(SpecialBytes.CHARS[k] as number, from);
        if (at < 0) at = SpecialBytes.NONE;
        next[k] = at;
      }
      if (at < first) first = at;
    }
    return first < to ? first : -1;
  }
}

/** True when `bytes` hold one of the print ligatures (U+FB00 to U+FB06) from `from` on. */
function hasLigature(bytes: Buffer, from: number): boolean {
  for (let at = bytes.indexOf(LIGATURE_LEAD, from); at >= 0; at = bytes.indexOf(LIGATURE_LEAD, at + 2)) {
    const third = bytes[at + 2] ?? 0;
    if (third >= 0x80 && third <= 0x86) return true;
  }
  return false;
}

/**
 * Which paragraphs a pattern may match: those where one of the patterns'
 * literals ends (found by the scanner's automaton; ASCII literals match the
 * same bytes in UTF-8). Every paragraph may when a pattern has no literal,
 * or the text holds `ſ` and a literal an `s`, or the Kelvin sign and a
 * literal a `k`, or a print ligature (`ﬁ`) or a character that is ASCII once
 * composed (patterns read the text composed, ligatures spelled out: see
 * `patternView`). Asked for increasing ranges.
 */
function patternFilter(scanner: WasmScanner, bytes: Buffer, bodyStart: number, automaton: LiteralAutomaton | null): (from: number, to: number) => boolean {
  if (automaton === null) return () => true;
  // `ſ` stands for `s` and the Kelvin sign for `k` under `iu`: they matter only when a literal has that letter.
  const has = (letter: RegExp): boolean => automaton.literals.some((l) => letter.test(l));
  if ((has(/s/i) && bytes.indexOf(LONG_S, bodyStart) >= 0) || (has(/k/i) && bytes.indexOf(KELVIN, bodyStart) >= 0)) return () => true;
  if (hasLigature(bytes, bodyStart) || ASCII_SINGLETONS.some((c) => bytes.indexOf(c, bodyStart) >= 0)) return () => true;
  const ends = scanner.findLiterals(automaton, bodyStart, bytes.length);
  if (!ends) return () => true;
  let cursor = 0;
  return (from, to) => {
    while (cursor < ends.length && (ends[cursor] as number) <= from) cursor++;
    return cursor < ends.length && (ends[cursor] as number) <= to;
  };
}
