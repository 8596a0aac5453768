/**
 * The record cache (`.verbatim/cache/`): what the per-transcript stage left of
 * each transcript (its record, codings, diagnostics and facts), so that a run
 * after an edit re-codes only the transcripts that changed.
 *
 * An entry is keyed by the transcript's bytes and path, the texts of the
 * files that decide how it is coded and checked (verbatim.yaml, the codebook,
 * the panel), and the program itself (its version and the files it is made
 * of): a codebook edit re-codes everything, a new build too. Entries are
 * kept in a few shard files (by the hash of the path), rewritten when one of
 * their entries changes, without the entries of transcripts gone since, so
 * that the cache does not grow. Entries are read defensively: one that does not parse, or whose
 * key, format or shape is not what this run expects, is ignored and
 * replaced, never trusted. Writing is best effort (a read-only checkout runs
 * without cache), and deleting the folder is always safe.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Coding } from '../coding/code-transcript.js';
import type { CorpusFacts } from '../check/check-project.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { RULES } from '../core/rules.js';
import { append } from '../core/arrays.js';
import { SourceFile } from '../core/source-file.js';
import type { Respondent } from '../project/model.js';
import type { ProjectFrame } from './load-project.js';
import { displayPath } from './read.js';
import { openAtomicFile, removeStaleTempFiles, writeFileSafely, type AtomicFile } from './write.js';

/** Where the cache lives, relative to the project. */
export const CACHE_FOLDER = '.verbatim/cache';
const FORMAT = 'verbatim-records/5';

/** What the stage left of one transcript. */
export interface CachedTranscript {
  /** The file as the later rules see it: its front matter (or nothing), its diagnostics, whether it is unusable. */
  head: string;
  fatal: boolean;
  messages: Diagnostic[];
  /** The record, when the transcript parsed. */
  record?: Respondent;
  codings: Coding[];
  /** The codes of the rejections that rejected an automatic coding. */
  rejected: string[];
  facts?: CorpusFacts;
  /** The `redact` list of a transcript whose front matter did not parse. */
  redact: string[];
}

/**
 * What the cache knows of one transcript before its bytes are read: an entry
 * that its size and modification time vouch for (`hit`), or a way to look it
 * up by content once they are read (a checkout that rewrote the file with the
 * same bytes is still a hit).
 */
export interface Probe {
  hit?: CachedTranscript;
  /** The entry for these bytes, if the stored one was made from the same bytes. */
  byContent(bytes: Uint8Array): CachedTranscript | undefined;
  /** Stores what the stage left of the transcript, made from these bytes. */
  put(bytes: Uint8Array, entry: CachedTranscript): void;
}

/** The cache of one run over a frame. */
export class RecordCache {
  readonly #root: string;
  readonly #dir: string;
  readonly #context: string;
  #swept = false;
  readonly #shards = new Map<number, Shard>();
  /**
   * The new file of each shard this run wrote to, its entries written as they
   * come (a run that codes the whole corpus holds none of their JSON), the
   * shard's older entries added at {@link flush}; `null` once it failed.
   */
  readonly #out = new Map<number, AtomicFile | null>();
  /** The paths this run looked up. */
  readonly #seen = new Set<string>();
  /** Entries found (hits) and transcripts coded again (misses) in this run. */
  readonly stats = { hits: 0, misses: 0 };

  constructor(frame: ProjectFrame) {
    this.#root = frame.root;
    this.#dir = path.join(frame.root, CACHE_FOLDER, 'transcripts');
    const h = createHash('sha256').update(`${FORMAT}\0${programFingerprint()}\0`);
    const plans = new Set(frame.plans.map((p) => p.file));
    // The files that decide how a transcript is coded and checked: configuration, codebook, panel (not the plans).
    for (const f of frame.files) if (!plans.has(f.path)) h.update(`${f.path}\0${f.fatal ? 1 : 0}\0${f.text}\0`);
    this.#context = h.digest('hex');
  }

  /**
   * Looks the transcript at `relative` up: its entry, if one was made in this
   * context, for this path, from a file of the same size and modification
   * time (as git's index trusts them); else a lookup by content.
   */
  probe(relative: string): Probe {
    let stat: { size: number; mtime: number } | undefined;
    try {
      const st = statSync(path.resolve(this.#root, relative));
      stat = { size: st.size, mtime: st.mtimeMs };
    } catch {
      stat = undefined;
    }
    const shard = this.#shard(relative);
    this.#seen.add(relative);
    const raw = entryOf(shard.entries.get(relative), relative);
    const found = (): CachedTranscript | undefined => {
      const entry = raw && fromJson(raw);
      if (entry) this.stats.hits++;
      return entry;
    };
    // As git does with "racily clean" files: a date too close to when the entry was written does not vouch for the bytes
    // (a file system that keeps dates to the second, an edit in the same second).
    const vouched = raw && stat && raw.size === stat.size && raw.mtime === stat.mtime && typeof raw.written === 'number' && stat.mtime + RACY_MS < raw.written;
    const hit = vouched ? found() : undefined;
    return {
      ...(hit ? { hit } : {}),
      byContent: (bytes) => {
        const content = contentHash(bytes);
        const entry = raw && raw.content === content ? found() : undefined;
        if (!entry) this.stats.misses++;
        // The same bytes with another date: store the date, so that the next run need not read them.
        else if (stat) this.#write(relative, entry, content, stat);
        return entry;
      },
      put: (bytes, entry) => {
        if (stat) this.#write(relative, entry, contentHash(bytes), stat);
      },
    };
  }

  /** Writes an entry to its shard's new file, which {@link flush} completes with the shard's older entries. */
  #write(relative: string, entry: CachedTranscript, content: string, stat: { size: number; mtime: number }): void {
    const n = this.#shardOf(relative);
    const shard = this.#shard(relative);
    // The older entry is not kept: this one replaces it (when a path is written twice, the last line wins on reading).
    shard.entries.delete(relative);
    const out = this.#open(n);
    if (!out) return;
    try {
      out.write(`${JSON.stringify(relative)}\t${JSON.stringify({ path: relative, size: stat.size, mtime: stat.mtime, written: Date.now(), content, ...toJson(entry) })}\n`);
    } catch {
      // No cache for this shard this time: the next run codes its transcripts again.
      this.#out.set(n, null);
    }
  }

  /** The new file of shard `n`, opened with its header on first use; `null` when it cannot be written. */
  #open(n: number): AtomicFile | null {
    const known = this.#out.get(n);
    if (known !== undefined) return known;
    let out: AtomicFile | null = null;
    try {
      if (!this.#swept) {
        this.#swept = true;
        removeStaleTempFiles(this.#dir);
        // The cache ignores itself in git, in a project whose .gitignore does not list `.verbatim/` (as pytest's does).
        const ignore = path.join(this.#dir, '..', '.gitignore');
        if (!existsSync(ignore)) writeFileSafely(ignore, "# Verbatim's record cache: safe to delete, never to commit.\n*\n", { flush: false });
      }
      // A header line, then a line per entry: its path, a tab, its JSON (read only when it is looked up).
      out = openAtomicFile(this.#shardFile(n), { flush: false, sweep: false });
      out.write(`${JSON.stringify({ format: FORMAT, context: this.#context })}\n`);
    } catch {
      out?.abort();
      out = null;
    }
    this.#out.set(n, out);
    return out;
  }

  /**
   * Completes the shards that changed, without the entries of transcripts
   * this run did not see (removed or renamed). Best effort: a cache that
   * cannot be written is no error. `complete`: the run saw the whole corpus.
   */
  flush(complete: boolean): void {
    try {
      // The shards of transcripts gone since are read too, to drop their entries.
      if (complete) for (let n = 0; n < SHARDS; n++) if (!this.#shards.has(n) && existsSync(this.#shardFile(n))) this.#load(n);
      for (const [n, shard] of this.#shards) {
        if (complete) {
          for (const p of shard.entries.keys()) {
            if (this.#seen.has(p)) continue;
            shard.entries.delete(p);
            shard.dirty = true;
          }
        }
        if (!shard.dirty && !this.#out.has(n)) continue;
        const out = this.#open(n);
        if (!out) continue;
        try {
          for (const [p, e] of shard.entries) out.write(`${JSON.stringify(p)}\t${e}\n`);
          out.commit();
        } catch {
          // This shard is lost for this time; the others are still written.
        } finally {
          out.abort();
          this.#out.set(n, null);
        }
      }
    } catch {
      // No cache this time: the next run codes the transcripts again.
    } finally {
      this.abort();
    }
  }

  /** Removes the new files not completed (a run that stopped before {@link flush}): the cache stays as it was. */
  abort(): void {
    for (const [n, out] of this.#out) {
      out?.abort();
      this.#out.set(n, null);
    }
  }

  /** The shard of a path, read on first use: entries of another format or context are not read at all. */
  #shard(relative: string): Shard {
    const n = this.#shardOf(relative);
    return this.#shards.get(n) ?? this.#load(n);
  }

  #shardOf(relative: string): number {
    return parseInt(createHash('sha1').update(relative).digest('hex').slice(0, 2), 16) % SHARDS;
  }

  #load(n: number): Shard {
    const shard: Shard = { entries: new Map(), dirty: false };
    try {
      const lines = readFileSync(this.#shardFile(n), 'utf8').split('\n');
      const header: unknown = JSON.parse(lines[0] as string);
      if (isObject(header) && header.format === FORMAT && header.context === this.#context) {
        for (const line of lines.slice(1)) {
          const tab = line.indexOf('\t');
          if (tab < 0) continue;
          const p: unknown = JSON.parse(line.slice(0, tab));
          if (isString(p)) shard.entries.set(p, line.slice(tab + 1));
        }
      } else shard.dirty = true;
    } catch {
      // No shard yet, or not one: it is written afresh.
      shard.entries.clear();
      shard.dirty = true;
    }
    this.#shards.set(n, shard);
    return shard;
  }

  #shardFile(n: number): string {
    return path.join(this.#dir, `${n.toString(16).padStart(2, '0')}.json`);
  }
}

/** Entries are kept in this many files (by the hash of their path): a few reads for a whole corpus, a small file to rewrite after an edit. */
const SHARDS = 16;

interface Shard {
  /** Each entry's JSON, by path. */
  entries: Map<string, string>;
  dirty: boolean;
}

/** The entry of a shard line, when it parses and is for this path. */
function entryOf(json: string | undefined, relative: string): Record<string, unknown> | undefined {
  if (json === undefined) return undefined;
  try {
    const e: unknown = JSON.parse(json);
    return isObject(e) && e.path === relative ? e : undefined;
  } catch {
    return undefined;
  }
}

/** A file modified less than this before its entry was written is read again (some file systems keep dates to 2 s). */
const RACY_MS = 2_000;

function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The state of the program: its version and the size and date of every file it is made of (a new build invalidates the cache). */
let fingerprint: string | undefined;
function programFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = path.dirname(here); // dist/ or src/
  const h = createHash('sha256');
  try {
    h.update(readFileSync(path.join(root, '..', 'package.json')));
  } catch {
    h.update('no package.json');
  }
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const p = path.join(dir, name);
      try {
        const st = statSync(p);
        if (st.isDirectory()) walk(p);
        else if (/\.(?:js|ts|wasm)$/.test(name)) h.update(`${path.relative(root, p)}\0${st.size}\0${st.mtimeMs}\0`);
      } catch {
        // A file that went away: it counts as changed.
      }
    }
  };
  walk(root);
  fingerprint = h.digest('hex');
  return fingerprint;
}

// The JSON form: positions and facts' maps as arrays, codings as tuples.

/** A coding as five numbers: segment, the code's index in `codes`, flags (1: manual, 2: a span, 4: accepted), start, end (numbers parse fastest). */
const CODING_WIDTH = 5;

function codingsToJson(codings: readonly Coding[]): { codes: string[]; data: number[] } {
  const codes: string[] = [];
  const index = new Map<string, number>();
  const data: number[] = [];
  for (const c of codings) {
    let i = index.get(c.code);
    if (i === undefined) {
      i = codes.length;
      codes.push(c.code);
      index.set(c.code, i);
    }
    data.push(c.segment, i, (c.origin === 'manual' ? 1 : 0) | (c.span ? 2 : 0) | (c.accepted ? 4 : 0), c.start, c.end);
  }
  return { codes, data };
}

function toJson(e: CachedTranscript): Record<string, unknown> {
  return {
    head: e.head,
    fatal: e.fatal,
    messages: e.messages,
    record: e.record ? { ...e.record, positions: [...e.record.positions] } : null,
    codings: codingsToJson(e.codings),
    rejected: e.rejected,
    facts: e.facts ? { words: e.facts.words, segments: e.facts.segments, stems: [...e.facts.stems].map(([stem, h]) => [stem, h.segments, [...h.forms]]) } : null,
    redact: e.redact,
  };
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isRange = (v: unknown): v is [number, number] => Array.isArray(v) && v.length === 2 && v.every(isNumber);
const isStringRecord = (v: unknown): v is Record<string, string> => isObject(v) && Object.values(v).every(isString);

/** The entry, when every field of `raw` has the right type. */
function fromJson(raw: Record<string, unknown>): CachedTranscript | undefined {
  const { head, fatal, messages, record, codings, rejected, facts, redact } = raw;
  if (!isString(head) || typeof fatal !== 'boolean' || !Array.isArray(messages) || !isObject(codings) || !isStrings(rejected) || !isStrings(redact)) return undefined;
  const { codes, data } = codings;
  if (!isStrings(codes) || !Array.isArray(data) || data.length % CODING_WIDTH !== 0) return undefined;
  if (!messages.every(isDiagnostic)) return undefined;
  const out: CachedTranscript = { head, fatal, messages, codings: [], rejected, redact };
  if (record !== null) {
    const r = respondentOf(record);
    if (!r) return undefined;
    out.record = r;
    const d = data as unknown[];
    for (let k = 0; k < d.length; k += CODING_WIDTH) {
      const segment = d[k];
      const i = d[k + 1];
      const flags = d[k + 2];
      const start = d[k + 3];
      const end = d[k + 4];
      const code = codes[i as number];
      if (!isNumber(segment) || !isNumber(i) || code === undefined || !isNumber(flags) || flags < 0 || flags > 7 || (flags & 5) === 4 || !isNumber(start) || !isNumber(end)) return undefined;
      const origin = (flags & 1) === 1 ? 'manual' : 'auto';
      const span = (flags & 2) === 2;
      // Literals, not a spread: the codings share two hidden classes (see compactCoding in corpus.ts).
      out.codings.push((flags & 4) === 4 ? { transcript: r.id, segment, code, origin, start, end, span, accepted: true } : { transcript: r.id, segment, code, origin, start, end, span });
    }
  } else if (data.length > 0) return undefined;
  if (facts !== null) {
    if (!isObject(facts) || !isNumber(facts.words) || !isNumber(facts.segments) || !Array.isArray(facts.stems)) return undefined;
    const stems: CorpusFacts['stems'] = new Map();
    for (const s of facts.stems) {
      if (!Array.isArray(s) || s.length !== 3 || !isString(s[0]) || !isNumber(s[1]) || !Array.isArray(s[2])) return undefined;
      const forms = new Map<string, number>();
      for (const f of s[2] as unknown[]) {
        if (!Array.isArray(f) || f.length !== 2 || !isString(f[0]) || !isNumber(f[1])) return undefined;
        forms.set(f[0], f[1]);
      }
      stems.set(s[0], { segments: s[1], forms });
    }
    out.facts = { words: facts.words, segments: facts.segments, stems };
  }
  return out;
}

function isDiagnostic(v: unknown): v is Diagnostic {
  if (!isObject(v)) return false;
  const { file, line, column, severity, ruleId, message } = v;
  return isString(file) && isNumber(line) && isNumber(column) && (severity === 'error' || severity === 'warning' || severity === 'info') && isString(ruleId) && Object.hasOwn(RULES, ruleId) && isString(message) && (v.note === undefined || isString(v.note)) && (v.range === undefined || isRange(v.range)) && (v.endLine === undefined || isNumber(v.endLine)) && (v.endColumn === undefined || isNumber(v.endColumn));
}

function respondentOf(v: unknown): Respondent | undefined {
  if (!isObject(v)) return undefined;
  const { file, id, label, attributes, date, language, speakers, redact, bodyOffset, positions, segmentCount } = v;
  if (!isString(file) || !isString(id) || !isString(label) || !isStringRecord(attributes) || (date !== undefined && !isString(date))) return undefined;
  if ((language !== 'fr' && language !== 'en') || !isObject(speakers) || !Object.values(speakers).every((r) => r === 'interviewer' || r === 'respondent' || r === 'other')) return undefined;
  if (!isStrings(redact) || !isNumber(bodyOffset) || !isNumber(segmentCount) || !Array.isArray(positions)) return undefined;
  const map = new Map<string, readonly [number, number]>();
  for (const p of positions) {
    if (!Array.isArray(p) || p.length !== 2 || !isString(p[0]) || !isRange(p[1])) return undefined;
    map.set(p[0], p[1]);
  }
  return { file, id, label, attributes, ...(date !== undefined ? { date } : {}), language, speakers: speakers as Respondent['speakers'], redact, bodyOffset, positions: map, segmentCount };
}

/** The file of a cached transcript, as the later rules see it. */
export function cachedFile(relative: string, entry: CachedTranscript): SourceFile {
  const file = new SourceFile(displayPath(relative), entry.head);
  append(file.messages, entry.messages);
  file.fatal = entry.fatal;
  return file;
}
