/**
 * The commands that read the whole corpus run in a worker thread whose young
 * generation is small: V8 then keeps a few megabytes of short-lived objects
 * instead of the 32 MB it gives the main thread's, the difference between a
 * peak over and under 150 MB on a 100 MB corpus. The command line is parsed
 * in the main thread (usage errors and `--help` never start a worker) and
 * again, whole, in the worker, which runs it with an {@link Io} whose stdout
 * and stderr are two rings of shared memory (export-pipe.ts): the main
 * thread empties them into the real streams, waiting for a slow reader, so
 * that nothing piles up in either heap. The worker's old generation may grow
 * as far as the main thread's could.
 */
import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { Io } from './io.js';
import { drainPipe, pipeMemory, type PipeMemory, type PipeOutput } from './export-pipe.js';

/** What the worker is given. */
export interface WorkerInput {
  argv: readonly string[];
  cwd: string;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  columns?: number;
  out: PipeMemory;
  err: PipeMemory;
}

/** The young generation of the worker, in MB: smaller costs time in more scavenges, larger costs memory. */
const YOUNG_MB = 8;

/** One of the process's streams as the end of a ring. */
class StreamOutput implements PipeOutput {
  private failed = false;

  constructor(private readonly stream: NodeJS.WriteStream) {
    stream.on('error', () => {
      this.failed = true;
    });
  }

  get stopped(): boolean {
    return this.failed;
  }

  bytes(view: Uint8Array): void {
    // A copy, outside the heap: the ring's bytes are overwritten once this returns, and a string of them would sit in the old generation until a full collection.
    if (!this.failed) this.stream.write(Buffer.from(view));
  }

  progress(): void {
    // The worker's progress line comes on its stderr, as text.
  }

  ready(): Promise<void> | undefined {
    return this.stream.writableNeedDrain && !this.failed ? new Promise((resolve) => this.stream.once('drain', () => resolve())) : undefined;
  }
}

/**
 * Runs the command line `argv` in a worker (command-worker.ts), its output
 * on this process's stdout and stderr, and returns its exit code.
 */
export async function runInWorker(argv: readonly string[], io: Io): Promise<number> {
  const input: WorkerInput = {
    argv,
    cwd: io.cwd,
    stdoutIsTTY: io.stdoutIsTTY,
    stderrIsTTY: io.stderrIsTTY,
    ...(io.columns ? { columns: io.columns } : {}),
    out: pipeMemory(),
    err: pipeMemory(),
  };
  const old = Math.ceil(getHeapStatistics().heap_size_limit / 1048576);
  const worker = new Worker(new URL('./command-worker.js', import.meta.url), { workerData: input, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB, maxOldGenerationSizeMb: old } });
  let code: number | undefined;
  let failure: Error | undefined;
  let exited = false;
  // Wakes the drains at once when the worker is done, rather than at their next poll.
  const wake = (): void => {
    for (const m of [input.out, input.err]) Atomics.notify(new BigInt64Array(m.control, 0, 2), 0);
  };
  worker.on('message', (m: { code?: number }) => {
    if (typeof m.code === 'number') code = m.code;
  });
  worker.on('error', (error) => {
    failure = error;
  });
  worker.on('exit', () => {
    exited = true;
    wake();
  });
  const done = (): boolean => exited;
  await Promise.all([drainPipe(input.out, new StreamOutput(process.stdout), done), drainPipe(input.err, new StreamOutput(process.stderr), done)]);
  if (code !== undefined) return code;
  const e = failure as NodeJS.ErrnoException | undefined;
  if (e?.code === 'ERR_WORKER_OUT_OF_MEMORY') io.stderr('verbatim: out of memory: the corpus is too large for this machine (it needs more than this machine gives one process).\n');
  else io.stderr(`verbatim: internal error: ${e?.message ?? 'the command stopped without an exit code'}\n`);
  return 2;
}
