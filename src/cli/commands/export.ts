/**
 * `verbatim export FORMAT`: the project in exchange formats (REFI-QDA, CSV,
 * IRaMuTeQ, JSON), written as the transcripts stream by (see
 * `exchange/export-writer.ts`, `cli/stream-coded.ts` and `cli/export-job.ts`):
 * memory holds one transcript, whatever the size of the corpus.
 *
 * The job runs in a worker thread whose heap is sized for it (a small young
 * generation, and an old one whose size keeps V8 from letting garbage grow
 * to several times what is alive), and sends the output here, where it is
 * written; without the compiled worker (the tests run the sources) it runs in
 * this thread.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadFrame } from '../../engine/load-project.js';
import { openAtomicFile, WriteError, type AtomicFile } from '../../engine/write.js';
import type { OriginFilter } from '../../exchange/export-common.js';
import { EXPORT_FORMATS, type ExportFormat } from '../../exchange/export-writer.js';
import type { OffsetUnit } from '../../exchange/offsets.js';
import { EXIT, UsageError, resolveIn, type Context, type ExitCode } from '../context.js';
import type { ExportJob, JobResult, JobSink } from '../export-job.js';
import { drainPipe, pipeMemory, textDecoder, type PipeOutput } from '../export-pipe.js';
import { Progress } from '../progress.js';
import { generatedTarget } from '../targets.js';

// The job's modules (the parser, the coder, the writers) are loaded where it runs: in the worker, or here without one.

export { EXPORT_FORMATS, type ExportFormat } from '../../exchange/export-writer.js';
const ORIGINS: readonly OriginFilter[] = ['all', 'manual', 'auto'];
const OFFSETS: readonly OffsetUnit[] = ['code-points', 'utf16'];

/** The options of `verbatim export`, as commander gives them. */
export interface ExportOptions {
  output?: string;
  origin?: string;
  matrix?: boolean;
  codes?: boolean;
  offsets?: string;
  force?: boolean;
  json?: boolean;
}

/** What `--json` prints after writing a file. */
export interface ExportSummary {
  format: ExportFormat;
  file: string;
  bytes: number;
  transcripts: number;
  codes: number;
  codings?: number;
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** On stdout, an export smaller than this is printed only once it is known to show no redacted string. */
const HOLD = 64 * 1024;

/**
 * Where an export goes: the atomic file of `-o` (nothing appears at the
 * target until {@link commit}), or stdout. After a write fails, nothing more
 * is written and the failure waits to be thrown once the project's problems
 * are printed, as when the export was built before it was written.
 */
class Output implements JobSink, PipeOutput {
  private file: AtomicFile | undefined;
  private held: string[] | undefined;
  private heldSize = 0;
  private readonly decode = textDecoder();
  /** Bytes written (or printed). */
  written = 0;
  /** Something was printed on stdout. */
  printed = false;
  failure: WriteError | undefined;
  private readonly reading: Progress;
  private readonly exporting: Progress | undefined;

  constructor(
    private readonly ctx: Context,
    private readonly target: string | undefined,
    private readonly force: boolean,
  ) {
    this.reading = new Progress(ctx.io, 'Reading');
    // On stdout the progress line would mix with an export printed on a terminal.
    this.exporting = target ? new Progress(ctx.io, 'Exporting') : undefined;
    this.open();
  }

  private open(): void {
    this.held = this.target ? undefined : [];
    this.heldSize = 0;
    this.written = 0;
    if (!this.target) return;
    try {
      this.file = openAtomicFile(this.target, { replaceLink: this.force });
    } catch (error) {
      this.fail(error);
    }
  }

  get stopped(): boolean {
    return this.failure !== undefined;
  }

  /** A piece of the output from this thread. */
  write(chunk: string | Uint8Array): void {
    if (this.file || this.failure) return this.toFile(chunk);
    this.text(typeof chunk === 'string' ? chunk : this.decode(chunk));
  }

  /** Bytes from the worker's ring: written (or decoded) before this returns. */
  bytes(view: Uint8Array): void {
    if (this.file || this.failure) return this.toFile(view);
    this.text(this.decode(view));
  }

  private toFile(chunk: string | Uint8Array): void {
    if (this.failure || !this.file) return;
    try {
      this.file.write(chunk);
      this.written += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    } catch (error) {
      this.fail(error);
    }
  }

  private text(text: string): void {
    if (text === '') return;
    if (this.held) {
      this.held.push(text);
      this.heldSize += text.length;
      if (this.heldSize < HOLD) return;
      text = this.held.join('');
      this.held = undefined;
    }
    this.ctx.io.stdout(text);
    this.written += Buffer.byteLength(text);
    this.printed = true;
  }

  /** After printing: stdout has to take it before more is printed. */
  ready(): Promise<void> | undefined {
    return this.printed && !this.file ? this.ctx.io.stdoutDrained?.() : undefined;
  }

  progress(phase: 0 | 1, done: number, total: number): void {
    if (phase === 0) this.reading.update(done, total);
    else {
      this.reading.done();
      this.exporting?.update(done, total);
    }
  }

  private fail(error: unknown): void {
    if (!(error instanceof WriteError)) throw error;
    this.failure ??= error;
    this.discard();
  }

  /** Drops what is held and the file: the target stays as it was. */
  discard(): void {
    this.held = this.target ? undefined : [];
    this.file?.abort();
    this.file = undefined;
  }

  /** Starts again from nothing (nothing was printed). */
  restart(): void {
    this.discard();
    this.failure = undefined;
    this.open();
  }

  /** The end of the job: the progress lines are erased. */
  done(): void {
    this.reading.done();
    this.exporting?.done();
  }

  /** Prints what is held, or flushes the file to the device and renames it over the target. */
  commit(): void {
    if (this.held && this.held.length > 0) {
      const text = this.held.join('');
      this.held = undefined;
      this.ctx.io.stdout(text);
      this.written += Buffer.byteLength(text);
      this.printed = true;
    }
    if (this.failure) throw this.failure;
    this.file?.commit();
  }
}

/** The compiled worker, when it exists (tests run the TypeScript sources, without it). */
function workerScript(): URL | undefined {
  const url = new URL('../export-worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

/**
 * The worker's old generation: 1 GB (V8 then grows the heap by less than
 * twice what is alive, not four times), more when a transcript is so large
 * that coding it may need it.
 */
function oldGeneration(root: string, paths: readonly string[]): number {
  let largest = 0;
  for (const p of paths) {
    try {
      largest = Math.max(largest, statSync(path.resolve(root, p)).size);
    } catch {
      // Unreadable: the job reports it.
    }
  }
  return Math.max(1024, Math.ceil((64 * largest) / 1048576));
}

/** A worker that ran out of the memory it was given. */
class OutOfMemory extends Error {}

/** Runs the job in a worker, writing its output to `out` as it comes. */
async function inWorker(script: URL, job: ExportJob, out: Output, oldMb: number): Promise<JobResult> {
  const memory = pipeMemory();
  const worker = new Worker(script, { workerData: { job, memory }, resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: oldMb } });
  let result: JobResult | undefined;
  let failure: Error | undefined;
  let exited = false;
  worker.on('message', (m: { result?: JobResult; error?: { name?: string; message: string; stack?: string } }) => {
    if (m.result) result = m.result;
    if (m.error) failure = Object.assign(new Error(m.error.message), { ...(m.error.stack ? { stack: m.error.stack } : {}) });
  });
  worker.on('error', (error: NodeJS.ErrnoException) => {
    failure ??= error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new OutOfMemory(error.message) : error;
  });
  worker.on('exit', () => {
    exited = true;
  });
  try {
    await drainPipe(memory, out, () => exited || result !== undefined || failure !== undefined);
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  if (failure) throw failure;
  if (!result) throw new Error('the export worker stopped without a result');
  return result;
}

/**
 * `verbatim export FORMAT`: checks the target, then streams the corpus
 * through the format's writer to `-o` (never over a file without `--force`;
 * written whole or not at all) or to stdout, every piece checked for
 * redacted strings before it is written; the project's problems are printed
 * at the end.
 */
export async function exportProject(format: string, options: ExportOptions, ctx: Context): Promise<ExitCode> {
  if (!EXPORT_FORMATS.includes(format as ExportFormat)) throw new UsageError(`Unknown export format \`${format}\`: use ${EXPORT_FORMATS.join(', ')}.`);
  const origin = (options.origin ?? 'all') as OriginFilter;
  if (!ORIGINS.includes(origin)) throw new UsageError(`--origin takes ${ORIGINS.join(', ')}.`);
  if (options.matrix && format !== 'csv') throw new UsageError('--matrix goes with `export csv`.');
  if (options.codes && format !== 'csv') throw new UsageError('--codes goes with `export csv`.');
  if (options.codes && options.matrix) throw new UsageError('--codes and --matrix are two different tables: choose one.');
  const offsets = (options.offsets ?? 'code-points') as OffsetUnit;
  if (!OFFSETS.includes(offsets)) throw new UsageError(`--offsets takes ${OFFSETS.join(' or ')}, not \`${options.offsets ?? ''}\`.`);
  if (options.offsets !== undefined && format !== 'qdpx') throw new UsageError('--offsets goes with `export qdpx` (csv and json count code points).');
  const fmt = format as ExportFormat;
  const output = options.output ?? (fmt === 'qdpx' ? `${path.basename(ctx.root) || 'project'}.qdpx` : undefined);
  const target = output === undefined ? undefined : resolveIn(ctx, output);

  const frame = loadFrame(ctx.root, ctx.codebook ? { codebook: ctx.codebook } : {});
  // Before any work: a project input, a link or a folder there is refused (exit 1), an existing file needs --force (exit 2).
  if (target && generatedTarget(frame, target, options.force === true).kind === 'file' && !options.force) throw new UsageError(`\`${output}\` exists: add --force to overwrite it.`);
  const job: ExportJob = {
    root: ctx.root,
    ...(ctx.codebook ? { codebook: ctx.codebook } : {}),
    format: fmt,
    origin,
    matrix: options.matrix === true,
    codes: options.codes === true,
    offsets,
    generator: `Verbatim ${version()}`,
    ...(target ? { output: target, shown: output } : {}),
  };
  const out = new Output(ctx, target, options.force === true);
  let result: JobResult;
  try {
    const script = workerScript();
    try {
      result = script ? await inWorker(script, job, out, oldGeneration(ctx.root, frame.transcriptPaths)) : (await import('../export-job.js')).runExportJob(job, out, frame);
    } catch (error) {
      // A worker that ran out of memory: once more in this thread, whose heap has no such limit (unless it printed already).
      if (!(error instanceof OutOfMemory) || out.printed) throw error;
      out.restart();
      result = (await import('../export-job.js')).runExportJob(job, out, frame);
    }
  } catch (error) {
    out.discard();
    throw error;
  } finally {
    out.done();
  }
  if (result.failure && !result.failure.late) {
    out.discard();
    ctx.io.stderr(`verbatim: ${result.failure.message}\n`);
    return EXIT.problems;
  }
  const hasErrors = (await import('../shared.js')).reportProblems(ctx, result.diagnostics);
  if (result.failure) {
    out.discard();
    ctx.io.stderr(`verbatim: ${result.failure.message}\n`);
    return EXIT.problems;
  }
  // The last line of defence: nothing redacted may leave, whatever the format.
  if (result.leaks > 0) {
    out.discard();
    const where = result.leaks > 1 ? ` in ${result.leaks} places` : '';
    const what = out.printed ? 'the output stops before it (what was printed is incomplete)' : 'nothing was written';
    ctx.io.stderr(`verbatim: the export would show a redacted string${where} (in an id or a name that is not masked); ${what}. Rename the transcript, code or attribute that contains it.\n`);
    return EXIT.problems;
  }
  if (result.scratchFailure) {
    out.discard();
    throw result.scratchFailure;
  }
  out.commit();
  if (!target) return hasErrors ? EXIT.problems : EXIT.ok;
  const summary: ExportSummary = {
    format: fmt,
    file: path.relative(ctx.io.cwd, target) || target,
    bytes: out.written,
    transcripts: result.transcripts,
    codes: result.codes,
    ...(result.codings !== undefined ? { codings: result.codings } : {}),
  };
  if (options.json) ctx.io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
  else {
    const what = fmt === 'qdc' || options.codes ? `${summary.codes} codes` : `${summary.transcripts} transcripts, ${summary.codes} codes${summary.codings !== undefined ? `, ${summary.codings} codings` : ''}`;
    ctx.io.stdout(`wrote ${summary.file} (${what})\n`);
  }
  return hasErrors ? EXIT.problems : EXIT.ok;
}
