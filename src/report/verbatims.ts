/**
 * Choosing the verbatims of a code: short, representative excerpts from
 * different respondents.
 *
 * 1. Verbatims. Each coding of the code gives excerpts of its segment's
 *    plain text (markers never appear there):
 *    - a span coded by hand (`[words]{#code}`) is the excerpt itself; shorter
 *      than {@link MIN_WORDS}, it grows to its whole sentences and then to the
 *      neighbouring ones; longer than {@link MAX_WORDS}, it is cut into runs of
 *      whole sentences, with « […] » where the researcher's excerpt was
 *      shortened;
 *    - a paragraph coded by hand gives every run of up to four whole sentences
 *      of {@link MIN_WORDS} to {@link MAX_WORDS} words;
 *    - an automatic coding gives the same runs, but only those that contain a
 *      word that fired the code.
 *    A sentence longer than {@link MAX_WORDS} is cut at its last comma,
 *    semicolon, colon or dash before the limit (else at the limit) and ends
 *    with « […] ». An excerpt that starts or ends inside a sentence says so
 *    with « […] » at that end; whole sentences need no mark.
 * 2. Score: the cosine between the excerpt's TF-IDF vector and the code's
 *    centroid, the weighted sum of the vectors of the code's coded texts
 *    (manual ×2, automatic ×1) and of its codebook entry (label, definition,
 *    inclusion criteria, examples, synthesis and keywords, ×2).
 *    An excerpt that opens on a connective ("Et", "Mais", "Donc"…) leans on
 *    what came before: its score is multiplied by 0.75.
 * 3. Choice: manual spans first, then manual paragraphs, then automatic
 *    codings; within each, the best score. One excerpt per respondent until
 *    every respondent who has one is quoted, then more from the same
 *    respondents (never two from one segment). Ties are broken by transcript
 *    id and offset. An excerpt that overlaps one already quoted elsewhere in
 *    the report is never used again.
 *
 * Quotes are cleaned the way transcripts are usually edited for print: stage
 * directions in brackets (`(rire)`, `(silence)`) and fillers (`euh`, `hum`)
 * are dropped, white space is collapsed, emphasis marks removed; redacted
 * strings are masked before the text is cleaned and escaped (an escape
 * inside a name would hide it from the mask) and again after (cleaning may
 * join the words of a name), and an excerpt never stops in the middle of one.
 * Quotes carry no attribution (see `render.ts`).
 */
import type { Coding } from '../coding/code-transcript.js';
import { compareIds, type Dataset } from '../analysis/dataset.js';
import { firstPassing } from '../core/arrays.js';
import { createRedactor, type Redactor, type Slicer } from '../core/redact.js';
import { classTable, START } from '../coding/scanner.js';
import type { Code, Language, Transcript } from '../project/model.js';
import { QuoteStore, type QuoteText, type TextRange } from './quote-texts.js';
import { termCosine, TfIdf, type DenseVector, type TermVector } from './tfidf.js';

/** Fewest words of a verbatim (about one line and a half of a report). */
export const MIN_WORDS = 15;
/** Most words of a verbatim (about six lines). */
export const MAX_WORDS = 80;
/** Longest run of sentences considered for one excerpt. */
const MAX_SENTENCES = 4;

/** A `[start, end)` range of a text. */
export interface Range {
  start: number;
  end: number;
}

/** A range of a segment considered for a quote, with « […] » flags. */
export interface QuoteWindow extends Range {
  /** The excerpt starts inside a sentence, or after words the researcher's span had. */
  cutStart: boolean;
  /** The excerpt ends inside a sentence, or before words the researcher's span had. */
  cutEnd: boolean;
}

/** A verbatim chosen for a report. */
export interface Verbatim {
  code: string;
  transcript: string;
  segment: number;
  /** `[start, end)` in the transcript's plain text. */
  start: number;
  end: number;
  /** The words, cleaned and masked, with « […] » where cut; no quote marks. */
  text: string;
  words: number;
  /** 0 manual span, 1 manual paragraph, 2 automatic coding. */
  tier: 0 | 1 | 2;
  /** Cosine to the code's centroid. */
  score: number;
}

const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

/** The number of words of a text (`aujourd'hui`, `co-construction` count once). */
export function countWords(text: string): number {
  // What WORD matches, counted in one pass over the code units (a match array cost a string per word);
  // text with a surrogate pair (a letter outside the BMP, perhaps) goes to the expression itself.
  const classes = classTable();
  let count = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return text.match(WORD)?.length ?? 0;
    if (classes[c] !== START) {
      i++;
      continue;
    }
    count++;
    for (;;) {
      while (i < n && classes[text.charCodeAt(i)] === START) i++;
      const sep = text.charCodeAt(i);
      if ((sep === 0x27 || sep === 0x2019 || sep === 0x2d) && i + 1 < n && classes[text.charCodeAt(i + 1)] === START) i++;
      else break;
    }
  }
  return count;
}

/** Words that end with a full stop without ending a sentence. */
const ABBREVIATIONS = new Set(['M', 'MM', 'Mme', 'Mmes', 'Mlle', 'Mlles', 'Dr', 'Pr', 'Me', 'Mgr', 'St', 'Ste', 'cf', 'Cf', 'p', 'pp', 'ex', 'Mr', 'Mrs', 'Ms', 'vs', 'av', 'apr', 'env', 'No', 'n°']);
// A run of marks is tried from its first mark only: from each mark of a long run of full stops, the
// search read the rest of the run again (quadratic).
const SENTENCE_END = /(?<![.!?…])[.!?…]+["»”’)\]]*(?=\s)/gu;
const SENTENCE_START = /[\p{Lu}\p{N}«“"([—–-]/u;
const NON_SPACE = /\S/gu;
const WORD_BEFORE = /[\p{L}°]+$/u;
/**
 * UTF-16 units read before a full stop for the word it ends: every
 * abbreviation above (5 at most) and an initial (one letter, 2 units at most)
 * fit with room to spare, even when the cut falls inside a letter of two
 * units; a longer word, cut, is none of them either.
 */
const WORD_LOOK_BACK = 8;

/**
 * The sentences of `text[from, to)`, trimmed. A sentence ends with `.`, `!`,
 * `?` or `…` (and closing quotes or brackets) followed by a space and a
 * capital, a figure, an opening quote or bracket, or a dash; a full stop after
 * a title (`M.`, `Mme.`), a usual abbreviation (`cf.`, `p.`) or an initial
 * (`J.`) ends nothing. Time linear in the length of the part.
 */
export function sentenceRanges(text: string, from = 0, to = text.length): Range[] {
  const out: Range[] = [];
  const slice = text.slice(from, to);
  let start = 0;
  SENTENCE_END.lastIndex = 0;
  for (let m = SENTENCE_END.exec(slice); m; m = SENTENCE_END.exec(slice)) {
    const end = m.index + m[0].length;
    // Searched from here, not in a copy of the rest of the paragraph made for each sentence.
    NON_SPACE.lastIndex = end;
    const next = NON_SPACE.exec(slice);
    if (!next || !SENTENCE_START.test(next[0])) continue;
    if (m[0] === '.' && abbreviates(slice, m.index)) continue;
    pushTrimmed(out, slice, start, end, from);
    start = end;
  }
  pushTrimmed(out, slice, start, slice.length, from);
  return out;
}

/**
 * Whether the word before a full stop at `at` is a title, an abbreviation or
 * an initial. Only the last few characters are read: the search of a word at
 * the end of all the text before each full stop was quadratic.
 */
function abbreviates(text: string, at: number): boolean {
  const word = WORD_BEFORE.exec(text.slice(Math.max(0, at - WORD_LOOK_BACK), at))?.[0];
  return word !== undefined && (ABBREVIATIONS.has(word) || /^\p{Lu}$/u.test(word));
}

function pushTrimmed(out: Range[], slice: string, start: number, end: number, offset: number): void {
  const part = slice.slice(start, end);
  const lead = part.length - part.trimStart().length;
  const trail = part.length - part.trimEnd().length;
  if (part.trim() === '') return;
  out.push({ start: offset + start + lead, end: offset + end - trail });
}

/** The words of a stage direction, inside its brackets. */
const STAGE_WORDS = 'rires?|sourires?|silence|pause|soupirs?|hésitations?|hésite|inaudibles?|laughs?|laughter|laughing|sighs?|inaudible|coughs?|toux';
/**
 * Stage directions a transcriber writes in brackets, with the white space
 * before them. A run of white space is tried from its start only: tried from
 * each of its characters, a run of 200,000 spaces took minutes.
 */
const STAGE_DIRECTION = new RegExp(`(?<!\\s)\\s*\\(\\s*(?:${STAGE_WORDS})\\s*\\)`, 'giu');
/** Fillers of spoken French and English. */
const FILLER = /(?<![\p{L}\p{N}])(?:euh+|heu+|hum+|hmm+|um+|uh+|erm)(?![\p{L}\p{N}])[\s,…]*/giu;

/**
 * A quote as printed: stage directions and fillers dropped, white space
 * collapsed, emphasis marks removed, Markdown specials escaped, a capital at
 * the start when the quote starts a sentence.
 *
 * @param raw
 *   The excerpt of the plain text.
 * @param sentenceStart
 *   Whether the excerpt starts at the start of a sentence.
 */
export function cleanQuote(raw: string, sentenceStart = true): string {
  // (The replacements that cannot apply are skipped: a quote is cleaned for every window of every coded paragraph.)
  let s = raw.includes('(') ? raw.replace(STAGE_DIRECTION, '') : raw;
  s = s.replace(FILLER, '');
  if (s.includes('*')) s = s.replace(/[*]+/gu, '');
  s = s
    .replace(/\s+/gu, ' ')
    .replace(/\s+([,.…])/gu, '$1')
    .replace(/([,;:])(?:\s*[,;:])+/gu, '$1')
    .replace(/^[\s,;:]+/u, '')
    .trim();
  s = s.replace(/[\\`<_]/gu, (c) => `\\${c}`);
  if (sentenceStart) s = s.replace(/^(\p{Ll})/u, (c) => c.toUpperCase());
  return s;
}

/**
 * Cuts a sentence longer than `max` words: at its last `,` `;` `:` or dash
 * after `min` words and before the limit, else after the `max`-th word.
 *
 * @returns
 *   The end of the kept part (the punctuation is left out).
 */
export function cutSentence(text: string, range: Range, min = MIN_WORDS, max = MAX_WORDS): number {
  const part = text.slice(range.start, range.end);
  const ends: number[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(part); m; m = WORD.exec(part)) ends.push(m.index + m[0].length);
  if (ends.length <= max) return range.end;
  const limit = ends[max - 1] as number;
  const from = ends[min - 1] as number;
  let cut = -1;
  // The places `/\s*[,;:]|\s+[—–-]\s/g` finds, found a run of white space at a time: that
  // expression tries each character of a run again, and read the rest of it each time (quadratic).
  for (let at = 0; ; ) {
    CUT_CANDIDATE.lastIndex = at;
    const m = CUT_CANDIDATE.exec(part);
    if (!m || m.index > limit) break;
    at = m.index;
    WHITE_RUN.lastIndex = at;
    WHITE_RUN.exec(part);
    const after = WHITE_RUN.lastIndex;
    const mark = part[after] ?? '';
    const found = /[,;:]/u.test(mark) ? after + 1 : after > at && /[—–-]/u.test(mark) && /\s/u.test(part[after + 1] ?? '') ? after + 2 : -1;
    if (found < 0) {
      // No place starts in the run, nor at the character after it.
      at = after + 1;
      continue;
    }
    if (at >= from) cut = at;
    at = found;
  }
  return range.start + (cut >= 0 ? cut : limit);
}

/** Where {@link cutSentence} may find a place to cut: white space, or a comma, semicolon or colon. */
const CUT_CANDIDATE = /[\s,;:]/gu;
const WHITE_RUN = /\s*/uy;

/**
 * Runs of up to four whole sentences between `min` and `max` words; a single
 * sentence over `max` is cut (and flagged) instead.
 */
export function sentenceWindows(text: string, sentences: readonly Range[], min = MIN_WORDS, max = MAX_WORDS): QuoteWindow[] {
  const out: QuoteWindow[] = [];
  const { words } = factsOf(text, sentences);
  sentences.forEach((first, i) => {
    if ((words[i] as number) > max) {
      out.push({ start: first.start, end: cutSentence(text, first, min, max), cutStart: false, cutEnd: true });
      return;
    }
    let total = 0;
    for (let j = i; j < Math.min(sentences.length, i + MAX_SENTENCES); j++) {
      total += words[j] as number;
      if (total > max) break;
      if (total >= min) out.push({ start: first.start, end: (sentences[j] as Range).end, cutStart: false, cutEnd: false });
    }
  });
  return out;
}

/**
 * The windows of a span coded by hand (see the module comment).
 *
 * @param text
 *   The transcript's plain text.
 * @param sentences
 *   The sentences of the span's segment.
 * @param span
 *   The coded span.
 */
export function spanWindows(text: string, sentences: readonly Range[], span: Range, min = MIN_WORDS, max = MAX_WORDS): QuoteWindow[] {
  let { start, end } = span;
  // Sentences are in order: bisections, not searches of every sentence for each span.
  const firstIndex = firstPassing(sentences, (s) => s.end > start);
  const lastIndex = firstPassing(sentences, (s) => s.start >= end) - 1;
  if (firstIndex >= sentences.length || lastIndex < firstIndex) return [];
  const first = sentences[firstIndex] as Range;
  const last = sentences[lastIndex] as Range;
  const facts = factsOf(text, sentences);
  // A span that stops just short of its sentence's edges (a quote mark, the final full stop) takes them.
  if (start <= first.start || opensSentence(text, facts, first, firstIndex, start)) start = first.start;
  if (end >= last.end || /^[\s.!?…;:,»"”)\]]*$/u.test(text.slice(end, last.end))) end = last.end;
  const midStart = start !== first.start;
  const midEnd = end !== last.end;
  const words = countWords(text.slice(start, end));
  if (words >= min && words <= max) return [{ start, end, cutStart: midStart, cutEnd: midEnd }];
  if (words > max) {
    const pieces = sentences.slice(firstIndex, lastIndex + 1).map((s) => ({ start: Math.max(s.start, start), end: Math.min(s.end, end) }));
    return sentenceWindows(text, pieces, min, max).map((w) => ({
      start: w.start,
      end: w.end,
      cutStart: w.start !== start || midStart,
      cutEnd: w.cutEnd || w.end !== end || midEnd,
    }));
  }
  // Too short: whole sentences, then the next ones, then the previous ones. A run of sentences
  // without a word (`—.`) is taken at once: one at a time, each span could walk the whole paragraph.
  const count = facts.words;
  const n = sentences.length;
  let i = firstIndex;
  let j = lastIndex;
  let total = 0;
  for (let k = i; k <= j; k++) total += count[k] as number;
  while (total < min && j + 1 < n && total + (count[j + 1] as number) <= max) {
    j = count[j + 1] === 0 ? (worded(facts).next[j + 1] as number) - 1 : j + 1;
    total += count[j] as number;
  }
  while (total < min && i > 0 && total + (count[i - 1] as number) <= max) {
    i = count[i - 1] === 0 ? (worded(facts).previous[i - 1] as number) + 1 : i - 1;
    total += count[i] as number;
  }
  if (total < min || total > max) return [];
  return [{ start: (sentences[i] as Range).start, end: (sentences[j] as Range).end, cutStart: false, cutEnd: false }];
}

/**
 * What windows need to know of the sentences of a list, computed once per
 * list (the picker keeps one list per segment), so that each span of a
 * paragraph costs in proportion to its own length, not the paragraph's.
 */
interface SentenceFacts {
  /** The text the sentences are ranges of. */
  text: string;
  /** The words of each sentence. */
  words: number[];
  /** See {@link worded}. */
  worded?: { next: Int32Array; previous: Int32Array };
  /** See {@link spokenEnd}, by sentence index. */
  spoken: Map<number, number>;
}

const FACTS = new WeakMap<readonly Range[], SentenceFacts>();

function factsOf(text: string, sentences: readonly Range[]): SentenceFacts {
  let facts = FACTS.get(sentences);
  if (facts?.text !== text) {
    facts = { text, words: sentences.map((s) => countWords(text.slice(s.start, s.end))), spoken: new Map() };
    FACTS.set(sentences, facts);
  }
  return facts;
}

/** For each sentence, the nearest sentence with a word from it onwards (or the count of sentences) and backwards (or -1). */
function worded(facts: SentenceFacts): { next: Int32Array; previous: Int32Array } {
  if (!facts.worded) {
    const n = facts.words.length;
    const next = new Int32Array(n);
    const previous = new Int32Array(n);
    for (let k = n - 1, at = n; k >= 0; k--) next[k] = at = facts.words[k] === 0 ? at : k;
    for (let k = 0, at = -1; k < n; k++) previous[k] = at = facts.words[k] === 0 ? at : k;
    facts.worded = { next, previous };
  }
  return facts.worded;
}

/**
 * Whether a span from `at` opens its sentence: what comes before it in the
 * sentence is nothing a reader would miss.
 */
function opensSentence(text: string, facts: SentenceFacts, sentence: Range, index: number, at: number): boolean {
  return at < spokenEnd(text, facts, sentence, index) && isBlank(text.slice(sentence.start, at));
}

/**
 * A word or mark that {@link isBlank} cannot drop: a mark other than white
 * space, an opening mark, the brackets of a stage direction and what follows
 * a filler; a word that is no stage direction and no piece of a filler (a
 * filler can be made of pieces that a dropped stage direction brings
 * together: `eu(rire)h`).
 */
const SAID = /([\p{L}\p{N}]+)|[^\s«"“(—–\-),…\p{L}\p{N}]/gu;
const STAGE_WORD = new RegExp(`^(?:${STAGE_WORDS})$`, 'iu');
/** Every piece of a filler (`eu`, `hm`, `rm`…), and more. */
const FILLER_PIECE = /^(?:[ehmu]+|e?rm?)$/iu;

/**
 * Where the first word or mark said in a sentence ends (Infinity when none
 * is): from there on, what precedes a span is never blank. Read once per
 * sentence, up to that word: the test of the whole start of a long sentence
 * for each of its spans was quadratic.
 */
function spokenEnd(text: string, facts: SentenceFacts, sentence: Range, index: number): number {
  let end = facts.spoken.get(index);
  if (end === undefined) {
    end = Infinity;
    const part = text.slice(sentence.start, sentence.end);
    SAID.lastIndex = 0;
    for (let m = SAID.exec(part); m; m = SAID.exec(part)) {
      if (m[1] !== undefined && (STAGE_WORD.test(m[1]) || FILLER_PIECE.test(m[1]))) continue;
      end = sentence.start + m.index + m[0].length;
      break;
    }
    facts.spoken.set(index, end);
  }
  return end;
}

/** Nothing a reader would miss: spaces, opening marks, stage directions, fillers. */
function isBlank(text: string): boolean {
  return /^[\s«"“(—–-]*$/u.test(text.replace(STAGE_DIRECTION, '').replace(FILLER, ''));
}

/**
 * The printed text of a window: masked, cleaned, masked again, with « […] » marks.
 *
 * @param slice
 *   Cuts `text` with its redacted strings masked (`Redactor.slicer`).
 * @param mask
 *   Masks what cleaning brought together (`Jean (rires) Dupont`).
 */
export function windowText(text: string, w: QuoteWindow, slice: Slicer = (s, e) => text.slice(s, e), mask: (s: string) => string = (s) => s): string {
  const body = mask(cleanQuote(slice(w.start, w.end), !w.cutStart));
  return `${w.cutStart ? '[…] ' : ''}${body}${w.cutEnd ? ' […]' : ''}`;
}

/**
 * An excerpt that opens on a connective ("Et", "Mais", "Donc") leans on what
 * came before it; it scores a quarter less, so that a self-standing excerpt
 * of the same relevance wins.
 */
const CONNECTIVE = /^(?:et|mais|donc|or|alors|bon|oui|non|puis|enfin|ensuite|d'ailleurs|and|but|so|well|yes|no|then)(?![\p{L}\p{N}'’])/iu;
const CONNECTIVE_PENALTY = 0.75;

/** Options of {@link VerbatimPicker}. */
export interface PickerOptions {
  /**
   * Masks the redacted strings (none by default); an excerpt whose edge would
   * cut one in two is widened to hold it whole, so that the mask hides all of it.
   */
  redactor?: Redactor;
  /** Language of the codebook's text, for the code's own vector. */
  language: Language;
  /** The texts to quote; by default, those of the dataset's transcripts, which must then be whole. */
  texts?: QuoteStore;
  /** False: rank every coding's excerpts for each code, even when the manual ones decide (tests compare the two). */
  shortcut?: boolean;
}

/**
 * Picks verbatims code after code for one report, remembering what it has
 * quoted so that no excerpt appears twice.
 */
export class VerbatimPicker {
  readonly #tfidf: TfIdf;
  readonly #redactor: Redactor;
  readonly #language: Language;
  readonly #texts: QuoteStore;
  readonly #shortcut: boolean;
  /**
   * The views of the segments of the transcript at hand (see {@link #viewOf}): the texts may be read
   * back one at a time (see QuoteStore), and each view's sentences hold its text.
   */
  #views: { id: string; bySegment: Map<number, SegmentView> } | undefined;
  readonly #used = new Map<string, Range[]>();
  /** Where the redacted strings are, by transcript (small; the slicer is made again, so that it keeps no text). */
  readonly #redacted = new Map<string, Range[]>();
  readonly #byCode = new WeakMap<Dataset, Map<string, Coding[]>>();
  /** Each code's centroid, made once per dataset (a report may quote a code in several sections). */
  readonly #centroids = new WeakMap<Dataset, Map<string, TermVector>>();

  /**
   * @param ds
   *   The whole dataset: its segments are the corpus of the TF-IDF weights
   *   (those of `options.texts`, when given).
   */
  constructor(ds: Dataset, options: PickerOptions) {
    this.#texts = options.texts ?? QuoteStore.of(ds.transcripts as readonly Transcript[]);
    this.#tfidf = this.#texts.tfidf;
    this.#redactor = options.redactor ?? createRedactor([]);
    this.#language = options.language;
    this.#shortcut = options.shortcut ?? true;
  }

  /**
   * Up to `n` verbatims of `code`, from the codings of `ds` that name exactly
   * this code (a parent's children have verbatims of their own).
   */
  pick(ds: Dataset, code: string, n: number, options: { reviewed?: boolean } = {}): Verbatim[] {
    if (n <= 0) return [];
    const codings = this.#codingsOf(ds, code);
    if (codings.length === 0) return [];
    const entry = ds.codebook?.codes.get(code);
    // The centroid is what the code is about, from all its codings; `reviewed` narrows what may be quoted.
    const target = this.#centroid(ds, code, codings, entry);
    // The manual codings' excerpts rank before every automatic one: when they alone fill the first round (one
    // excerpt per respondent), the automatic ones cannot change the choice and are not made (they are most of
    // the work: an automatic coding's paragraph gives every run of its sentences that holds a word that fired).
    const manual = codings.filter((c) => c.origin === 'manual');
    let picked: Candidate[] | undefined;
    // Reviewed only: the researchers' codings (an accepted automatic coding is one of them, marked `accepted`).
    if (options.reviewed) picked = manual.length > 0 ? this.#choose(this.#ranked(manual, target), n, false) : [];
    if (!picked && this.#shortcut && manual.length > 0 && manual.length < codings.length) {
      const first = this.#choose(this.#ranked(manual, target), n, true);
      if (first.length >= n) picked = first;
    }
    picked ??= this.#choose(this.#ranked(codings, target), n, false);
    const chosen = picked.map((c) => this.#verbatim(c));
    for (const c of chosen) {
      const list = this.#used.get(c.transcript) ?? [];
      list.push({ start: c.start, end: c.end });
      this.#used.set(c.transcript, list);
    }
    return chosen;
  }

  /** A chosen excerpt with its text (made again: the candidates keep none, there are many). */
  #verbatim(c: Candidate): Verbatim {
    const t = this.#texts.text(c.transcript) as QuoteText;
    const view = this.#viewOf(c.transcript, t, c.segment, t.segment(c.segment) as TextRange);
    const w = c.window;
    const text = windowText(view.text, { start: w.start - view.base, end: w.end - view.base, cutStart: w.cutStart, cutEnd: w.cutEnd }, view.slice, this.#redactor.mask);
    return { code: c.code, transcript: c.transcript, segment: c.segment, start: c.start, end: c.end, text, words: c.words, tier: c.tier, score: c.score };
  }

  /** The excerpts of these codings, best first (see the module comment). */
  #ranked(codings: readonly Coding[], target: DenseVector): Candidate[] {
    const candidates = this.#candidates(codings, target);
    candidates.sort((a, b) => a.tier - b.tier || b.score - a.score || compareIds(a.transcript, b.transcript) || a.start - b.start || a.end - b.end);
    return candidates;
  }

  /**
   * Up to `n` excerpts: one per respondent in rank order, then (unless
   * `firstRound`) more from the same respondents, never two from one
   * segment, none overlapping another or one quoted earlier in the report.
   */
  #choose(candidates: readonly Candidate[], n: number, firstRound: boolean): Candidate[] {
    const chosen: Candidate[] = [];
    const fits = (c: Candidate): boolean => !this.#overlapsUsed(c) && !chosen.some((x) => x.transcript === c.transcript && (x.segment === c.segment || overlaps(x, c)));
    const quoted = new Set<string>();
    for (const c of candidates) {
      if (chosen.length >= n) break;
      if (quoted.has(c.transcript) || !fits(c)) continue;
      chosen.push(c);
      quoted.add(c.transcript);
    }
    if (firstRound) return chosen;
    for (const c of candidates) {
      if (chosen.length >= n) break;
      if (chosen.includes(c) || !fits(c)) continue;
      chosen.push(c);
    }
    return chosen;
  }

  /**
   * The codings of `ds` that name `code`, in order, of the transcripts the
   * picker knows: sorted by code once per dataset (a pass over every coding
   * for each code was codes × codings).
   */
  #codingsOf(ds: Dataset, code: string): Coding[] {
    let index = this.#byCode.get(ds);
    if (!index) {
      index = new Map();
      for (const c of ds.codings) {
        if (!this.#texts.text(c.transcript)) continue;
        const list = index.get(c.code);
        if (list) list.push(c);
        else index.set(c.code, [c]);
      }
      this.#byCode.set(ds, index);
    }
    return index.get(code) ?? [];
  }

  #overlapsUsed(c: Range & { transcript: string }): boolean {
    return (this.#used.get(c.transcript) ?? []).some((u) => overlaps(u, c));
  }

  /**
   * What the picker reads of a segment: its own text when that is enough
   * (offsets in it are the transcript's minus `base`), read back alone; the
   * whole text (`base` 0) when a redacted string crosses the segment's edge,
   * since a window over it widens to hold it whole. Kept for the transcript
   * at hand (the codings of a code come a transcript at a time).
   */
  #viewOf(id: string, t: QuoteText, n: number, segment: TextRange): SegmentView {
    if (this.#views?.id !== id) this.#views = { id, bySegment: new Map() };
    let view = this.#views.bySegment.get(n);
    if (!view) {
      const all = this.#redactedIn(id, t);
      const touching = all.filter((r) => r.start < segment.end && r.end > segment.start);
      if (touching.some((r) => r.start < segment.start || r.end > segment.end)) {
        const text = t.plain;
        view = { text, base: 0, sentences: sentenceRanges(text, segment.start, segment.end), redacted: [...all], slice: this.#redactor.slicer(text, all.map((r) => [r.start, r.end])) };
      } else {
        const text = t.slice(segment.start, segment.end);
        const redacted = touching.map((r) => ({ start: r.start - segment.start, end: r.end - segment.start }));
        view = { text, base: segment.start, sentences: sentenceRanges(text, 0, text.length), redacted, slice: this.#redactor.slicer(text, redacted.map((r) => [r.start, r.end])) };
      }
      this.#views.bySegment.set(n, view);
    }
    return view;
  }

  /** Where the redacted strings are in a transcript's plain text (read whole once, when there are strings to redact). */
  #redactedIn(id: string, t: QuoteText): readonly Range[] {
    if (this.#redactor.isEmpty) return [];
    let found = this.#redacted.get(id);
    if (!found) {
      found = this.#redactor.ranges(t.plain).map(([start, end]) => ({ start, end }));
      this.#redacted.set(id, found);
    }
    return found;
  }

  #centroid(ds: Dataset, code: string, codings: readonly Coding[], entry: Code | undefined): DenseVector {
    let known = this.#centroids.get(ds);
    if (!known) {
      known = new Map();
      this.#centroids.set(ds, known);
    }
    const kept = known.get(code);
    if (kept) return this.#tfidf.dense(kept);
    // The vectors are made as they are summed, never all held at once (a code may have many thousand codings).
    const made = this.#tfidf.centroid(this.#centroidParts(codings, entry));
    known.set(code, { ids: made.ids, weights: made.weights });
    return made;
  }

  *#centroidParts(codings: readonly Coding[], entry: Code | undefined): Generator<{ vector: TermVector; weight: number }> {
    if (entry) {
      const own = [entry.label, entry.definition ?? '', ...entry.include, ...entry.examples, entry.synthesis ?? '', ...entry.keywords.map((k) => k.replace(/[*=]/gu, ''))].join('\n');
      yield { vector: this.#tfidf.termVector(own, this.#language), weight: 2 };
    }
    for (const c of codings) {
      const t = this.#texts.text(c.transcript) as QuoteText;
      // The coded part alone (the vector of a range is the vector of its text): the whole text need not be read back.
      yield { vector: this.#tfidf.termVector(t.slice(c.start, c.end), t.language), weight: c.origin === 'manual' ? 2 : 1 };
    }
  }

  #candidates(codings: readonly Coding[], target: DenseVector): Candidate[] {
    const byKey = new Map<string, Candidate>();
    for (const c of codings) {
      const t = this.#texts.text(c.transcript) as QuoteText;
      // Segments are numbered from 1 in order: an index, not a search (a search per coding is quadratic).
      const segment = t.segment(c.segment);
      if (!segment) continue;
      // Offsets in the view's text are the transcript's minus `base`.
      const { text, base, sentences, redacted, slice } = this.#viewOf(c.transcript, t, c.segment, segment);
      const tier: 0 | 1 | 2 = c.origin === 'manual' ? (c.span ? 0 : 1) : 2;
      let windows: QuoteWindow[];
      if (tier === 0) windows = spanWindows(text, sentences, { start: c.start - base, end: c.end - base });
      else {
        windows = sentenceWindows(text, sentences);
        if (tier === 2) windows = windows.filter(holdsOneOf(this.#texts.evidence(c).map((e) => ({ start: e.start - base, end: e.end - base }))));
      }
      for (const w of windows) {
        widenOver(w, redacted);
        const start = w.start + base;
        const end = w.end + base;
        const key = `${c.transcript}:${start}:${end}`;
        const known = byKey.get(key);
        if (known && known.tier <= tier) continue;
        const shown = windowText(text, w, slice, this.#redactor.mask);
        const words = countWords(shown.replace(/\[…\]/gu, ''));
        if (words < MIN_WORDS || words > MAX_WORDS) continue;
        const plainWords = cleanQuote(text.slice(w.start, w.end));
        const score = termCosine(this.#tfidf.termVector(plainWords, t.language), target) * (!w.cutStart && CONNECTIVE.test(plainWords) ? CONNECTIVE_PENALTY : 1);
        byKey.set(key, { code: c.code, transcript: c.transcript, segment: c.segment, start, end, words, tier, score, window: { start, end, cutStart: w.cutStart, cutEnd: w.cutEnd } });
      }
    }
    return [...byKey.values()];
  }
}

/** A segment's text as the picker reads it (see VerbatimPicker.#viewOf); ranges in offsets of `text`. */
interface SegmentView {
  text: string;
  base: number;
  sentences: Range[];
  /** The redacted strings that touch the segment, sorted and disjoint. */
  redacted: Range[];
  slice: Slicer;
}

/** An excerpt considered for a verbatim: its window, and not its text (made for the chosen ones). */
type Candidate = Omit<Verbatim, 'text'> & { window: QuoteWindow };

function overlaps(a: Range, b: Range): boolean {
  return a.start < b.end && b.start < a.end;
}

/**
 * A test of whether a window holds one of `words` whole. Bisection in the
 * words sorted by start, with the smallest end from each one on: a window
 * holds a word starting at or after its start iff the smallest end among
 * those is within it. (A search of every word for every window was
 * quadratic on a long paragraph that the keywords code many times.)
 */
export function holdsOneOf(words: readonly Range[]): (w: Range) => boolean {
  const sorted = [...words].sort((a, b) => a.start - b.start);
  const smallestEnd = new Float64Array(sorted.length);
  for (let k = sorted.length - 1, least = Infinity; k >= 0; k--) smallestEnd[k] = least = Math.min(least, (sorted[k] as Range).end);
  return (w) => {
    const k = firstPassing(sorted, (e) => e.start >= w.start);
    return k < sorted.length && (smallestEnd[k] as number) <= w.end;
  };
}

/**
 * Widens a window to hold whole the redacted strings it cuts (`ranges`:
 * sorted and disjoint), so that the mask hides all of each one. Only the
 * first and the last string it overlaps can stick out: found by bisection,
 * not by a pass over every string of the transcript for every window.
 */
export function widenOver(w: Range, ranges: readonly Range[]): void {
  const first = ranges[firstPassing(ranges, (r) => r.end > w.start)];
  const last = ranges[firstPassing(ranges, (r) => r.start >= w.end) - 1];
  if (!first || !last || !overlaps(first, w)) return;
  w.start = Math.min(w.start, first.start);
  w.end = Math.max(w.end, last.end);
}
