/**
 * The worker thread of `verbatim export` (see export-job.ts): runs the job,
 * its output going through the shared ring of export-pipe.ts, then sends the
 * result (or the error) to the command's thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runExportJob, type ExportJob } from './export-job.js';
import { PipeWriter, type PipeMemory } from './export-pipe.js';

const { job, memory } = workerData as { job: ExportJob; memory: PipeMemory };
if (parentPort) {
  try {
    parentPort.postMessage({ result: runExportJob(job, new PipeWriter(memory)) });
  } catch (error) {
    const e = error as Error;
    parentPort.postMessage({ error: { name: e?.name, message: e?.message ?? String(error), stack: e?.stack } });
  }
}
