/**
 * What the verbatim picker reads of the texts: each transcript's plain text
 * and the bounds of its segments (no paragraph objects, no markers, no
 * front matter), the TF-IDF document frequencies of every segment, and the
 * words that fired an automatic coding.
 *
 * `verbatim report` fills a {@link QuoteStore} while the pipeline streams
 * the corpus (`codeCorpus(…, 'records', { onText })`): the report then
 * works from the compact records, and of the texts keeps only this. A
 * dataset of whole transcripts (the library's `buildReport`) gives one with
 * {@link QuoteStore.of}.
 */
import type { Coding } from '../coding/code-transcript.js';
import type { Matcher } from '../coding/matcher.js';
import { detach } from '../core/location.js';
import type { Language, Transcript } from '../project/model.js';
import { TfIdf } from './tfidf.js';

/** A `[start, end)` range of a plain text. */
export interface TextRange {
  start: number;
  end: number;
}

/** The text of one transcript, as the picker reads it. */
export interface QuoteText {
  readonly plain: string;
  /** `plain.slice(start, end)`, read alone (the picker's centroids read only the coded parts). */
  slice(start: number, end: number): string;
  readonly language: Language;
  /** The number of segments. */
  readonly segments: number;
  /** The bounds of segment `n` (numbered from 1), or undefined. */
  segment(n: number): TextRange | undefined;
}

/**
 * Where a store keeps its texts: in memory (the default), or elsewhere to be
 * read back when quoted (the engine's `SpillKeeper`, a temporary file).
 */
export interface TextKeeper {
  /** Keeps a text and returns its handle. */
  keep(text: string): number;
  /** The text kept under `handle`. */
  fetch(handle: number): string;
  /** `fetch(handle).slice(start, end)` for `0 ≤ start ≤ end`, without reading the rest where the keeper can. */
  fetchRange(handle: number, start: number, end: number): string;
}

/** Texts kept in memory, each copied (never a slice of its file). */
export class MemoryKeeper implements TextKeeper {
  readonly #texts: string[] = [];
  keep(text: string): number {
    this.#texts.push(detach(text));
    return this.#texts.length - 1;
  }
  fetch(handle: number): string {
    const text = this.#texts[handle];
    if (text === undefined) throw new Error(`MemoryKeeper.fetch: no text ${handle}`);
    return text;
  }
  fetchRange(handle: number, start: number, end: number): string {
    return this.fetch(handle).slice(start, end);
  }
}

/** The texts of a corpus, for quoting. */
export class QuoteStore {
  readonly tfidf = new TfIdf();
  readonly #texts = new Map<string, QuoteText>();
  readonly #keeper: TextKeeper;
  #matchers: ReadonlyMap<Language, Matcher>;
  /** The evidence of the last segment asked about (the picker asks for its codes one after the other). */
  #last: { key: string; found: Map<string, { start: number; end: number }[]> } | undefined;

  /**
   * @param matchers
   *   To find again the words that fired a coding that carries none (a record's).
   * @param keeper
   *   Where the texts are kept (in memory by default).
   */
  constructor(matchers: ReadonlyMap<Language, Matcher> = new Map(), keeper: TextKeeper = new MemoryKeeper()) {
    this.#matchers = matchers;
    this.#keeper = keeper;
  }

  /** The matchers that find a record's evidence again (known once the corpus is coded). */
  useMatchers(matchers: ReadonlyMap<Language, Matcher>): void {
    this.#matchers = matchers;
  }

  /** A store of whole transcripts' texts. */
  static of(transcripts: readonly Transcript[], matchers?: ReadonlyMap<Language, Matcher>): QuoteStore {
    const store = new QuoteStore(matchers);
    for (const t of transcripts) store.add(t);
    return store;
  }

  /** Keeps the plain text (with the keeper) and segment bounds of a transcript, and counts its segments' terms. */
  add(t: Transcript): void {
    if (typeof t.plain !== 'string') throw new Error(`QuoteStore.add: \`${t.id}\` is a record, not a whole transcript: give the report its texts (ReportOptions.texts).`);
    const bounds = new Int32Array(2 * t.segments.length);
    t.segments.forEach((s, i) => {
      bounds[2 * i] = s.start;
      bounds[2 * i + 1] = s.end;
      this.tfidf.add(t.plain, t.language, s.start, s.end);
    });
    this.#texts.set(detach(t.id), quoteText(this.#keeper, this.#keeper.keep(t.plain), t.language, bounds));
  }

  /** The text of a transcript, or undefined when the store does not have it. */
  text(id: string): QuoteText | undefined {
    return this.#texts.get(id);
  }

  /**
   * The words that fired an automatic coding: its own evidence, or else what
   * the matcher of its language finds again in its segment (the same, since
   * coding is deterministic).
   */
  evidence(c: Coding): readonly TextRange[] {
    if (c.evidence) return c.evidence;
    const t = this.#texts.get(c.transcript);
    const matcher = t && this.#matchers.get(t.language);
    const range = t?.segment(c.segment);
    if (!t || !matcher || !range) return [];
    const key = `${c.transcript}\u0000${c.segment}`;
    if (this.#last?.key !== key) {
      // In the segment's own text (the matcher reads nothing outside the range), read back alone.
      const found = matcher.matchRange(t.slice(range.start, range.end), 0, range.end - range.start);
      const shifted = new Map<string, TextRange[]>();
      for (const [code, ranges] of found) shifted.set(code, ranges.map((r) => ({ start: r.start + range.start, end: r.end + range.start })));
      this.#last = { key, found: shifted };
    }
    return this.#last.found.get(c.code) ?? [];
  }
}

/**
 * A transcript's text for the store, made apart from the transcript: a
 * closure made where the transcript is in scope would keep all of it. Its
 * `plain` is asked of the keeper each time it is read.
 */
function quoteText(keeper: TextKeeper, handle: number, language: Language, bounds: Int32Array): QuoteText {
  const count = bounds.length / 2;
  return {
    get plain() {
      return keeper.fetch(handle);
    },
    slice: (start, end) => keeper.fetchRange(handle, start, end),
    language,
    segments: count,
    segment: (n) => (n >= 1 && n <= count ? { start: bounds[2 * n - 2] as number, end: bounds[2 * n - 1] as number } : undefined),
  };
}
