/**
 * The streaming counterpart of `loadCoded` (shared.ts): the same transcripts,
 * with the same attributes and codings, and at the end the same diagnostics,
 * but one transcript at a time, so that a command that writes as it goes
 * (`verbatim export`) holds one transcript in memory, never the corpus.
 *
 * Two passes over the files:
 *
 * 1. {@link surveyCorpus} reads each file and parses its front matter only
 *    (as the transcript parser does, on the same decoded text): its id, its
 *    attribute names and its `redact` list. Writers need these before the
 *    first transcript: every redacted name (a name one transcript redacts is
 *    masked in all of them), the attribute columns, and which ids several
 *    transcripts share.
 * 2. {@link CodedStream} reads and parses each transcript and runs it through
 *    the pipeline's per-transcript stage (`engine/corpus.ts`: panel values,
 *    marker and attribute rules, stale rejections, coding, the facts of the
 *    corpus-wide rules), hands it on, and keeps of it what `codeCorpus`
 *    keeps in its `records` mode but the codings: the record and the file
 *    reduced to its front matter and diagnostics, and the codes it uses. The
 *    corpus-wide rules (`checkProject`) run on those at the end.
 *
 * Each transcript's facts are checked against the survey as it streams: a
 * file that changed between the two passes stops the command
 * ({@link CorpusChanged}) rather than let a writer use a wrong column list or
 * miss a redacted name.
 */
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import nodePath from 'node:path';
import { checkProject, type CorpusFacts } from '../check/check-project.js';
import type { Coding } from '../coding/code-transcript.js';
import { loneCrAsLf } from '../core/decode.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { detach } from '../core/location.js';
import { SourceFile } from '../core/source-file.js';
import { TranscriptStage } from '../engine/corpus.js';
import { detachedDiagnostic, panelRowsOf, recordOf } from '../engine/stage-parts.js';
import { collectDiagnostics } from '../engine/diagnostics.js';
import { frontMatterRedactList, readTranscript, type ProjectFrame } from '../engine/load-project.js';
import { matchersOf } from '../engine/matchers.js';
import { checkPlanOutputs } from '../engine/outputs.js';
import { displayPath, MAX_FILE_BYTES, readSourceFile } from '../engine/read.js';
import type { Respondent, Transcript } from '../project/model.js';
import { parseFrontMatter, type TranscriptOptions } from '../project/transcript.js';

/** What the front matters say about the corpus, before it is streamed. */
export interface Survey {
  /** Every string to mask: the project's lists and every transcript's (parsed or not). */
  secrets: string[];
  /** Per transcript path: its id, or undefined when it does not parse (then it is no transcript). */
  ids: (string | undefined)[];
  /** Per transcript path: a hash of what the writers were told about it (see {@link fingerprint}). */
  prints: Uint32Array;
  /** The attributes in panel order, then those only found in transcripts, in order of first appearance (`attributeIds`). */
  attributes: string[];
  /** The attributes of the first transcript of each id, in order of first appearance. */
  exportedAttributes: string[];
  /** Ids that several transcripts share, and how many. */
  shared: Map<string, number>;
  /** How many transcripts parse. */
  transcripts: number;
}

/** A file of the corpus changed between the survey and the stream. */
export class CorpusChanged extends Error {
  constructor(readonly file: string) {
    super(`\`${file}\` changed while it was being read`);
  }
}

function optionsOf(frame: ProjectFrame): TranscriptOptions {
  return { language: frame.config.language, speakers: frame.config.speakers, codeInterviewer: frame.config.codeInterviewer };
}

/** FNV-1a of a string: 32 bits are plenty to tell that a file changed. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** What the writers are told about a transcript: its id, the names of its own attributes, and its `redact` list. */
function fingerprint(id: string | undefined, attributes: readonly string[], redact: readonly string[]): number {
  return hash(`${id ?? '\u0000'}\u0001${attributes.join('\u0002')}\u0001${redact.join('\u0002')}`);
}

/** The front matter is read from the first bytes of a file when it ends in them (it is usually a few hundred). */
const HEAD = 64 * 1024;
const OPEN = /^---[ \t]*(?:\r\n|\n|\r)/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*(?:\r\n|\n|\r|$)/m;

/** The survey's read buffer, grown to the largest file (and let go after the survey). */
let readBuffer = Buffer.alloc(0);

/**
 * A transcript file as `readSourceFile` reads it, or only its beginning when
 * that holds the whole front matter, which is all the survey parses: a file
 * of valid UTF-8 (the common case) decodes to the same text, so its
 * beginning decodes to the beginning of that text. Anything else (another
 * encoding, a file too large, a front matter that does not end early) is
 * read by `readSourceFile` itself.
 */
function readHead(root: string, relative: string): SourceFile {
  const whole = (): SourceFile => readSourceFile(root, relative);
  let n = 0;
  try {
    const fd = fs.openSync(nodePath.resolve(root, relative), 'r');
    try {
      const size = fs.fstatSync(fd).size;
      if (size > MAX_FILE_BYTES) return whole();
      if (readBuffer.length < size) readBuffer = Buffer.allocUnsafe(size);
      for (let r = 1; n < size && r > 0; n += r) r = fs.readSync(fd, readBuffer, n, size - n, n);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return whole();
  }
  const bytes = readBuffer.subarray(0, n);
  // What decode() does not read as plain UTF-8: UTF-16 and UTF-32 byte order marks, a zero byte early (binary), invalid UTF-8.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0 && bytes[1] === 0) || bytes.subarray(0, 8192).indexOf(0) >= 0 || !isUtf8(bytes)) return whole();
  const partial = n > HEAD;
  let text = new TextDecoder('utf-8', { ignoreBOM: false }).decode(partial ? bytes.subarray(0, HEAD) : bytes, { stream: partial });
  text = loneCrAsLf(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (partial) {
    if (text.trim() === '') return whole();
    const open = OPEN.exec(text);
    if (open) {
      const close = CLOSE.exec(text.slice(open[0].length));
      // The closing line must end well inside the beginning (a CR at its end could be half of a CRLF).
      if (!close || open[0].length + close.index + close[0].length > text.length - 2) return whole();
    }
  }
  return new SourceFile(displayPath(relative), text);
}

/**
 * Reads the front matter of every transcript (see the module comment), the
 * way `readTranscript` reads the file and `parseTranscript` its front matter.
 */
export function surveyCorpus(frame: ProjectFrame, onProgress?: (done: number, total: number) => void): Survey {
  const options = optionsOf(frame);
  const paths = frame.transcriptPaths;
  readBuffer = Buffer.allocUnsafe(1 << 20);
  const secrets = [...frame.redact];
  const ids: (string | undefined)[] = [];
  const prints = new Uint32Array(paths.length);
  /** Per transcript path, the names of its own attributes. */
  const own: string[][] = [];
  const counts = new Map<string, number>();
  paths.forEach((p, i) => {
    const file = readHead(frame.root, p);
    const header = file.fatal || file.text.trim() === '' ? undefined : parseFrontMatter(file, options);
    // Copies of what is kept: a string cut from a file keeps the whole file in memory.
    if (!header) {
      const redact = frontMatterRedactList(p, file.text);
      for (const r of redact) secrets.push(detach(r));
      ids.push(undefined);
      own.push([]);
      prints[i] = fingerprint(undefined, [], redact);
    } else {
      for (const r of header.redact) secrets.push(detach(r));
      const id = detach(header.id);
      ids.push(id);
      own.push(Object.keys(header.attributes).map(detach));
      counts.set(id, (counts.get(id) ?? 0) + 1);
      prints[i] = fingerprint(header.id, Object.keys(header.attributes), header.redact);
    }
    onProgress?.(i + 1, paths.length);
  });
  readBuffer = Buffer.alloc(0);
  const shared = new Map([...counts].filter(([, n]) => n > 1));
  // The attributes each transcript will have: its own, then the panel table's values of its id (the stage's resolveAttributes).
  const rows = panelRowsOf(frame);
  const attributes = (frame.panel?.attributes ?? []).map((a) => a.id);
  const seen = new Set(attributes);
  const exportedAttributes: string[] = [];
  const exportedSeen = new Set<string>();
  const exported = new Set<string>();
  ids.forEach((id, i) => {
    if (id === undefined) return;
    // An object, as the transcript's attributes are: the order of its keys is theirs (integer-like keys first).
    const merged: Record<string, true> = {};
    for (const k of own[i] as string[]) merged[k] = true;
    for (const row of rows.get(id) ?? []) for (const k of Object.keys(row.values)) merged[k] = true;
    const keys = Object.keys(merged);
    for (const k of keys) {
      if (seen.has(k)) continue;
      seen.add(k);
      attributes.push(k);
    }
    if (exported.has(id)) return;
    exported.add(id);
    for (const k of keys) {
      if (exportedSeen.has(k)) continue;
      exportedSeen.add(k);
      exportedAttributes.push(k);
    }
  });
  return { secrets, ids, prints, attributes, exportedAttributes, shared, transcripts: ids.filter((id) => id !== undefined).length };
}

/** A transcript of the stream with its codings, as `codeProject` gives them. */
export interface CodedItem {
  transcript: Transcript;
  codings: Coding[];
}

/**
 * The coded corpus, a transcript at a time: {@link items}, then
 * {@link diagnostics} (every diagnostic of the project, as `loadCoded`
 * collects them).
 */
export class CodedStream {
  private readonly stage: TranscriptStage;
  /** The facts of the corpus-wide rules, gathered by the stage. */
  get facts(): CorpusFacts {
    return this.stage.facts;
  }
  /** Of each transcript file: its front matter and its diagnostics, for the corpus-wide rules and the report. */
  private readonly files: SourceFile[] = [];
  /** Of each transcript: its record (no text). */
  private readonly records: Respondent[] = [];
  private readonly usedCodes = new Set<string>();
  private unread = false;
  private finished = false;

  constructor(
    private readonly frame: ProjectFrame,
    private readonly survey: Survey,
  ) {
    this.stage = new TranscriptStage(frame);
  }

  /** The transcripts that parse, in path order, each with its codings. */
  *items(onProgress?: (done: number, total: number) => void): Generator<CodedItem> {
    const { frame, survey } = this;
    const paths = frame.transcriptPaths;
    for (let i = 0; i < paths.length; i++) {
      const path = paths[i] as string;
      const { file, transcript: t } = readTranscript(frame, path);
      if (file.fatal) this.unread = true;
      if (!t) {
        if (survey.ids[i] !== undefined || survey.prints[i] !== fingerprint(undefined, [], frontMatterRedactList(path, file.text))) throw new CorpusChanged(path);
        this.keep(file, '');
        onProgress?.(i + 1, paths.length);
        continue;
      }
      if (survey.ids[i] !== t.id || survey.prints[i] !== fingerprint(t.id, Object.keys(t.attributes), t.redact)) throw new CorpusChanged(path);
      const { codings } = this.stage.run(file, t);
      for (const c of codings) this.usedCodes.add(c.code);
      this.records.push(recordOf(t));
      this.keep(file, file.text.slice(0, t.bodyOffset));
      yield { transcript: t, codings };
      onProgress?.(i + 1, paths.length);
    }
    this.stage.finish(this.unread);
    this.finished = true;
  }

  /** Keeps a transcript file as `codeCorpus` keeps it with records: its front matter and its diagnostics, copied (a string cut from the text keeps all of it). */
  private keep(file: SourceFile, head: string): void {
    const kept = new SourceFile(file.path, detach(head));
    for (const d of file.messages) kept.messages.push(detachedDiagnostic(d));
    kept.fatal = file.fatal;
    this.files.push(kept);
  }

  /** Every diagnostic of the project, as `loadCoded` collects them (sorted); after {@link items} has run to the end. */
  diagnostics(): Diagnostic[] {
    if (!this.finished) throw new Error('CodedStream.diagnostics() before the end of the stream.');
    const { frame, survey } = this;
    const files = [...frame.files, ...this.files];
    // The codings are gone: a coding per code used is what the rules read of them.
    const codings = [...this.usedCodes].map((code) => ({ code }) as Coding);
    checkProject({ ...frame, files, redact: survey.secrets, transcripts: this.records, codings, matchers: matchersOf(frame), facts: this.stage.facts });
    checkPlanOutputs({ ...frame, files });
    return collectDiagnostics({ ...frame, files, redact: survey.secrets, transcripts: [] });
  }
}
