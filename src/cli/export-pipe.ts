/**
 * How the export worker hands its output to the command's thread: a ring of
 * shared memory that the worker fills (waiting when it is full) and the
 * command empties into the file or stdout. Nothing is copied into the
 * command's heap or piles up there: the command writes from the ring itself,
 * and the worker never runs more than the ring ahead of the disk.
 */
import { StringDecoder } from 'node:string_decoder';
import type { JobSink } from './export-job.js';

/** The size of the ring. */
const RING = 4 * 1024 * 1024;
/** Positions (BigInt64 indices): bytes written into the ring in all, bytes taken out in all. */
const HEAD = 0;
const TAIL = 1;
/** Flags (Int32 indices, after the positions): nothing more is wanted; the progress phase, done and total. */
const STOPPED = 4;
const PHASE = 5;
const DONE = 6;
const TOTAL = 7;

/** The shared memory of a pipe: control words and the ring. */
export interface PipeMemory {
  control: SharedArrayBuffer;
  ring: SharedArrayBuffer;
}

export function pipeMemory(): PipeMemory {
  return { control: new SharedArrayBuffer(64), ring: new SharedArrayBuffer(RING) };
}

/** The worker's end: a {@link JobSink} that writes into the ring. */
export class PipeWriter implements JobSink {
  private readonly positions: BigInt64Array;
  private readonly flags: Int32Array;
  private readonly ring: Uint8Array;
  private readonly encoder = new TextEncoder();
  /** Strings are encoded here, then copied into the ring. */
  private buffer = new Uint8Array(256 * 1024);

  constructor(memory: PipeMemory) {
    this.positions = new BigInt64Array(memory.control, 0, 2);
    this.flags = new Int32Array(memory.control, 16, 8);
    this.ring = new Uint8Array(memory.ring);
  }

  get stopped(): boolean {
    return Atomics.load(this.flags, STOPPED) === 1;
  }

  write(chunk: string | Uint8Array): void {
    if (typeof chunk !== 'string') return this.put(chunk);
    for (let read = 0; read < chunk.length; ) {
      const r = this.encoder.encodeInto(read === 0 ? chunk : chunk.slice(read), this.buffer);
      this.put(this.buffer.subarray(0, r.written));
      read += r.read;
      // A character too long for what is left of the buffer: room for it next time.
      if (r.read === 0) this.buffer = new Uint8Array(this.buffer.length * 2);
    }
  }

  progress(phase: 0 | 1, done: number, total: number): void {
    Atomics.store(this.flags, PHASE, phase);
    Atomics.store(this.flags, TOTAL, total);
    Atomics.store(this.flags, DONE, done);
  }

  private put(bytes: Uint8Array): void {
    let at = 0;
    while (at < bytes.length) {
      if (this.stopped) return;
      const head = Atomics.load(this.positions, HEAD);
      const tail = Atomics.load(this.positions, TAIL);
      const free = RING - Number(head - tail);
      if (free === 0) {
        Atomics.wait(this.positions, TAIL, tail, 1000);
        continue;
      }
      const start = Number(head % BigInt(RING));
      const n = Math.min(free, bytes.length - at, RING - start);
      this.ring.set(bytes.subarray(at, at + n), start);
      at += n;
      Atomics.store(this.positions, HEAD, head + BigInt(n));
      Atomics.notify(this.positions, HEAD);
    }
  }
}

/** What the command's end writes to. */
export interface PipeOutput {
  /** Bytes of the ring: to be written now (they are overwritten once this returns). */
  bytes(view: Uint8Array): void;
  /** True once nothing more is wanted (a write failed). */
  readonly stopped: boolean;
  progress(phase: 0 | 1, done: number, total: number): void;
  /** What to wait for before taking more (stdout to drain), if anything. */
  ready?(): Promise<void> | undefined;
}

/** The most the command takes from the ring at once (what it decodes for stdout). */
const PIECE = 256 * 1024;

/** The command's end: empties the ring into `out` until `finished()` says the worker is done and the ring is empty. */
export async function drainPipe(memory: PipeMemory, out: PipeOutput, finished: () => boolean): Promise<void> {
  const positions = new BigInt64Array(memory.control, 0, 2);
  const flags = new Int32Array(memory.control, 16, 8);
  const ring = new Uint8Array(memory.ring);
  let progress = '';
  for (;;) {
    const head = Atomics.load(positions, HEAD);
    const tail = Atomics.load(positions, TAIL);
    if (head > tail) {
      const start = Number(tail % BigInt(RING));
      const n = Math.min(Number(head - tail), RING - start, PIECE);
      out.bytes(ring.subarray(start, start + n));
      if (out.stopped) Atomics.store(flags, STOPPED, 1);
      Atomics.store(positions, TAIL, tail + BigInt(n));
      Atomics.notify(positions, TAIL);
      const ready = out.ready?.();
      if (ready) await ready;
      continue;
    }
    const now = `${Atomics.load(flags, PHASE)}:${Atomics.load(flags, DONE)}:${Atomics.load(flags, TOTAL)}`;
    if (now !== progress) {
      progress = now;
      out.progress(Atomics.load(flags, PHASE) as 0 | 1, Atomics.load(flags, DONE), Atomics.load(flags, TOTAL));
    }
    if (finished()) return;
    // Until the worker writes more, or a moment passes (its result and its exit come as events).
    const wait = (Atomics as unknown as { waitAsync(a: BigInt64Array, i: number, v: bigint, t: number): { async: boolean; value: Promise<unknown> | string } }).waitAsync(positions, HEAD, head, 50);
    if (wait.async) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([wait.value, new Promise((resolve) => (timer = setTimeout(resolve, 60)))]);
      clearTimeout(timer);
    }
  }
}

/** UTF-8 bytes as text, a piece at a time (a character cut between two pieces comes whole with the second). */
export function textDecoder(): (bytes: Uint8Array) => string {
  const decoder = new StringDecoder('utf8');
  return (bytes) => decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}
