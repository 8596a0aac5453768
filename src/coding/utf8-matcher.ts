/**
 * The keyword half of the matcher, on a transcript body in UTF-8 bytes: the
 * body's segments are scanned by the WebAssembly scanner in one call, and
 * each segment's codes are read off its tokens. Only candidate words are decoded, once per word
 * form. It finds the codes that `Matcher.match` finds by keywords, vetoes
 * applied; patterns are left to the string matcher (the caller decodes the
 * paragraphs that a pattern may match).
 */
import type { CompiledKeyword, Element } from './keyword.js';
import type { Matcher } from './matcher.js';
import { stemSlack } from './trie.js';
import type { SkipTable, WasmScan, WasmScanner } from './wasm-scanner.js';

/** What the keywords of one word form give: the codes of its single words, and the keywords that need more (phrases, vetoes). */
interface FormEntry {
  codes: Int32Array;
  others: CompiledKeyword[];
}

export class Utf8Matcher {
  /**
   * Keywords by form id, for the scanner's current generation of forms: 0
   * not looked up yet, 1 none; even from 2, one code and nothing else (2 +
   * 2 × its number); odd from 3, an entry (3 + 2 × its index in `entries`).
   */
  private listOf = new Int32Array(0);
  private entries: FormEntry[] = [];
  /** Codes by number (`codeId`): segments' codes are numbers, so that a segment's codes are told apart without strings. */
  private readonly codeIds = new Map<string, number>();
  readonly codeNames: string[] = [];
  /** Per code number, the `codes` call that last found it: no repeats without a search. */
  private seenIn = new Int32Array(64);
  private call = 0;
  /** By form id, the words around phrase anchors, decoded. */
  private words: (string | undefined)[] = [];
  private generation = -1;
  private bytes: Buffer = Buffer.alloc(0);
  private last: WasmScan | undefined;
  private readonly vetoed: number[] = [];
  private vetoedCount = 0;
  /** What each phrase element's folded word must begin with, in ASCII ('' when unknown). */
  private readonly guards = new Map<Element, string>();

  /** The forms that hold no keyword: the scanner writes no hit for them. */
  private readonly skip: SkipTable;

  constructor(
    private readonly matcher: Matcher,
    private readonly scanner: WasmScanner,
  ) {
    this.skip = scanner.skipTable();
    // Every keyword's code numbered now: `codes` never grows `seenIn` while it runs.
    for (const k of matcher.keywords) this.codeId(k.code);
  }

  /**
   * Scans the segments of a transcript (`ranges`: from, to pairs of byte
   * offsets in `bytes`, in order); false when the scanner cannot (a
   * character outside the BMP).
   */
  scan(bytes: Buffer, ranges: ArrayLike<number>): boolean {
    this.scanner.useTrie(this.matcher.parts.trie);
    this.last = this.scanner.scanRanges(bytes, ranges, this.matcher.language === 'fr', this.skip);
    if (!this.last) return false;
    if (this.last.generation !== this.generation) {
      this.listOf = new Int32Array(this.scanner.formCapacity);
      this.entries = [];
      this.words = new Array<string | undefined>(this.scanner.formCapacity);
      this.generation = this.last.generation;
    }
    this.bytes = bytes;
    return true;
  }

  /** The last scan (its tokens, and the hits of candidate words by form). */
  get scanned(): WasmScan | undefined {
    return this.last;
  }

  /** The word of a form of the last scan, as written. */
  formText(form: number): string {
    return this.scanner.form(form);
  }

  /** The number of a code (see `codeNames`). */
  codeId(code: string): number {
    let id = this.codeIds.get(code);
    if (id === undefined) {
      id = this.codeNames.length;
      this.codeNames.push(code);
      this.codeIds.set(code, id);
      if (id >= this.seenIn.length) {
        const grown = new Int32Array(this.seenIn.length * 2);
        grown.set(this.seenIn);
        this.seenIn = grown;
      }
    }
    return id;
  }

  /**
   * The codes (numbers, see `codeId`) that the keywords find in the
   * segment scanned as range `range`, vetoes applied, written to `out[0, n)`
   * (any order, no repeats); returns n. (`out` is reused from call to call
   * and never shrunk: no garbage per segment.)
   */
  codes(range: number, out: number[]): number {
    let n = 0;
    const s = this.last as WasmScan;
    const { hits, rangeEnds } = s;
    const seenIn = this.seenIn;
    const call = ++this.call;
    // The segment's tokens [first, end) (for phrases) and hits [h, hitEnd).
    const first = range === 0 ? 0 : (rangeEnds[2 * range - 2] as number);
    const end = rangeEnds[2 * range] as number;
    const hitEnd = rangeEnds[2 * range + 1] as number;
    const vetoed = this.vetoed;
    this.vetoedCount = 0;
    for (let h = range === 0 ? 0 : (rangeEnds[2 * range - 1] as number); h < hitEnd; h++) {
      const i = hits[2 * h] as number;
      const form = hits[2 * h + 1] as number;
      let known = this.listOf[form] as number;
      if (known === 0) known = this.lookUp(form);
      if (known === 1) continue;
      if ((known & 1) === 0) {
        // The common case, one code and nothing else: no other memory read.
        const code = (known - 2) >> 1;
        if (seenIn[code] !== call) {
          seenIn[code] = call;
          out[n++] = code;
        }
        continue;
      }
      const entry = this.entries[(known - 3) >> 1] as FormEntry;
      const plain = entry.codes;
      for (let x = 0; x < plain.length; x++) {
        const code = plain[x] as number;
        if (seenIn[code] !== call) {
          seenIn[code] = call;
          out[n++] = code;
        }
      }
      const others = entry.others;
      for (let x = 0; x < others.length; x++) {
        const k = others[x] as CompiledKeyword;
        if (k.elements.length > 1) {
          const a = i - k.anchor;
          if (a < first || a + k.elements.length > end || !this.phraseMatches(s, k, a)) continue;
        }
        const code = this.codeId(k.code);
        if (k.veto) {
          if (!within(vetoed, this.vetoedCount, code)) vetoed[this.vetoedCount++] = code;
        } else if (seenIn[code] !== call) {
          seenIn[code] = call;
          out[n++] = code;
        }
      }
    }
    if (this.vetoedCount > 0) {
      let kept = 0;
      for (let j = 0; j < n; j++) if (!within(vetoed, this.vetoedCount, out[j] as number)) out[kept++] = out[j] as number;
      n = kept;
    }
    return n;
  }

  /** Whether code number `code` was vetoed by `unless` in the last `codes` call (vetoes apply to pattern matches too). */
  vetoes(code: number): boolean {
    return within(this.vetoed, this.vetoedCount, code);
  }

  /** Looks the keywords of a form up, and records them in `listOf` (see there). */
  private lookUp(form: number): number {
    // Once per form: the matcher's memos would only keep copies.
    const found = this.matcher.parts.keywordsForOnce(this.scanner.form(form));
    let known = 1;
    if (!found) this.scanner.skipForm(this.skip, form);
    else {
      const entry = this.entry(found);
      if (entry.codes.length === 1 && entry.others.length === 0) known = 2 + ((entry.codes[0] as number) << 1);
      else {
        this.entries.push(entry);
        known = 3 + ((this.entries.length - 1) << 1);
      }
    }
    this.listOf[form] = known;
    return known;
  }

  /** A form's keywords, split into the codes of its single words (numbers, no repeats) and the phrases and vetoes. */
  private entry(keywords: readonly CompiledKeyword[]): FormEntry {
    const codes: number[] = [];
    const others: CompiledKeyword[] = [];
    for (const k of keywords) {
      if (k.elements.length > 1 || k.veto) others.push(k);
      else if (!codes.includes(this.codeId(k.code))) codes.push(this.codeId(k.code));
    }
    return { codes: Int32Array.from(codes), others };
  }

  /**
   * False when the word at `[start, end)` cannot match the element: its ASCII
   * letters, lower-cased, do not begin with what the element's folded form
   * must begin with (for a stem, the stem but its last letters: see
   * trie.ts). Most words around an anchor are rejected so, without a lookup.
   */
  private mayMatch(e: Element, start: number, end: number): boolean {
    let guard = this.guards.get(e);
    if (guard === undefined) {
      const prefix = e.kind === 'stem' ? e.value.slice(0, Math.max(0, e.value.length - stemSlack(e.value, this.matcher.language))) : e.value;
      // eslint-disable-next-line no-control-regex -- the whole ASCII range, controls included
      guard = /^[\x00-\x7f]*$/.test(prefix) ? prefix : '';
      this.guards.set(e, guard);
    }
    if (guard.length > end - start) {
      // Shorter than the guard: only a word with non-ASCII letters (which may fold to more) may match.
      for (let k = start; k < end; k++) if ((this.bytes[k] as number) >= 0x80) return true;
      return false;
    }
    for (let k = 0; k < guard.length; k++) {
      let b = this.bytes[start + k] as number;
      if (b >= 0x80) return true;
      if (b >= 0x41 && b <= 0x5a) b |= 0x20;
      if (b !== guard.charCodeAt(k)) return false;
    }
    return true;
  }

  /** The words around the anchor of a phrase. */
  private phraseMatches(s: WasmScan, k: CompiledKeyword, first: number): boolean {
    for (let j = 0; j < k.elements.length; j++) {
      if (j === k.anchor) continue;
      const e = k.elements[j] as Element;
      const start = s.starts[first + j] as number;
      const end = s.ends[first + j] as number;
      if (!this.mayMatch(e, start, end)) return false;
      // The word is decoded once per form; `wordMatches` keeps its stem and folded form.
      const form = this.scanner.formAt(start, end);
      let word = form < 0 ? undefined : this.words[form];
      if (word === undefined) {
        word = this.bytes.toString('utf8', start, end);
        if (form >= 0) this.words[form] = word;
      }
      if (!this.matcher.parts.wordMatches(e, word)) return false;
    }
    return true;
  }
}

/** Whether `value` is in `list[0, n)`. */
function within(list: readonly number[], n: number, value: number): boolean {
  for (let i = 0; i < n; i++) if (list[i] === value) return true;
  return false;
}
