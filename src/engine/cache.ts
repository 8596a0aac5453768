/**
 * The record cache (`.verbatim/cache/`): what the per-transcript stage left of
 * each transcript (its record, codings, diagnostics and facts), so that a run
 * after an edit re-codes only the transcripts that changed.
 *
 * An entry is keyed by the transcript's bytes and path, the texts of the
 * files that decide how it is coded and checked (verbatim.yaml, the codebook,
 * the panel), and the program itself (its version and the files it is made
 * of): a codebook edit re-codes everything, a new build too. One file per
 * transcript path, replaced when the key changes, so that the cache does not
 * grow. Entries are read defensively: one that does not parse, or whose
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
import { openAtomicFile, removeStaleTempFiles, writeFileSafely } from './write.js';

/** Where the cache lives, relative to the project. */
export const CACHE_FOLDER = '.verbatim/cache';
const FORMAT = 'verbatim-records/1';

/** What the stage left of one transcript. */
export interface CachedTranscript {
  /** The file as the later rules see it: its front matter (or nothing), its diagnostics, whether it is unusable. */
  head: string;
  fatal: boolean;
  messages: Diagnostic[];
  /** The record, when the transcript parsed. */
  record?: Respondent;
  codings: Coding[];
  facts?: CorpusFacts;
  /** The `redact` list of a transcript whose front matter did not parse. */
  redact: string[];
}

/** The cache of one run over a frame. */
export class RecordCache {
  readonly #dir: string;
  readonly #context: string;
  #swept = false;
  /** Entries read and written by this run, for the bench and tests. */
  readonly stats = { hits: 0, misses: 0 };

  constructor(frame: ProjectFrame) {
    this.#dir = path.join(frame.root, CACHE_FOLDER, 'transcripts');
    const h = createHash('sha256').update(`${FORMAT}\0${programFingerprint()}\0`);
    const plans = new Set(frame.plans.map((p) => p.file));
    // The files that decide how a transcript is coded and checked: configuration, codebook, panel (not the plans).
    for (const f of frame.files) if (!plans.has(f.path)) h.update(`${f.path}\0${f.fatal ? 1 : 0}\0${f.text}\0`);
    this.#context = h.digest('hex');
  }

  /** The key of a transcript's bytes in this context. */
  key(relative: string, bytes: Uint8Array): string {
    return createHash('sha256').update(this.#context).update(`\0${relative}\0`).update(bytes).digest('hex');
  }

  /** The entry for `relative` with this key, or undefined (none, another key, or not readable as one). */
  get(relative: string, key: string): CachedTranscript | undefined {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.#file(relative), 'utf8'));
    } catch {
      this.stats.misses++;
      return undefined;
    }
    const entry = fromJson(raw, relative, key);
    if (entry) this.stats.hits++;
    else this.stats.misses++;
    return entry;
  }

  /** Stores the entry (best effort: a cache that cannot be written is no error). */
  put(relative: string, key: string, entry: CachedTranscript): void {
    try {
      if (!this.#swept) {
        removeStaleTempFiles(this.#dir);
        this.#swept = true;
        // The cache ignores itself in git, in a project whose .gitignore does not list `.verbatim/` (as pytest's does).
        const ignore = path.join(this.#dir, '..', '.gitignore');
        if (!existsSync(ignore)) writeFileSafely(ignore, '# Verbatim\'s record cache: safe to delete, never to commit.\n*\n', { flush: false });
      }
      const out = openAtomicFile(this.#file(relative), { flush: false, sweep: false });
      out.write(JSON.stringify(toJson(entry, relative, key)));
      out.commit();
    } catch {
      // No cache this time: the next run codes the transcript again.
    }
  }

  #file(relative: string): string {
    return path.join(this.#dir, `${createHash('sha1').update(relative).digest('hex')}.json`);
  }
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

type CodingTuple = [segment: number, code: string, origin: 'auto' | 'manual', start: number, end: number, span: 0 | 1];

function toJson(e: CachedTranscript, relative: string, key: string): unknown {
  return {
    format: FORMAT,
    key,
    path: relative,
    head: e.head,
    fatal: e.fatal,
    messages: e.messages,
    record: e.record ? { ...e.record, positions: [...e.record.positions] } : null,
    codings: e.codings.map((c): CodingTuple => [c.segment, c.code, c.origin, c.start, c.end, c.span ? 1 : 0]),
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

/** The entry, when `raw` is one of this format, for this path and key, with every field of the right type. */
function fromJson(raw: unknown, relative: string, key: string): CachedTranscript | undefined {
  if (!isObject(raw) || raw.format !== FORMAT || raw.key !== key || raw.path !== relative) return undefined;
  const { head, fatal, messages, record, codings, facts, redact } = raw;
  if (!isString(head) || typeof fatal !== 'boolean' || !Array.isArray(messages) || !Array.isArray(codings) || !isStrings(redact)) return undefined;
  if (!messages.every(isDiagnostic)) return undefined;
  const out: CachedTranscript = { head, fatal, messages, codings: [], redact };
  if (record !== null) {
    const r = respondentOf(record);
    if (!r) return undefined;
    out.record = r;
    for (const c of codings) {
      if (!Array.isArray(c) || c.length !== 6) return undefined;
      const [segment, code, origin, start, end, span] = c as unknown[];
      if (!isNumber(segment) || !isString(code) || (origin !== 'auto' && origin !== 'manual') || !isNumber(start) || !isNumber(end) || (span !== 0 && span !== 1)) return undefined;
      out.codings.push({ transcript: r.id, segment, code, origin, start, end, span: span === 1 });
    }
  } else if (codings.length > 0) return undefined;
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
