/**
 * The pieces of the per-transcript stage (`corpus.ts`) that its two
 * implementations share: the full parser's (`TranscriptStage.run`) and the
 * byte-level one (`tally.ts`): panel-table values, the record of a
 * transcript, and the facts of the corpus-wide rules.
 */
import type { CorpusFacts } from '../check/check-project.js';
import type { Diagnostic } from '../core/diagnostic.js';
import type { Matcher } from '../coding/matcher.js';
import { scanWords, TokenBuffer, type ScanTrie } from '../coding/scanner.js';
import { buildTrie } from '../coding/trie.js';
import { detach } from '../core/location.js';
import type { SourceFile } from '../core/source-file.js';
import type { Language, PanelRow, Respondent } from '../project/model.js';
import type { ProjectFrame } from './load-project.js';

const rowsByFrame = new WeakMap<ProjectFrame, Map<string, PanelRow[]>>();

/** The panel table's rows by respondent id (computed once per frame). */
export function panelRowsOf(frame: ProjectFrame): ReadonlyMap<string, readonly PanelRow[]> {
  let rows = rowsByFrame.get(frame);
  if (!rows) {
    rows = new Map();
    for (const row of frame.panel?.rows ?? []) {
      const list = rows.get(row.id);
      if (list) list.push(row);
      else rows.set(row.id, [row]);
    }
    rowsByFrame.set(frame, rows);
  }
  return rows;
}

/**
 * Merges panel-table values into a transcript's attributes: its front matter
 * wins when it agrees; a disagreement is an `attribute-conflict`.
 */
export function resolveAttributes(file: SourceFile, t: Pick<Respondent, 'id' | 'attributes' | 'positions'>, rows: ReadonlyMap<string, readonly PanelRow[]>): void {
  for (const row of rows.get(t.id) ?? []) {
    for (const [k, v] of Object.entries(row.values)) {
      const mine = t.attributes[k];
      if (mine === undefined) t.attributes[k] = v;
      else if (mine !== v) {
        file.report('attribute-conflict', `\`${k}\` is \`${mine}\` here but \`${v}\` in the panel table; keep one value.`, t.positions.get(`attributes.${k}`) ?? [0, 0]);
      }
    }
  }
}

/**
 * A transcript without its text. Every string is copied: a string sliced
 * from the text (a label, a value) would keep the whole text in memory.
 */
export function recordOf(t: Respondent): Respondent {
  const strings = (o: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(o).map(([k, v]) => [detach(k), detach(v)]));
  return {
    file: detach(t.file),
    id: detach(t.id),
    label: detach(t.label),
    attributes: strings(t.attributes),
    ...(t.date !== undefined ? { date: detach(t.date) } : {}),
    language: t.language,
    speakers: Object.fromEntries(Object.entries(t.speakers).map(([k, v]) => [detach(k), v])),
    redact: t.redact.map(detach),
    bodyOffset: t.bodyOffset,
    positions: new Map([...t.positions].map(([k, v]) => [detach(k), v])),
    segmentCount: t.segmentCount,
  };
}

/** A diagnostic whose strings are copies: a message quotes words of the text (a code id, a value), and a slice of it would keep all of it. */
export function detachedDiagnostic(d: Diagnostic): Diagnostic {
  return { ...d, file: detach(d.file), message: detach(d.message), ...(d.note !== undefined ? { note: detach(d.note) } : {}) };
}

/**
 * Counts the facts of the corpus-wide rules: the words of respondent text,
 * and, in the codebook's language, the segments and forms of each one-word
 * keyword stem. Only the words that the keywords' prefix trie lets through
 * are stemmed: the trie never turns away a word whose stem is a keyword's
 * (its invariant, property-tested with the matcher, which relies on it too),
 * and stemming every word of a corpus took a quarter of a cold run.
 */
export class FactsCounter {
  /** The matcher of the codebook's language, its one-word keyword stems (whose spread `broad-keyword` measures) and their prefix trie. */
  readonly broad: { matcher: Matcher; trie: ScanTrie; stems: ReadonlySet<string> } | undefined;
  readonly #buffer = new TokenBuffer();
  #here: Set<string> | undefined;

  /** `matcher`: the codebook's language's. */
  constructor(matcher: Matcher | undefined) {
    const single = matcher?.keywords.filter((k) => !k.veto && k.elements.length === 1 && k.elements[0]?.kind === 'stem') ?? [];
    if (matcher) this.broad = { matcher, trie: buildTrie(single, matcher.language), stems: new Set(single.map((k) => k.elements[0]?.value as string)) };
  }

  /** Empty facts for a transcript: its segments counted when it is in the codebook's language. */
  start(language: Language, segments: number): CorpusFacts {
    return { words: 0, segments: this.counts(language) ? segments : 0, stems: new Map() };
  }

  /** Whether the stems of a transcript in this language are counted. */
  counts(language: Language): boolean {
    return this.broad !== undefined && this.broad.matcher.language === language;
  }

  /** Adds the words of `text[from, to)`, one segment, scanned here. */
  text(facts: CorpusFacts, text: string, language: Language, from = 0, to = text.length): void {
    const buffer = this.#buffer;
    const broad = this.counts(language) ? this.broad : undefined;
    if (!broad || broad.stems.size === 0) {
      scanWords(text, language, buffer, undefined, from, to);
      facts.words += buffer.count;
      return;
    }
    scanWords(text, language, buffer, broad.trie, from, to);
    this.scanned(facts, text, buffer);
  }

  /**
   * Adds the words of one segment as scanned elsewhere (`words`: offsets in
   * `text`, candidates flagged by a trie that lets through every word whose
   * stem is a one-word keyword's, this counter's or the matcher's).
   */
  scanned(facts: CorpusFacts, text: string, words: TokenBuffer): void {
    this.segment(facts, words.count);
    for (let i = 0; i < words.count; i++) if (words.candidate[i] === 1) this.word(facts, text.slice(words.starts[i], words.ends[i]));
  }

  /** Starts a segment of `count` words, whose candidate words follow ({@link word}). */
  segment(facts: CorpusFacts, count: number): void {
    facts.words += count;
    this.#here = undefined;
  }

  /** A candidate word of the current segment. */
  word(facts: CorpusFacts, word: string): void {
    const broad = this.broad;
    if (!broad || broad.stems.size === 0) return;
    const stem = broad.matcher.stem(word);
    if (!broad.stems.has(stem)) return;
    let h = facts.stems.get(stem);
    if (!h) {
      h = { segments: 0, forms: new Map<string, number>() };
      facts.stems.set(stem, h);
    }
    // A new form is a copy: a form cut from the text would keep the text.
    const form = word.toLowerCase();
    const n = h.forms.get(form);
    if (n === undefined) h.forms.set(detach(form), 1);
    else h.forms.set(form, n + 1);
    this.#here ??= new Set();
    if (!this.#here.has(stem)) {
      h.segments++;
      this.#here.add(stem);
    }
  }
}
