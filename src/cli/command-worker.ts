/**
 * The worker thread of a command that reads the whole corpus (worker-io.ts):
 * runs the command line with its output in the two rings, then posts the
 * exit code.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PipeWriter } from './export-pipe.js';
import type { Io } from './io.js';
import { run } from './run.js';
import type { WorkerInput } from './worker-io.js';

const input = workerData as WorkerInput;
const out = new PipeWriter(input.out);
const err = new PipeWriter(input.err);
// Libraries that look at the streams themselves (cli-table3's colours) see the process's terminal, not the worker's pipes.
Object.assign(process.stdout, { isTTY: input.stdoutIsTTY, ...(input.columns ? { columns: input.columns } : {}) });
Object.assign(process.stderr, { isTTY: input.stderrIsTTY });
const io: Io = {
  stdout: (t) => out.write(t),
  stderr: (t) => err.write(t),
  cwd: input.cwd,
  env: process.env,
  stdoutIsTTY: input.stdoutIsTTY,
  stderrIsTTY: input.stderrIsTTY,
  ...(input.columns ? { columns: input.columns } : {}),
  // A full ring makes the writer wait: nothing to wait for here.
  stdoutDrained: () => Promise.resolve(),
};
parentPort?.postMessage({ code: await run(input.argv, io) });
