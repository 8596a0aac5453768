/**
 * Inline coding markers, the researcher's codings written in the transcript:
 *
 * - `{#code.id #other}`: the paragraph carries these codes;
 * - `[exact words]{#code.id}`: the span carries the code;
 * - `{!code.id}`: the researcher rejects that automatic code for the paragraph;
 * - `{>code.id}` … `{<code.id}`: a span that may cross other spans or paragraphs.
 *
 * This module finds them in one paragraph; the transcript parser removes them
 * from the text and pairs begin/end markers across paragraphs.
 */
import type { SourceFile } from '../core/source-file.js';

export type MarkerType = 'add' | 'reject' | 'span' | 'begin' | 'end';

/** One code named in a marker. */
export interface MarkerCode {
  id: string;
  /** Offsets of the id (without its sigil) in the file. */
  range: readonly [number, number];
}

/** A marker found in a paragraph (offsets in the file). */
export interface RawMarker {
  type: MarkerType;
  codes: MarkerCode[];
  /** Offsets of the whole marker (`{…}`, or `]{…}` for spans). */
  range: readonly [number, number];
  /** For `[words]{#code}`: offsets of the words between the brackets. */
  span?: readonly [number, number];
}

/** The result of scanning a paragraph. */
export interface ScannedParagraph {
  markers: RawMarker[];
  /** Offsets to remove from the text, sorted and disjoint. */
  cuts: [number, number][];
}

const ID = /^[\p{L}\p{N}_-]+(?:\.[\p{L}\p{N}_-]+)*$/u;
const SIGILS = '#!<>';
/** What a backslash escapes (removing the backslash from the plain text). */
export const ESCAPED = '[]{}\\';

/**
 * Scans `file.text[start, end)` (one paragraph's words) for markers. Malformed
 * markers are reported as `marker-syntax` diagnostics and left in the text.
 */
export function scanMarkers(file: SourceFile, start: number, end: number): ScannedParagraph {
  const text = file.text;
  const markers: RawMarker[] = [];
  const cuts: [number, number][] = [];
  const brackets: number[] = [];
  // Jump from one interesting character to the next natively (on the paragraph only): most of it is plain words.
  const paragraph = text.slice(start, end);
  const special = /[\\[\]{]/g;
  for (let i = start; i < end; i++) {
    special.lastIndex = i - start;
    const found = special.exec(paragraph);
    if (!found) break;
    i = start + found.index;
    const c = text[i];
    if (c === '\\') {
      // `\[`, `\]`, `\{`, `\}` and `\\` are literal characters: the backslash is no part of the plain text.
      if (i + 1 < end && ESCAPED.includes(text[i + 1] as string)) cuts.push([i, i + 1]);
      i++;
      continue;
    }
    if (c === '[') {
      brackets.push(i);
      continue;
    }
    if (c === ']' && text[i + 1] === '{' && text[i + 2] === '#') {
      const close = findClose(text, i + 2, end);
      if (close < 0) {
        file.report('marker-syntax', 'Unclosed marker `]{#…`: add the closing `}`.', [i, i + 2]);
        continue;
      }
      const codes = parseCodes(file, i + 2, close, '#');
      const open = brackets.pop();
      if (open === undefined) {
        file.report('marker-syntax', `\`]{#…}\` closes no \`[\`: put \`[\` before the coded words, or write \`{#…}\` to code the paragraph.`, [i, close + 1]);
        if (codes.length > 0) markers.push({ type: 'add', codes, range: [i, close + 1] });
        cuts.push([i, close + 1]);
      } else {
        if (codes.length > 0) markers.push({ type: 'span', codes, range: [i, close + 1], span: [open + 1, i] });
        cuts.push([open, open + 1], [i, close + 1]);
      }
      i = close;
      continue;
    }
    if (c === ']') {
      brackets.pop();
      continue;
    }
    if (c === '{' && i + 1 < end && SIGILS.includes(text[i + 1] as string)) {
      const close = findClose(text, i + 1, end);
      if (close < 0) {
        file.report('marker-syntax', `Unclosed marker \`{${text[i + 1]}…\`: add the closing \`}\`.`, [i, Math.min(end, i + 2)]);
        continue;
      }
      const byType = new Map<MarkerType, MarkerCode[]>();
      for (const token of tokens(text, i + 1, close)) {
        const type = sigilType(text[token[0]] as string);
        const codes = parseCodes(file, token[0], token[1], text[token[0]] as string);
        if (!type || codes.length === 0) continue;
        byType.set(type, [...(byType.get(type) ?? []), ...codes]);
      }
      for (const [type, codes] of byType) markers.push({ type, codes, range: [i, close + 1] });
      cuts.push(widen(text, i, close + 1, start, end));
      i = close;
    }
  }
  return { markers, cuts: mergeCuts(cuts) };
}

/**
 * The backslashes of the escapes in `text[start, end)`, as cuts: what
 * {@link scanMarkers} cuts of a paragraph that is never scanned for markers
 * (a heading, a comment), so that every part of the plain text reads `\\[`
 * as `[`.
 */
export function escapeCuts(text: string, start: number, end: number): [number, number][] {
  const cuts: [number, number][] = [];
  // A backslash escapes the next character, whatever it is: the search goes on after it.
  for (let i = text.indexOf('\\', start); i >= 0 && i + 1 < end; i = text.indexOf('\\', i + 2)) {
    if (ESCAPED.includes(text[i + 1] as string)) cuts.push([i, i + 1]);
  }
  return cuts;
}

function sigilType(sigil: string): MarkerType | undefined {
  switch (sigil) {
    case '#':
      return 'add';
    case '!':
      return 'reject';
    case '>':
      return 'begin';
    case '<':
      return 'end';
    default:
      return undefined;
  }
}

/** The offset of the `}` closing a marker, or -1; a marker never crosses a line. */
function findClose(text: string, from: number, end: number): number {
  for (let j = from; j < end; j++) {
    const c = text[j];
    if (c === '}') return j;
    if (c === '\n' || c === '\r' || c === '{') return -1;
  }
  return -1;
}

/** Whitespace-separated tokens of `text[from, to)` as offset pairs. */
function tokens(text: string, from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  let s = -1;
  for (let j = from; j <= to; j++) {
    const space = j === to || /\s/.test(text[j] as string);
    if (space && s >= 0) {
      out.push([s, j]);
      s = -1;
    } else if (!space && s < 0) s = j;
  }
  return out;
}

/** Parses `#a #b` (every token with `sigil`) in `text[from, to)`. */
function parseCodes(file: SourceFile, from: number, to: number, sigil: string): MarkerCode[] {
  const codes: MarkerCode[] = [];
  for (const [s, e] of tokens(file.text, from, to)) {
    const token = file.text.slice(s, e);
    if (token[0] !== sigil) {
      file.report('marker-syntax', `Expected \`${sigil}code.id\` in this marker, found \`${token}\`.`, [s, e]);
      continue;
    }
    const id = token.slice(1);
    if (!ID.test(id)) {
      // The codebook is not known here: the form is described, not a code of some other project.
      const form = `the code's full dotted id: its id and its parents' from the top, joined by \`.\` (\`${sigil}parent.child\`), as \`verbatim codes\` lists them`;
      file.report('marker-syntax', id === '' ? `\`${sigil}\` must be followed by ${form}.` : `\`${id}\` is not a code id: write ${form}.`, [s, e]);
      continue;
    }
    codes.push({ id, range: [s + 1, e] });
  }
  if (codes.length === 0 && tokens(file.text, from, to).length === 0) {
    file.report('marker-syntax', 'Empty marker: name at least one code.', [from - 1, to + 1]);
  }
  return codes;
}

/**
 * Widens a marker's cut over the spaces before it when it ends a line or is
 * followed by a space, so that removing it leaves no double or trailing space.
 */
function widen(text: string, s: number, e: number, start: number, end: number): [number, number] {
  const next = text[e];
  if (e >= end || next === ' ' || next === '\t' || next === '\n' || next === '\r') {
    let b = s;
    while (b > start && (text[b - 1] === ' ' || text[b - 1] === '\t')) b--;
    if (b < s) return [b, e];
    if (s === start || text[s - 1] === '\n') {
      let f = e;
      while (f < end && (text[f] === ' ' || text[f] === '\t')) f++;
      return [s, f];
    }
  }
  return [s, e];
}

function mergeCuts(cuts: [number, number][]): [number, number][] {
  cuts.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const c of cuts) {
    const last = out[out.length - 1];
    if (last && c[0] <= last[1]) last[1] = Math.max(last[1], c[1]);
    else out.push([c[0], c[1]]);
  }
  return out;
}
