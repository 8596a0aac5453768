/**
 * The program as the bin runs it: the CLI (run.ts) on the process's streams,
 * with the commands that read the whole corpus in a worker thread
 * (worker-io.ts).
 */
import { nodeIo } from './io.js';
import { run } from './run.js';
import { runInWorker } from './worker-io.js';

export async function main(argv: readonly string[]): Promise<number> {
  const io = nodeIo();
  io.inWorker = (args) => runInWorker(args, io);
  return run(argv, io);
}
