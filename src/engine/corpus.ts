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
import type { TokenBuffer } from '../coding/scanner.js';
import { append } from '../core/arrays.js';
import { detach } from '../core/location.js';
import { byPath, SourceFile } from '../core/source-file.js';
import type { Language, PanelRow, Paragraph, Respondent, Transcript } from '../project/model.js';
import { locationOf } from '../project/transcript.js';
import { cachedFile, RecordCache, type CachedTranscript } from './cache.js';
import { frontMatterRedactList, parseTranscriptFile, readTranscript, type ProjectFrame } from './load-project.js';
import { decodeSourceFile, readFileBytes } from './read.js';
import { matcherCache, matchersOf } from './matchers.js';
import { detachedDiagnostic, FactsCounter, panelRowsOf, recordOf, resolveAttributes } from './stage-parts.js';
import { recordFromBytes } from './tally.js';

/** A coded corpus: the frame, one entry per transcript that parsed, and every coding. */
export interface CodedCorpus<T extends Respondent = Respondent> extends ProjectFrame {
  /** The transcripts that parsed, in path order: whole, or as records. */
  transcripts: T[];
  /** One matcher per language used by the transcripts. */
  matchers: Map<Language, Matcher>;
  /** Every coding, by transcript in path order, then segment. */
  codings: Coding[];
  /** The rejections (`{!code}`) that rejected an automatic coding: transcript and code, one per paragraph and code. */
  rejections: { transcript: string; code: string }[];
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
  /**
   * Called with each transcript that parses, whole, for its text alone (the
   * report's verbatims): the records still come from the cache and the
   * byte-level stage, and the text is parsed for this call only, without
   * coding it.
   */
  onText?: (transcript: Transcript) => void;
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
  readonly #counter: FactsCounter;

  readonly #gatherFacts: boolean;

  /** `facts: false`: do not gather the facts (streams that run no corpus-wide rule). */
  constructor(frame: ProjectFrame, options: { facts?: boolean } = {}) {
    this.#frame = frame;
    this.#gatherFacts = options.facts ?? true;
    this.#matcherFor = matcherCache(frame);
    this.#known = new Set(frame.codebook?.codes.keys() ?? []);
    this.#rows = panelRowsOf(frame);
    // The codebook's own language compiles even with no transcript, so that check sees keyword problems.
    this.#counter = new FactsCounter(this.#matcherFor(frame.codebook?.language ?? frame.config.language));
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
    const counter = this.#counter;
    const shared = this.#gatherFacts && code && matcher !== undefined && matcher === counter.broad?.matcher;
    const facts = this.#gatherFacts ? (shared ? counter.start(transcript.language, transcript.segments.length) : this.#gather(transcript)) : undefined;
    if (!code) {
      this.add(transcript.id, facts);
      return { codings: [], rejected: [], ...(facts ? { facts } : {}) };
    }
    // (The matcher scans the transcript's plain text: word offsets are in it.)
    const observe = shared && facts ? (_segment: Paragraph, words: TokenBuffer) => counter.scanned(facts, transcript.plain, words) : undefined;
    const result = codeTranscript(transcript, matcher, frame.codebook ? this.#known : undefined, observe);
    this.add(transcript.id, facts);
    for (const s of result.staleRejects) reportStaleReject(file, s.code, s.marker);
    return { codings: result.codings, rejected: result.rejected, ...(facts ? { facts } : {}) };
  }

  /**
   * The byte-level implementation of {@link run}, for records: the record of
   * the transcript in `bytes` (read from `relative`), its codings and
   * diagnostics as `run` gives them, computed from the bytes without parsing
   * the whole file (engine/tally.ts); undefined when the full parser must
   * read it (anything out of the ordinary). tests/property/tally.test.ts
   * holds the two to the same output.
   */
  runBytes(relative: string, bytes: Uint8Array): CachedTranscript | undefined {
    const frame = this.#frame;
    const byte = recordFromBytes(frame, relative, bytes, this.#matcherFor, this.#gatherFacts ? this.#counter : undefined);
    if (!byte) return undefined;
    const record = recordOf({ ...byte.header, segmentCount: byte.segments });
    const codes = frame.codebook?.codes;
    this.add(record.id, byte.facts);
    return {
      head: detach(byte.file.text),
      fatal: byte.file.fatal,
      messages: byte.file.messages.map(detachedDiagnostic),
      record,
      codings: byte.codings.map((c) => compactCoding(c, record.id, codes)),
      rejected: byte.rejected.map(detach),
      ...(byte.facts ? { facts: byte.facts } : {}),
      redact: [],
    };
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

  /** The facts of a transcript that the matcher does not scan (not coded, or in another language). */
  #gather(t: Transcript): CorpusFacts {
    const facts = this.#counter.start(t.language, t.segments.length);
    for (const s of t.segments) this.#counter.text(facts, s.text, t.language);
    return facts;
  }
}

/** What the stage gives of one transcript. */
export interface StageResult {
  codings: Coding[];
  /** The codes of the rejections that rejected an automatic coding. */
  rejected: string[];
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
  const rejections: CodedCorpus['rejections'] = [];
  const keepRejections = (transcript: string, codes: readonly string[]): void => {
    for (const code of codes) rejections.push({ transcript, code });
  };
  const unparsed: string[] = [];
  let unread = false;
  /** Keeps what the stage left of a transcript, as a record. */
  const keepRecord = (entry: CachedTranscript, relative: string, cached = true): void => {
    if (entry.fatal) unread = true;
    frame.files.push(cachedFile(relative, entry));
    append(unparsed, entry.redact);
    if (!entry.record) return;
    // (The byte-level stage has counted it.)
    if (cached) stage.add(entry.record.id, entry.facts);
    transcripts.push(entry.record);
    append(codings, entry.codings);
    keepRejections(entry.record.id, entry.rejected);
  };
  // Records of whole runs come from the byte-level stage when it can (not for exports, which read every text).
  const fast = keep === 'records' && !only && !options.onTranscript;
  try {
    frame.transcriptPaths.forEach((p, i) => {
      let read: SourceFile | undefined;
      let store: ((entry: CachedTranscript) => void) | undefined;
      if (cache || fast) {
        const probe = cache?.probe(p);
        const bytes = probe?.hit ? undefined : readFileBytes(frame.root, p);
        const hit = probe?.hit ?? (probe && bytes instanceof Uint8Array ? probe.byContent(bytes) : undefined);
        const entry = hit ?? (fast && bytes instanceof Uint8Array ? stage.runBytes(p, bytes) : undefined);
        if (entry) {
          if (hit) keepRecord(entry, p);
          else {
            keepRecord(entry, p, false);
            if (probe && bytes instanceof Uint8Array) probe.put(bytes, entry);
          }
          if (options.onText && entry.record) textOf(frame, p, bytes, options.onText);
          options.onProgress?.(i + 1, frame.transcriptPaths.length);
          return;
        }
        if (bytes instanceof Uint8Array) {
          read = decodeSourceFile(p, bytes);
          if (probe) store = (entry) => probe.put(bytes, entry);
        } else read = bytes;
      }
      const { file, transcript } = read ? parseTranscriptFile(frame, read) : readTranscript(frame, p);
      const result = transcript ? stage.run(file, transcript, !only || only.has(transcript.id)) : undefined;
      if (transcript && result) options.onTranscript?.(transcript, result.codings);
      if (transcript) options.onText?.(transcript);
      if (keep === 'records') {
        const record = transcript && recordOf(transcript);
        const entry: CachedTranscript = {
          head: detach(transcript ? file.text.slice(0, transcript.bodyOffset) : ''),
          fatal: file.fatal,
          // Messages quote words of the text (a code id, a value): copied, so that they do not keep it.
          messages: file.messages.map(detachedDiagnostic),
          ...(record ? { record } : {}),
          codings: record && result ? result.codings.map((c) => compactCoding(c, record.id, frame.codebook?.codes)) : [],
          rejected: record && result ? result.rejected.map(detach) : [],
          ...(result?.facts ? { facts: result.facts } : {}),
          // A transcript left out for a broken front matter: the names it redacts come up in the others.
          redact: transcript ? [] : frontMatterRedactList(p, file.text).map(detach),
        };
        if (record) {
          transcripts.push(record);
          keepRejections(record.id, entry.rejected);
        }
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
          keepRejections(transcript.id, result.rejected);
        } else append(unparsed, frontMatterRedactList(p, file.text));
      }
      options.onProgress?.(i + 1, frame.transcriptPaths.length);
    });
  } catch (error) {
    // The cache's new files are left incomplete: removed, the cache stays as it was.
    cache?.abort();
    throw error;
  }
  stage.finish(unread);
  cache?.flush(true);
  return { ...frame, redact: [...frame.redact, ...unparsed], transcripts, matchers: matchersOf(frame), codings, rejections, facts: stage.facts, ...(cache ? { cached: cache.stats } : {}) };
}

/** Parses the transcript at `relative` (its bytes when read already) for `onText` alone: its diagnostics are the record's. */
function textOf(frame: ProjectFrame, relative: string, bytes: Uint8Array | SourceFile | undefined, onText: (t: Transcript) => void): void {
  const { transcript } = bytes instanceof Uint8Array ? parseTranscriptFile(frame, decodeSourceFile(relative, bytes)) : readTranscript(frame, relative);
  if (transcript) onText(transcript);
}

/**
 * Reads a transcript's plain text again (the text its codings' offsets point
 * into), for the few excerpts a command prints: undefined when the file can
 * no longer be read or parsed, or is no longer the transcript of the record.
 */
export function plainTextOf(frame: ProjectFrame): (t: Respondent) => string | undefined {
  const again = textAgainOf(frame);
  return (t) => again(t)?.plain;
}

/** A transcript read again: its plain text, and where an offset of it is in the file (`corpus/T03.md:12`). */
export interface TextAgain {
  plain: string;
  location(offset: number): string;
}

/** {@link plainTextOf}, with the locations of the text's offsets in the file. */
export function textAgainOf(frame: ProjectFrame): (t: Respondent) => TextAgain | undefined {
  return (t) => {
    const { file, transcript } = readTranscript(frame, t.file);
    if (!transcript || transcript.id !== t.id || transcript.segmentCount !== t.segmentCount) return undefined;
    return { plain: transcript.plain, location: (offset) => locationOf(transcript, file, offset) };
  };
}

/**
 * A coding without its evidence (the keywords that fired: `tag --explain`
 * reads them from the text again), its strings shared with the record and the
 * codebook rather than sliced from the text.
 */
function compactCoding(c: Omit<Coding, 'transcript'>, transcript: string, codes: ReadonlyMap<string, { id: string }> | undefined): Coding {
  // Literals with their keys in one order: the codings then share two hidden classes (a spread gave each its own, 200 bytes more apiece).
  const code = codes?.get(c.code)?.id ?? detach(c.code);
  if (c.accepted) return { transcript, segment: c.segment, code, origin: c.origin, start: c.start, end: c.end, span: c.span, accepted: true };
  return { transcript, segment: c.segment, code, origin: c.origin, start: c.start, end: c.end, span: c.span };
}
