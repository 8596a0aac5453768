/**
 * Texts kept out of memory while a command runs: `verbatim report` streams
 * the corpus once, keeps each transcript's plain text here, and reads back
 * only the parts it quotes or weighs (a coded paragraph, a segment), code
 * after code. The heap then holds the records, never the corpus.
 *
 * The texts go to one scratch file of the writer (`openScratchFile`: hidden,
 * its owner's only, removed when done, and by the next run if a killed one
 * left it), as UTF-16, the code units of the strings, so that a part is read
 * back by its offsets, without decoding what comes before it.
 *
 * When the file cannot be made or written (no temporary folder, a full
 * disk), {@link SpillKeeper.failed} says so: what was written is gone, and
 * the command runs again with its texts in memory.
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TextKeeper } from '../report/quote-texts.js';
import { openScratchFile, type ScratchFile } from './write.js';

/** A {@link TextKeeper} over a scratch file; {@link close} when done. */
export class SpillKeeper implements TextKeeper {
  #file: ScratchFile | undefined;
  #failed = false;
  /** Handle → [offset in bytes, length in code units]. */
  readonly #where: [number, number][] = [];
  #last: { handle: number; text: string } | undefined;

  /** @param folder Where the scratch file goes (default: the system's temporary folder). */
  constructor(private readonly folder: string = tmpdir()) {}

  /** Whether a write failed: the texts are not all there (run again with a `MemoryKeeper`). */
  get failed(): boolean {
    return this.#failed;
  }

  keep(text: string): number {
    const handle = this.#where.length;
    if (this.#failed) {
      this.#where.push([0, 0]);
      return handle;
    }
    try {
      this.#file ??= openScratchFile(path.join(this.folder, 'verbatim-texts'));
      const offset = this.#file.size;
      this.#file.write(Buffer.from(text, 'utf16le'));
      this.#where.push([offset, text.length]);
    } catch {
      // (The scratch file removes itself when a write fails.)
      this.#failed = true;
      this.#file = undefined;
      this.#where.push([0, 0]);
    }
    return handle;
  }

  fetch(handle: number): string {
    if (this.#last?.handle === handle) return this.#last.text;
    const where = this.#whereOf(handle);
    const text = this.#read(where[0], where[1]);
    this.#last = { handle, text };
    return text;
  }

  fetchRange(handle: number, start: number, end: number): string {
    if (this.#last?.handle === handle) return this.#last.text.slice(start, end);
    const [offset, length] = this.#whereOf(handle);
    // Bounds clamped to the text (no negative ones from the end, which the picker never gives).
    const from = Math.min(Math.max(start, 0), length);
    const to = Math.min(Math.max(end, from), length);
    return this.#read(offset + 2 * from, to - from);
  }

  /** Removes the scratch file. */
  close(): void {
    this.#file?.remove();
    this.#file = undefined;
    this.#last = undefined;
  }

  #whereOf(handle: number): [number, number] {
    const where = this.#where[handle];
    if (where === undefined || this.#failed) throw new Error(`SpillKeeper: text ${handle} is not kept${this.#failed ? ' (a write of the scratch file failed)' : ''}`);
    return where;
  }

  /** `length` code units from `offset` (in bytes) of the file. */
  #read(offset: number, length: number): string {
    if (length === 0) return '';
    if (!this.#file) throw new Error('SpillKeeper: the scratch file is closed');
    const bytes = this.#file.read(offset, 2 * length);
    if (bytes.length !== 2 * length) throw new Error('SpillKeeper: the scratch file was cut short');
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf16le');
  }
}
