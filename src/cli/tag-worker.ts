/**
 * A worker thread of `verbatim tag`: loads the project frame once, then codes
 * the batches the main thread hands it and sends back the formatted output.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadFrame } from '../engine/load-project.js';
import { tagBatch, type BatchOptions } from './commands/tag-batch.js';

interface Setup {
  root: string;
  codebook?: string;
  options: BatchOptions;
}

const setup = workerData as Setup;
const frame = loadFrame(setup.root, setup.codebook ? { codebook: setup.codebook } : {});
const port = parentPort;
port?.on('message', (batch: { index: number; from: number; to: number } | null) => {
  if (batch === null) {
    port.close();
    return;
  }
  port.postMessage({ index: batch.index, result: tagBatch(frame, batch.from, batch.to, setup.options) });
});
port?.postMessage({ ready: true });
