/**
 * Which unit a tool's `startPosition`/`endPosition` count, and how to turn
 * them into JavaScript string offsets.
 *
 * The REFI-QDA specification (§10.2) says Unicode code points, counted from 0,
 * end exclusive. NVivo (Windows 12.6, Mac 12.7) writes UTF-16 code units
 * instead, and counts CRLF as two; ATLAS.ti counts a CRLF line break as one
 * character. Neither counts a BOM. The two readings differ only after the
 * first character outside the Basic Multilingual Plane (emoji…) or the first
 * CRLF, so when the producing tool is unknown the unit is detected from where
 * selections start and end.
 */

/** How offsets are counted. */
export type OffsetUnit = 'code-points' | 'utf16';

/** The unit and line-break convention chosen for a project, and why. */
export interface OffsetPolicy {
  unit: OffsetUnit;
  /** CRLF counted as one character (ATLAS.ti). */
  crlfAsOne: boolean;
  /** Said in the import report. */
  reason: string;
}

/** The policy for a producing tool (`origin` of the project), or undefined when nothing is known. */
export function policyForOrigin(origin: string | undefined): OffsetPolicy | undefined {
  const o = (origin ?? '').trim();
  if (/^NVivo/i.test(o)) return { unit: 'utf16', crlfAsOne: false, reason: `${o} counts UTF-16 code units (measured on NVivo exports), not the code points of the specification` };
  if (/^ATLAS\.ti/i.test(o)) return { unit: 'code-points', crlfAsOne: true, reason: `${o} counts code points and a CRLF line break as one character` };
  if (/^Verbatim\b.*\bUTF-16\b/i.test(o)) return { unit: 'utf16', crlfAsOne: false, reason: `${o} writes UTF-16 code units (export qdpx --offsets utf16)` };
  if (/^Verbatim\b/i.test(o)) return { unit: 'code-points', crlfAsOne: false, reason: `${o} writes code points, as the specification says` };
  return undefined;
}

/** Offsets in a unit, read against a text. */
export interface UnitTable {
  /** The text's length in the unit. */
  length: number;
  /** The UTF-16 offset where a unit offset falls; offsets past the end map to the end. */
  toUtf16(offset: number): number;
}

/**
 * Reads offsets in `unit` (with CRLF as one character or not) against `text`.
 * Only the units that take two UTF-16 code units (a surrogate pair, a CRLF
 * counted as one) are recorded, in a typed array: a 60 MB text without emoji
 * needs no table at all, where one number per character took half a gigabyte.
 */
export function unitTable(text: string, unit: OffsetUnit, crlfAsOne: boolean): UnitTable {
  if (unit === 'utf16' && !crlfAsOne) return { length: text.length, toUtf16: (o) => Math.max(0, Math.min(o, text.length)) };
  // doubles[k]: the unit offset of the k-th two-code-unit unit, ascending.
  let doubles = new Uint32Array(256);
  let count = 0;
  for (let i = 0, u = 0; i < text.length; u++) {
    const c = text.charCodeAt(i);
    const pair = (crlfAsOne && c === 13 && text.charCodeAt(i + 1) === 10) || (unit === 'code-points' && c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00);
    if (pair) {
      if (count === doubles.length) {
        const grown = new Uint32Array(count * 2);
        grown.set(doubles);
        doubles = grown;
      }
      doubles[count++] = u;
      i += 2;
    } else i++;
  }
  const length = text.length - count;
  /** The UTF-16 start of unit `o`: `o` plus the double units before it. */
  const toUtf16 = (o: number): number => {
    if (o <= 0) return 0;
    if (o >= length) return text.length;
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((doubles[mid] as number) < o) lo = mid + 1;
      else hi = mid;
    }
    return o + lo;
  };
  return { length, toUtf16 };
}

/** True when the two readings can differ on this text. */
export function unitMatters(text: string): boolean {
  return /[\uD800-\uDBFF][\uDC00-\uDFFF]/.test(text);
}

/**
 * How natural the selection edges are under a reading: starts at the start of
 * a word or line, ends at the end of a word or line, never inside a surrogate
 * pair. Used to choose a unit when the tool is unknown.
 */
export function edgeScore(text: string, ranges: readonly { start: number; end: number }[], table: UnitTable): number {
  const toUtf16 = table.toUtf16;
  let score = 0;
  const word = /[\p{L}\p{N}]/u;
  for (const r of ranges) {
    const s = toUtf16(r.start);
    const e = toUtf16(r.end);
    const before = text[s - 1];
    const first = text[s];
    const last = text[e - 1];
    const after = text[e];
    if (s === 0 || before === undefined || !word.test(before) || !word.test(first ?? '')) score++;
    if (after === undefined || !word.test(after) || !word.test(last ?? '')) score++;
    if (isLowSurrogate(text.charCodeAt(s)) || isLowSurrogate(text.charCodeAt(e))) score -= 2;
  }
  return score;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * Chooses the unit for a project: by producing tool when known, else by the
 * reading whose selection edges look most natural over every text where the
 * readings differ; code points (the specification) when nothing tells.
 */
export function choosePolicy(origin: string | undefined, texts: readonly { text: string; ranges: readonly { start: number; end: number }[] }[]): OffsetPolicy {
  const known = policyForOrigin(origin);
  if (known) return known;
  const relevant = texts.filter((t) => t.ranges.length > 0 && unitMatters(t.text));
  if (relevant.length === 0) {
    return { unit: 'code-points', crlfAsOne: false, reason: `the specification's code points${origin ? ` (${origin} is not a tool with a known habit)` : ''}; the texts have no character where the readings differ` };
  }
  let cp = 0;
  let u16 = 0;
  for (const t of relevant) {
    cp += edgeScore(t.text, t.ranges, unitTable(t.text, 'code-points', false));
    u16 += edgeScore(t.text, t.ranges, unitTable(t.text, 'utf16', false));
  }
  if (u16 > cp) return { unit: 'utf16', crlfAsOne: false, reason: `UTF-16 code units, detected: selection edges fall on word and line boundaries more often that way (${u16} against ${cp})` };
  return { unit: 'code-points', crlfAsOne: false, reason: `the specification's code points, detected (${cp} natural selection edges against ${u16} when read as UTF-16)` };
}
