/**
 * `verbatim tag [ids…]`: run the auto-coding and show, per interview, what
 * was coded (`--explain`: why), or every coding as JSON. Streams over the
 * corpus: memory stays flat on corpora of any size.
 */
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { reportMatcherProblems } from '../../check/check-project.js';
import { append, maxOf } from '../../core/arrays.js';
import { compareDiagnostics, type Diagnostic } from '../../core/diagnostic.js';
import { detach } from '../../core/location.js';
import { createRedactor } from '../../core/redact.js';
import { masked, withSetting } from '../../engine/diagnostics.js';
import { corpusRedactions, loadFrame } from '../../engine/load-project.js';
import { matcherCache } from '../../engine/matchers.js';
import { stylish } from '../../formatters/index.js';
import { diagnosticsFromHere, EXIT, UsageError, type Context, type ExitCode } from '../context.js';
import { parseWhole } from '../numbers.js';
import { Progress } from '../progress.js';
import { transcriptIdsOf } from '../shared.js';
import { summaryLine, tagBatch, type BatchOptions, type BatchResult, type TagMode } from './tag-batch.js';

export type { CodingJson } from './tag-batch.js';

export interface TagOptions {
  explain?: boolean;
  json?: boolean;
  workers?: string;
}

export async function tag(ids: string[], options: TagOptions, ctx: Context): Promise<ExitCode> {
  const frame = loadFrame(ctx.root, ctx.codebook ? { codebook: ctx.codebook } : {});
  const only = transcriptIdsOf(ctx, frame, ids);
  // Keywords and patterns that cannot be used are errors here too, not silently skipped.
  const codebookFile = frame.codebook ? frame.files.find((f) => f.path === frame.codebook?.file) : undefined;
  const matcher = matcherCache(frame)(frame.codebook?.language ?? frame.config.language);
  if (frame.codebook && codebookFile && matcher) reportMatcherProblems(frame.codebook, codebookFile, matcher);
  const problems: Diagnostic[] = [];
  for (const file of frame.files) {
    for (const d of file.messages) {
      const shown = withSetting(d, frame.config.rules);
      if (shown?.severity === 'error') problems.push(shown);
    }
  }
  const mode: TagMode = options.json ? 'json' : options.explain ? 'explain' : 'summary';
  const total = frame.transcriptPaths.length;
  const idWidth = maxOf(frame.transcriptPaths.map((p) => p.replace(/^.*\//, '').replace(/\.md$/, '').length), 10);
  // Text is printed in json and explain modes, and diagnostics in every mode: mask there what any transcript redacts (read from the front matters only).
  let redactions: string[] | undefined;
  const corpusSecrets = (): string[] => (redactions ??= corpusRedactions(frame));
  const batchOptions: BatchOptions = { mode, only, idWidth, ...(mode === 'summary' ? {} : { redact: corpusSecrets() }) };
  let sizes: number[] | undefined;
  const sizesOnce = (): number[] => (sizes ??= sizesOf(ctx.root, frame.transcriptPaths));
  const workers = workerCount(options.workers, mode, sizesOnce);
  const out = ctx.io.stdout;
  const progress = new Progress(ctx.io, 'Coding');
  const totals = { transcripts: 0, segments: 0, coded: 0, auto: 0, manual: 0 };
  const seen = new Map<string, string>();
  let firstJson = true;
  if (mode === 'json') out('[');
  else if (mode === 'summary') out(summaryLine('transcript', idWidth, 'segments', 'coded', 'auto', 'manual', 'most frequent codes'));
  const write = (r: BatchResult): void => {
    totals.transcripts += r.transcripts;
    totals.segments += r.segments;
    totals.coded += r.coded;
    totals.auto += r.auto;
    totals.manual += r.manual;
    append(problems, r.problems);
    for (const t of r.ids) {
      const other = seen.get(t.id);
      if (other !== undefined) {
        const d = withSetting({ file: t.file, line: t.line, column: t.column, severity: 'error', ruleId: 'duplicate-transcript-id', message: `Transcript id \`${t.id}\` is already used by \`${other}\`; give each interview its own \`id\`.` }, frame.config.rules);
        if (d?.severity === 'error') problems.push(d);
      } else seen.set(detach(t.id), t.file);
    }
    if (r.text === '') return;
    if (mode === 'json') {
      out(`${firstJson ? '\n' : ',\n'}${r.text}`);
      firstJson = false;
    } else out(r.text);
  };
  const batches = workers <= 1 ? frame.transcriptPaths.map((_, i): [number, number] => [i, i + 1]) : batchBySize(sizesOnce());
  if (workers <= 1) {
    batches.forEach(([from, to]) => {
      write(tagBatch(frame, from, to, batchOptions));
      progress.update(to, total);
    });
  } else {
    await inWorkers(ctx, workers, batches, batchOptions, (r, to) => {
      write(r);
      progress.update(to, total);
    });
  }
  progress.done();
  if (mode === 'json') out(firstJson ? ']\n' : '\n]\n');
  else if (mode === 'summary') {
    out(summaryLine('total', idWidth, totals.segments, totals.coded, totals.auto, totals.manual, `${totals.transcripts} transcript${totals.transcripts === 1 ? '' : 's'}`));
  }
  if (problems.length > 0) {
    const redactor = createRedactor([...frame.redact, ...corpusSecrets()]);
    ctx.io.stderr(stylish(diagnosticsFromHere(ctx, problems.map((d) => masked(d, redactor))).sort(compareDiagnostics), { color: ctx.colorErr }));
    return EXIT.problems;
  }
  return EXIT.ok;
}

/** Bytes of transcripts per batch: small enough to keep memory flat, large enough to keep workers busy. */
const BATCH_BYTES = 512 * 1024;

/** The size of each transcript in bytes (1 when it cannot be read: the parser reports it). */
function sizesOf(root: string, paths: readonly string[]): number[] {
  return paths.map((p) => {
    try {
      return statSync(path.resolve(root, p)).size;
    } catch {
      return 1;
    }
  });
}

/** Consecutive transcripts grouped into batches of about {@link BATCH_BYTES}. */
function batchBySize(sizes: readonly number[]): [number, number][] {
  const batches: [number, number][] = [];
  let from = 0;
  let bytes = 0;
  sizes.forEach((size, i) => {
    bytes += size;
    if (bytes >= BATCH_BYTES) {
      batches.push([from, i + 1]);
      from = i + 1;
      bytes = 0;
    }
  });
  if (from < sizes.length) batches.push([from, sizes.length]);
  return batches;
}

/**
 * Below this many bytes of transcripts, threads cost more than they save: each
 * worker starts its own program, codebook, matcher and stem cache (about
 * 0.7 s of CPU). The summary runs at 25 to 30 MB/s on one thread, JSON and
 * `--explain` at about 10 MB/s.
 */
const MIN_BYTES_FOR_WORKERS: Record<TagMode, number> = { summary: 256 * 1024 * 1024, explain: 32 * 1024 * 1024, json: 32 * 1024 * 1024 };

/** `--workers`: a number, or `auto` (one per core, at most 4, when the corpus is large enough to gain from them). */
function workerCount(option: string | undefined, mode: TagMode, sizes: () => readonly number[]): number {
  if (option === undefined || option === 'auto') {
    if (availableParallelism() < 2 || !workerScript()) return 1;
    let total = 0;
    for (const size of sizes()) total += size;
    if (total < MIN_BYTES_FOR_WORKERS[mode]) return 1;
    return Math.min(4, availableParallelism());
  }
  const n = parseWhole(option, '--workers', { fallback: 1, min: 1, max: 64, hint: 'or `auto`' });
  if (n > 1 && !workerScript()) throw new UsageError('--workers needs the compiled program (`npm run build`).');
  return n;
}

/** The compiled worker script, when it exists (tests run the TypeScript sources, without it). */
function workerScript(): URL | undefined {
  const url = new URL('../tag-worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

/**
 * Runs the batches in worker threads, handing each worker the next batch when
 * it is free, and passes results on in batch order (at most two batches per
 * worker are in flight, so memory stays bounded).
 */
async function inWorkers(ctx: Context, count: number, batches: readonly [number, number][], options: BatchOptions, onResult: (r: BatchResult, to: number) => void): Promise<void> {
  const script = workerScript() as URL;
  const done = new Map<number, BatchResult>();
  let nextToSend = 0;
  let nextToWrite = 0;
  await new Promise<void>((resolve, reject) => {
    const workers: Worker[] = [];
    const flush = (): void => {
      while (done.has(nextToWrite)) {
        const r = done.get(nextToWrite) as BatchResult;
        done.delete(nextToWrite);
        onResult(r, (batches[nextToWrite] as [number, number])[1]);
        nextToWrite++;
      }
      if (nextToWrite === batches.length) {
        for (const w of workers) void w.terminate();
        resolve();
      }
    };
    const feed = (w: Worker): void => {
      // Do not run too far ahead of the writer: results wait in memory until written.
      if (nextToSend < batches.length && nextToSend - nextToWrite < count * 2) {
        const [from, to] = batches[nextToSend] as [number, number];
        w.postMessage({ index: nextToSend, from, to });
        nextToSend++;
      } else if (nextToSend < batches.length) {
        setTimeout(() => feed(w), 5);
      }
    };
    for (let i = 0; i < count; i++) {
      // A small young generation: each worker allocates little that lives, and memory must stay flat.
      const w = new Worker(script, { workerData: { root: ctx.root, ...(ctx.codebook ? { codebook: ctx.codebook } : {}), options }, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
      workers.push(w);
      w.on('message', (m: { ready?: boolean; index?: number; result?: BatchResult }) => {
        // An exception here would escape the promise: stop the workers and fail the command instead.
        try {
          if (m.result !== undefined && m.index !== undefined) {
            done.set(m.index, m.result);
            flush();
          }
          feed(w);
        } catch (error) {
          for (const x of workers) void x.terminate();
          reject(error);
        }
      });
      w.on('error', (error) => {
        for (const x of workers) void x.terminate();
        reject(error);
      });
    }
    if (batches.length === 0) resolve();
  });
}
