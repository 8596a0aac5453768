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
 * 2. {@link CodedStream} streams the corpus (`engine/stream.ts`), codes each
 *    transcript as `codeProject` does, and runs on it the per-transcript part
 *    of the cross-file rules through `checkProject` itself, on a project of
 *    that one transcript (ids, attributes, markers, stale rejections,
 *    redacted ids). What the rules need from the whole corpus is kept as small
 *    facts (ids, the codes used, the words of the broad-keyword rule) and run
 *    through `checkProject` at the end on a project of stand-ins. So no rule
 *    is written twice.
 *
 * Each transcript's facts are checked against the survey as it streams: a
 * file that changed between the two passes stops the command
 * ({@link CorpusChanged}) rather than let a writer use a wrong column list or
 * miss a redacted name.
 */
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import nodePath from 'node:path';
import { checkProject } from '../check/check-project.js';
import { codeTranscript, type Coding, type StaleReject } from '../coding/code-transcript.js';
import type { Matcher } from '../coding/matcher.js';
import { scanWords, TokenBuffer } from '../coding/scanner.js';
import { buildTrie } from '../coding/trie.js';
import { append } from '../core/arrays.js';
import { loneCrAsLf } from '../core/decode.js';
import { detach } from '../core/location.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { SourceFile } from '../core/source-file.js';
import { collectDiagnostics } from '../engine/diagnostics.js';
import type { ProjectFrame } from '../engine/load-project.js';
import { checkPlanOutputs } from '../engine/outputs.js';
import { resolveAttributes, type CodedProject } from '../engine/pipeline.js';
import { MAX_FILE_BYTES, readSourceFile } from '../engine/read.js';
import { matcherCache, matchersOf, streamCorpus } from '../engine/stream.js';
import type { Language, Paragraph, PanelRow, Transcript } from '../project/model.js';
import { readRedactList, redactStrings } from '../project/redact-list.js';
import { parseFrontMatter, type TranscriptOptions } from '../project/transcript.js';
import { parseYaml } from '../yaml/yaml-source.js';

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
  /** The path of the first and of the last transcript of each shared id. */
  firstPath: Map<string, string>;
  lastIndex: Map<string, number>;
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

/**
 * The `redact` list of a transcript that does not parse, read from its front
 * matter as `loadProject` reads it (load-project.ts, `frontMatterRedactList`):
 * the parsed YAML when it parses, else the raw text.
 */
function unparsedRedactions(relative: string, text: string): string[] {
  const body = loneCrAsLf(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const open = /^---[ \t]*(?:\r\n|\n|\r)/.exec(body);
  if (!open) return [];
  const close = /^(?:---|\.\.\.)[ \t]*(?:\r\n|\n|\r|$)/m.exec(body.slice(open[0].length));
  const end = close ? open[0].length + close.index : body.length;
  const yaml = close ? parseYaml(new SourceFile(relative, body), open[0].length, end) : undefined;
  if (!yaml) return readRedactList(body.slice(open[0].length, end));
  const data = yaml.data as { redact?: unknown } | null | undefined;
  return data && typeof data === 'object' ? redactStrings(data.redact) : [];
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

/** The panel rows of each respondent id, in panel order. */
function rowsById(frame: ProjectFrame): Map<string, PanelRow[]> {
  const rows = new Map<string, PanelRow[]>();
  for (const row of frame.panel?.rows ?? []) {
    const list = rows.get(row.id);
    if (list) list.push(row);
    else rows.set(row.id, [row]);
  }
  return rows;
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
  return new SourceFile(relative, text);
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
      const redact = unparsedRedactions(p, file.text);
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
  const firstPath = new Map<string, string>();
  const lastIndex = new Map<string, number>();
  ids.forEach((id, i) => {
    if (id === undefined || !shared.has(id)) return;
    if (!firstPath.has(id)) firstPath.set(id, paths[i] as string);
    lastIndex.set(id, i);
  });
  // The attributes each transcript will have: its own, then the panel table's for the last transcript of its id (resolveAttributes).
  const rows = frame.panel && frame.panel.rows.length > 0 ? rowsById(frame) : undefined;
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
    if (rows && (lastIndex.get(id) ?? i) === i) for (const row of rows.get(id) ?? []) for (const k of Object.keys(row.values)) merged[k] = true;
    const keys = Object.keys(merged);
    for (const k of keys) if (!seen.has(k)) (seen.add(k), attributes.push(k));
    if (exported.has(id)) return;
    exported.add(id);
    for (const k of keys) if (!exportedSeen.has(k)) (exportedSeen.add(k), exportedAttributes.push(k));
  });
  return { secrets, ids, prints, attributes, exportedAttributes, shared, firstPath, lastIndex, transcripts: ids.filter((id) => id !== undefined).length };
}

/** A transcript of the stream with its codings, as `codeProject` gives them. */
export interface CodedItem {
  transcript: Transcript;
  codings: Coding[];
}

/** An empty segment, for the broad-keyword rule's stand-ins (most segments hold none of its words). */
const NO_WORDS = { text: '' } as Paragraph;

/**
 * The coded corpus, a transcript at a time: {@link items}, then
 * {@link diagnostics} (every diagnostic of the project, as `loadCoded`
 * collects them).
 */
export class CodedStream {
  private readonly matcherFor: (language: Language) => Matcher | undefined;
  private readonly known: ReadonlySet<string>;
  private readonly rows: Map<string, PanelRow[]>;
  /** The diagnostics of each transcript file, kept without the file's text. */
  private readonly transcriptFiles: SourceFile[] = [];
  private readonly usedCodes = new Set<string>();
  /** For the broad-keyword rule: each language's segments, with only the words that may be a broad keyword. */
  private readonly segments = new Map<Language, Paragraph[]>();
  private readonly broad: { matcher: Matcher; trie: ReturnType<typeof buildTrie>; stems: Set<string> } | undefined;
  private readonly buffer = new TokenBuffer();
  private readonly standIns = new Map<string, Paragraph>();
  /** Stale rejections of shared ids, waiting for the last transcript of the id (they are reported there, as `checkProject` does). */
  private readonly staleRejects = new Map<string, StaleReject[]>();
  private unread: string | undefined;
  private finished = false;

  constructor(
    private readonly frame: ProjectFrame,
    private readonly survey: Survey,
  ) {
    this.matcherFor = matcherCache(frame);
    this.known = frame.codebook ? new Set(frame.codebook.codes.keys()) : new Set();
    this.rows = frame.panel && frame.panel.rows.length > 0 ? rowsById(frame) : new Map();
    // The codebook's own language compiles even with no transcript in it, so that check sees keyword problems (codeProject does the same).
    const matcher = frame.codebook ? this.matcherFor(frame.codebook.language ?? frame.config.language) : undefined;
    const single = matcher?.keywords.filter((k) => !k.veto && k.elements.length === 1 && k.elements[0]?.kind === 'stem') ?? [];
    if (matcher && single.length > 0) this.broad = { matcher, trie: buildTrie(single, matcher.language), stems: new Set(single.map((k) => k.elements[0]?.value as string)) };
  }

  /** The transcripts that parse, in path order, each with its codings. */
  *items(onProgress?: (done: number, total: number) => void): Generator<CodedItem> {
    const { frame, survey } = this;
    const total = frame.transcriptPaths.length;
    // Markers and attributes are checked below, with the other rules of a transcript.
    for (const item of streamCorpus({ ...frame, codebook: undefined, panelBroken: true }, { code: false })) {
      const file = item.file;
      const path = frame.transcriptPaths[item.index] as string;
      if (file.fatal) this.unread ??= path;
      const t = item.transcript;
      if (!t) {
        if (survey.ids[item.index] !== undefined || survey.prints[item.index] !== fingerprint(undefined, [], unparsedRedactions(path, file.text))) throw new CorpusChanged(path);
        this.keep(file);
        onProgress?.(item.index + 1, total);
        continue;
      }
      if (survey.ids[item.index] !== t.id || survey.prints[item.index] !== fingerprint(t.id, Object.keys(t.attributes), t.redact)) throw new CorpusChanged(path);
      const coding = codeTranscript(t, this.matcherFor(t.language), this.known);
      for (const c of coding.codings) this.usedCodes.add(c.code);
      this.checkTranscript(t, item.index, file, coding.staleRejects);
      this.keep(file);
      this.collectWords(t);
      yield { transcript: t, codings: coding.codings };
      onProgress?.(item.index + 1, total);
    }
    this.finished = true;
  }

  /** The rules of one transcript, through checkProject on a project of it alone (see the module comment). */
  private checkTranscript(t: Transcript, index: number, file: SourceFile, staleRejects: readonly StaleReject[]): void {
    const { frame, survey } = this;
    const last = (survey.lastIndex.get(t.id) ?? index) === index;
    // The panel table's values go to the last transcript of the id, as resolveAttributes does for the whole project.
    const rows = this.rows.get(t.id);
    if (frame.panel && rows && last) resolveAttributes({ ...frame, panel: { ...frame.panel, rows }, files: [file], transcripts: [t], transcriptPaths: [] });
    // Stale rejections are reported on the last transcript of the id.
    let stale: StaleReject[] = [...staleRejects];
    if (survey.shared.has(t.id)) {
      const pending = this.staleRejects.get(t.id) ?? [];
      append(pending, staleRejects);
      this.staleRejects.set(t.id, pending);
      stale = last ? pending : [];
      if (last) this.staleRejects.delete(t.id);
    }
    // The first transcript of a shared id stands in for itself, so that a later one is reported as its duplicate.
    const firstPath = survey.firstPath.get(t.id);
    const before = firstPath !== undefined && firstPath !== t.file ? [{ id: t.id, file: firstPath, redact: [] } as unknown as Transcript] : [];
    const alone: CodedProject = {
      root: frame.root,
      config: frame.config,
      files: [file],
      transcriptPaths: [],
      ...(frame.codebook ? { codebook: frame.codebook } : {}),
      ...(frame.panel ? { panel: { ...frame.panel, rows: [] } } : {}),
      ...(frame.panelBroken ? { panelBroken: true as const } : {}),
      plans: [],
      outputs: [],
      redact: survey.secrets,
      transcripts: [...before, t],
      matchers: new Map(),
      codings: [],
      staleRejects: stale,
    };
    checkProject(alone);
  }

  /** The words of the broad-keyword rule in each segment of `t` (the only words the rule looks at). */
  private collectWords(t: Transcript): void {
    const broad = this.broad;
    if (!broad || t.language !== broad.matcher.language) return;
    let list = this.segments.get(t.language);
    if (!list) this.segments.set(t.language, (list = []));
    const buffer = this.buffer;
    for (const s of t.segments) {
      scanWords(s.text, broad.matcher.language, buffer, broad.trie);
      let words: string[] | undefined;
      for (let i = 0; i < buffer.count; i++) {
        if (buffer.candidate[i] !== 1) continue;
        const word = s.text.slice(buffer.starts[i], buffer.ends[i]);
        if (broad.stems.has(broad.matcher.stem(word))) (words ??= []).push(word);
      }
      list.push(words ? this.standIn(words) : NO_WORDS);
    }
  }

  /**
   * A segment that holds these words: the rule counts segments and words, in
   * no order, so the words are sorted and segments with the same words share
   * one stand-in (a few thousand kept).
   */
  private standIn(words: string[]): Paragraph {
    const text = words.sort().join(' ');
    let p = this.standIns.get(text);
    if (!p) {
      p = { text: detach(text) } as Paragraph;
      if (this.standIns.size < 10_000) this.standIns.set(p.text, p);
    }
    return p;
  }

  /** Keeps a transcript file's diagnostics, not its text (nor strings cut from it, which would keep it). */
  private keep(file: SourceFile): void {
    if (file.messages.length === 0) return;
    const kept = new SourceFile(file.path, '');
    for (const d of file.messages) kept.messages.push({ ...d, message: detach(d.message), ...(d.note !== undefined ? { note: detach(d.note) } : {}) });
    this.transcriptFiles.push(kept);
  }

  /** Every diagnostic of the project, as `loadCoded` collects them (sorted); after {@link items} has run to the end. */
  diagnostics(): Diagnostic[] {
    if (!this.finished) throw new Error('CodedStream.diagnostics() before the end of the stream.');
    const { frame, survey } = this;
    // Panel rows without a transcript (resolveAttributes, on stand-ins of the ids the rows name).
    if (frame.panel && frame.panel.rows.length > 0) {
      const sink = new SourceFile('\u0000', '');
      const files = [...frame.files, sink];
      if (this.unread) {
        const unread = new SourceFile(this.unread, '');
        unread.fatal = true;
        files.push(unread);
      }
      const ids = new Set(survey.ids);
      const stand = [...this.rows.keys()].filter((id) => ids.has(id)).map((id) => ({ id, file: '\u0000', attributes: {}, positions: new Map() }) as unknown as Transcript);
      resolveAttributes({ ...frame, files, transcripts: stand });
    }
    // The rules over the whole project, on stand-ins: a transcript per language with its segments' words, a coding per code used.
    const stand = [...this.segments].map(([language, segments]) => ({ id: `\u0000${language}`, file: '\u0000', language, segments, redact: [], attributes: {}, positions: new Map() }) as unknown as Transcript);
    if (survey.transcripts > 0 && stand.length === 0) stand.push({ id: '\u0000', file: '\u0000', language: frame.config.language, segments: [], redact: [], attributes: {}, positions: new Map() } as unknown as Transcript);
    const whole: CodedProject = {
      ...frame,
      redact: survey.secrets,
      transcripts: stand,
      matchers: matchersOf(frame),
      codings: [...this.usedCodes].map((code) => ({ code }) as Coding),
      staleRejects: [],
    };
    checkProject(whole);
    checkPlanOutputs(frame);
    return collectDiagnostics({ ...frame, files: [...frame.files, ...this.transcriptFiles], redact: survey.secrets, transcripts: [] });
  }
}
