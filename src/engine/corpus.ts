/**
 * The pipeline for every command: read → parse → code, one transcript at a
 * time, then the cross-transcript rules on what each transcript left behind.
 *
 * {@link TranscriptStage} is the per-transcript stage: it merges the panel
 * table's values into the transcript, checks its markers and attributes,
 * codes it, and gathers the few facts about its text that the corpus-wide
 * rules need (words, the forms of one-word keywords). {@link codeCorpus}
 * streams the corpus through it and keeps, of each transcript, either the
 * whole parsed transcript (for commands that quote its text) or a compact
 * record ({@link Respondent}: the front matter and the segment count, the
 * file reduced to its front matter and its diagnostics), so that memory
 * holds the codings, not the texts.
 */
import { checkTranscriptAttributes, checkTranscriptMarkers, reportStaleReject, type CorpusFacts } from '../check/check-project.js';
import { codeTranscript, type Coding } from '../coding/code-transcript.js';
import type { Matcher } from '../coding/matcher.js';
import { scanWords, TokenBuffer, type ScanTrie } from '../coding/scanner.js';
import { buildTrie } from '../coding/trie.js';
import { append } from '../core/arrays.js';
import { detach } from '../core/location.js';
import { byPath, SourceFile } from '../core/source-file.js';
import type { Language, PanelRow, Paragraph, Respondent, Transcript } from '../project/model.js';
import { cachedFile, RecordCache, type CachedTranscript } from './cache.js';
import { frontMatterRedactList, parseTranscriptFile, readTranscript, type ProjectFrame } from './load-project.js';
import { decodeSourceFile, readFileBytes } from './read.js';
import { matcherCache, matchersOf } from './matchers.js';

/** A coded corpus: the frame, one entry per transcript that parsed, and every coding. */
export interface CodedCorpus<T extends Respondent = Respondent> extends ProjectFrame {
  /** The transcripts that parsed, in path order: whole, or as records. */
  transcripts: T[];
  /** One matcher per language used by the transcripts. */
  matchers: Map<Language, Matcher>;
  /** Every coding, by transcript in path order, then segment. */
  codings: Coding[];
  /** What the corpus-wide rules need of the texts. */
  facts: CorpusFacts;
  /** With the record cache: the transcripts it gave (hits) and those coded again (misses). */
  cached?: { hits: number; misses: number };
}

/** Options of {@link codeCorpus}. */
export interface CorpusOptions {
  /** Only code the transcripts with these ids (the others are still read and checked). */
  only?: readonly string[];
  /** Files read and coded so far, for a progress line. */
  onProgress?: (done: number, total: number) => void;
  /** Use the record cache (`.verbatim/cache/`) when keeping records (default true; `--no-cache`). */
  cache?: boolean;
  /**
   * Called with each transcript that parsed, whole, and its codings, before
   * only its record is kept: for commands that write every text as they go
   * (exports). The cache is not used then: every text is read anyway.
   */
  onTranscript?: (transcript: Transcript, codings: readonly Coding[]) => void;
}

/**
 * The per-transcript stage of one corpus: create it once per frame, then pass
 * it every parsed transcript in path order, and call {@link finish} at the end.
 */
export class TranscriptStage {
  readonly facts: CorpusFacts = { words: 0, segments: 0, stems: new Map() };
  readonly #frame: ProjectFrame;
  readonly #matcherFor: (language: Language) => Matcher | undefined;
  readonly #known: ReadonlySet<string>;
  readonly #rows: ReadonlyMap<string, readonly PanelRow[]>;
  readonly #seen = new Set<string>();
  /** The matcher of the codebook's language, its one-word keyword stems (whose spread `broad-keyword` measures) and their prefix trie. */
  readonly #broad: { matcher: Matcher; trie: ScanTrie; stems: ReadonlySet<string> } | undefined;
  readonly #buffer = new TokenBuffer();

  readonly #gatherFacts: boolean;

  /** `facts: false`: do not gather the facts (streams that run no corpus-wide rule). */
  constructor(frame: ProjectFrame, options: { facts?: boolean } = {}) {
    this.#frame = frame;
    this.#gatherFacts = options.facts ?? true;
    this.#matcherFor = matcherCache(frame);
    this.#known = new Set(frame.codebook?.codes.keys() ?? []);
    this.#rows = panelRowsOf(frame);
    // The codebook's own language compiles even with no transcript, so that check sees keyword problems.
    const matcher = this.#matcherFor(frame.codebook?.language ?? frame.config.language);
    const single = matcher?.keywords.filter((k) => !k.veto && k.elements.length === 1 && k.elements[0]?.kind === 'stem') ?? [];
    if (matcher) this.#broad = { matcher, trie: buildTrie(single, matcher.language), stems: new Set(single.map((k) => k.elements[0]?.value as string)) };
  }

  /**
   * Resolves the transcript's attributes from the panel table, checks it
   * against the codebook and panel, gathers its facts, and codes it (unless
   * `code` is false). Diagnostics land on `file`.
   */
  run(file: SourceFile, transcript: Transcript, code = true): StageResult {
    const frame = this.#frame;
    resolveAttributes(file, transcript, this.#rows);
    if (frame.codebook) checkTranscriptMarkers(transcript, file, frame.codebook);
    if (!frame.panelBroken) checkTranscriptAttributes(transcript, file, frame.panel, frame.config.corpus);
    const matcher = this.#matcherFor(transcript.language);
    // The facts are counted on the words the matcher scans when it codes in the codebook's language (one scan, not two).
    const shared = this.#gatherFacts && code && this.#broad !== undefined && matcher === this.#broad.matcher;
    const facts = this.#gatherFacts ? (shared ? this.#newFacts(transcript) : this.#gather(transcript)) : undefined;
    if (!code) {
      this.add(transcript.id, facts);
      return { codings: [], ...(facts ? { facts } : {}) };
    }
    // (The matcher scans the transcript's plain text: word offsets are in it.)
    const observe = shared && facts ? (_segment: Paragraph, words: TokenBuffer) => this.#countWords(transcript.plain, words, facts) : undefined;
    const result = codeTranscript(transcript, matcher, frame.codebook ? this.#known : undefined, observe);
    this.add(transcript.id, facts);
    for (const s of result.staleRejects) reportStaleReject(file, s.code, s.marker);
    return { codings: result.codings, ...(facts ? { facts } : {}) };
  }

  /** Counts a transcript (its id, its facts) that was staged before, in an earlier run (the cache). */
  add(id: string, facts: CorpusFacts | undefined): void {
    this.#seen.add(id);
    if (facts) mergeFacts(this.facts, facts);
  }

  /**
   * After the last transcript: the panel rows that no transcript has. `unread`:
   * some transcript could not be read, so its id is unknown and rows are not
   * reported.
   */
  finish(unread: boolean): void {
    if (unread) return;
    const files = byPath(this.#frame.files);
    for (const [id, rows] of this.#rows) {
      if (this.#seen.has(id)) continue;
      for (const row of rows) files.get(row.file)?.report('unknown-respondent', `The panel has a row for \`${row.id}\` but no transcript has that id.`, row.range);
    }
  }

  /**
   * Words of respondent text, and the segments and forms of each one-word
   * keyword stem (in the codebook's language). Only the words that the
   * keywords' prefix trie lets through are stemmed: the trie never turns away
   * a word whose stem is a keyword's (its invariant, property-tested with the
   * matcher, which relies on it too), and stemming every word of a corpus
   * took a quarter of a cold run.
   */
  #gather(t: Transcript): CorpusFacts {
    const facts = this.#newFacts(t);
    const broad = this.#broad && this.#broad.matcher.language === t.language ? this.#broad : undefined;
    const buffer = this.#buffer;
    for (const s of t.segments) {
      if (!broad || broad.stems.size === 0) {
        scanWords(s.text, t.language, buffer);
        facts.words += buffer.count;
        continue;
      }
      scanWords(s.text, t.language, buffer, broad.trie);
      this.#countWords(s.text, buffer, facts);
    }
    return facts;
  }

  /** Empty facts for a transcript: its segments counted when it is in the codebook's language. */
  #newFacts(t: Transcript): CorpusFacts {
    return { words: 0, segments: this.#broad && this.#broad.matcher.language === t.language ? t.segments.length : 0, stems: new Map() };
  }

  /**
   * Adds the words of one segment, as scanned (`words`: candidates flagged by
   * a trie that lets through every word whose stem is a one-word keyword's,
   * the stage's own or the matcher's).
   */
  #countWords(text: string, words: TokenBuffer, facts: CorpusFacts): void {
    facts.words += words.count;
    const broad = this.#broad;
    if (!broad || broad.stems.size === 0) return;
    let here: Set<string> | undefined;
    for (let i = 0; i < words.count; i++) {
      if (words.candidate[i] !== 1) continue;
      const word = text.slice(words.starts[i], words.ends[i]);
      const stem = broad.matcher.stem(word);
      if (!broad.stems.has(stem)) continue;
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
      here ??= new Set();
      if (!here.has(stem)) {
        h.segments++;
        here.add(stem);
      }
    }
  }
}

/** What the stage gives of one transcript. */
export interface StageResult {
  codings: Coding[];
  /** Its contribution to the corpus facts (when the stage gathers them). */
  facts?: CorpusFacts;
}

/** Adds `more` to `facts`. */
export function mergeFacts(facts: CorpusFacts, more: CorpusFacts): void {
  facts.words += more.words;
  facts.segments += more.segments;
  for (const [stem, h] of more.stems) {
    const mine = facts.stems.get(stem);
    if (!mine) {
      facts.stems.set(stem, { segments: h.segments, forms: new Map(h.forms) });
      continue;
    }
    mine.segments += h.segments;
    for (const [form, n] of h.forms) mine.forms.set(form, (mine.forms.get(form) ?? 0) + n);
  }
}

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

/** Whether {@link codeCorpus} keeps each transcript whole or as a compact record. */
export type Keep = 'text' | 'records';

/**
 * Reads, parses, checks and codes every transcript of the frame, one at a
 * time, keeping each one whole (`text`) or as a record (`records`). The
 * cross-transcript rules (`checkProject`) run on the result.
 */
export function codeCorpus(frame: ProjectFrame, keep: 'text', options?: CorpusOptions): CodedCorpus<Transcript>;
export function codeCorpus(frame: ProjectFrame, keep: 'records', options?: CorpusOptions): CodedCorpus;
export function codeCorpus(frame: ProjectFrame, keep: Keep, options: CorpusOptions = {}): CodedCorpus<Respondent> {
  const stage = new TranscriptStage(frame);
  const only = options.only && options.only.length > 0 ? new Set(options.only) : undefined;
  // Records only, and only for whole runs: a record coded for a few ids lacks the others' codings.
  const cache = keep === 'records' && options.cache !== false && !only && !options.onTranscript ? new RecordCache(frame) : undefined;
  const transcripts: Respondent[] = [];
  const codings: Coding[] = [];
  const unparsed: string[] = [];
  let unread = false;
  /** Keeps what the stage left of a transcript, as a record. */
  const keepRecord = (entry: CachedTranscript, relative: string): void => {
    if (entry.fatal) unread = true;
    frame.files.push(cachedFile(relative, entry));
    append(unparsed, entry.redact);
    if (!entry.record) return;
    stage.add(entry.record.id, entry.facts);
    transcripts.push(entry.record);
    append(codings, entry.codings);
  };
  frame.transcriptPaths.forEach((p, i) => {
    let read: SourceFile | undefined;
    let store: ((entry: CachedTranscript) => void) | undefined;
    if (cache) {
      const probe = cache.probe(p);
      const bytes = probe.hit ? undefined : readFileBytes(frame.root, p);
      const hit = probe.hit ?? (bytes instanceof Uint8Array ? probe.byContent(bytes) : undefined);
      if (hit) {
        keepRecord(hit, p);
        options.onProgress?.(i + 1, frame.transcriptPaths.length);
        return;
      }
      if (bytes instanceof Uint8Array) {
        read = decodeSourceFile(p, bytes);
        store = (entry) => probe.put(bytes, entry);
      } else read = bytes;
    }
    const { file, transcript } = read ? parseTranscriptFile(frame, read) : readTranscript(frame, p);
    const result = transcript ? stage.run(file, transcript, !only || only.has(transcript.id)) : undefined;
    if (transcript && result) options.onTranscript?.(transcript, result.codings);
    if (keep === 'records') {
      const record = transcript && recordOf(transcript);
      const entry: CachedTranscript = {
        head: detach(transcript ? file.text.slice(0, transcript.bodyOffset) : ''),
        fatal: file.fatal,
        // Messages quote words of the text (a code id, a value): copied, so that they do not keep it.
        messages: file.messages.map((d) => ({ ...d, file: detach(d.file), message: detach(d.message), ...(d.note !== undefined ? { note: detach(d.note) } : {}) })),
        ...(record ? { record } : {}),
        codings: record && result ? result.codings.map((c) => compactCoding(c, record.id, frame.codebook?.codes)) : [],
        ...(result?.facts ? { facts: result.facts } : {}),
        // A transcript left out for a broken front matter: the names it redacts come up in the others.
        redact: transcript ? [] : frontMatterRedactList(p, file.text).map(detach),
      };
      if (record) transcripts.push(record);
      if (entry.fatal) unread = true;
      frame.files.push(cachedFile(p, entry));
      append(unparsed, entry.redact);
      append(codings, entry.codings);
      store?.(entry);
    } else {
      if (file.fatal) unread = true;
      frame.files.push(file);
      if (transcript && result) {
        transcripts.push(transcript);
        append(codings, result.codings);
      } else append(unparsed, frontMatterRedactList(p, file.text));
    }
    options.onProgress?.(i + 1, frame.transcriptPaths.length);
  });
  stage.finish(unread);
  cache?.flush(true);
  return { ...frame, redact: [...frame.redact, ...unparsed], transcripts, matchers: matchersOf(frame), codings, facts: stage.facts, ...(cache ? { cached: cache.stats } : {}) };
}

/**
 * Reads a transcript's plain text again (the text its codings' offsets point
 * into), for the few excerpts a command prints: undefined when the file can
 * no longer be read or parsed, or is no longer the transcript of the record.
 */
export function plainTextOf(frame: ProjectFrame): (t: Respondent) => string | undefined {
  return (t) => {
    const { transcript } = readTranscript(frame, t.file);
    return transcript && transcript.id === t.id && transcript.segmentCount === t.segmentCount ? transcript.plain : undefined;
  };
}

/**
 * A transcript without its text. Every string is copied: a string sliced
 * from the text (a label, a value) would keep the whole text in memory.
 */
export function recordOf(t: Transcript): Respondent {
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

/**
 * A coding without its evidence (the keywords that fired: `tag --explain`
 * reads them from the text again), its strings shared with the record and the
 * codebook rather than sliced from the text.
 */
function compactCoding(c: Coding, transcript: string, codes: ReadonlyMap<string, { id: string }> | undefined): Coding {
  const { evidence: _evidence, ...rest } = c;
  return { ...rest, transcript, code: codes?.get(c.code)?.id ?? detach(c.code) };
}
