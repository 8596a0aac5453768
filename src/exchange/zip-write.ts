/**
 * Writing zip archives a piece at a time, in the layout of fflate's
 * `zipSync` (which Verbatim used before it streamed; a test compares the
 * bytes): each entry's local header with its CRC-32 and sizes (no data
 * descriptor), its data deflated by fflate at level 6 (pure JavaScript, so
 * the bytes are the same on every machine), a fixed date, then the central
 * directory. An entry given whole is deflated as `zipSync` deflates it; an
 * entry given in pieces ({@link ZipWriter.stream}) is deflated as a stream
 * into scratch storage, then written after its header.
 *
 * More than 65,535 entries get the Zip64 end records, which every reader
 * takes (zipSync wrote a wrong count); an archive or an entry of 4 GB or more
 * is refused.
 */
import { Deflate, deflateSync } from 'fflate';
import { createRequire } from 'node:module';
import type * as Zlib from 'node:zlib';
import type { Scratch } from './export-writer.js';

/** node:zlib (for its CRC-32), loaded on first use. */
let loaded: typeof Zlib | undefined;
function crc32(data: Uint8Array, value = 0): number {
  loaded ??= createRequire(import.meta.url)('node:zlib') as typeof Zlib;
  return loaded.crc32(data, value);
}

/** A fixed date for zip entries (local time, so that the bytes do not depend on the time zone). */
export const ZIP_DATE = new Date(2000, 0, 1, 0, 0, 0);

/** Why an archive cannot be written (a user-facing message). */
export class ZipLimitError extends Error {}

const LIMIT = 0xffffffff;

interface Entry {
  name: Uint8Array;
  /** The name is not ASCII: flagged as UTF-8. */
  utf8: boolean;
  crc: number;
  size: number;
  compressed: number;
  offset: number;
}

/** An entry being written in pieces. */
export interface ZipStream {
  write(data: Uint8Array): void;
  /** Writes the entry into the archive. */
  close(): void;
}

/** Pieces are deflated in blocks of this size (fflate's own), so that the bytes do not depend on how the text was cut. */
const BLOCK = 64 * 1024;

/** Writes a zip archive to `out`, entry after entry. */
export class ZipWriter {
  private readonly entries: Entry[] = [];
  private offset = 0;
  private readonly time: number;

  constructor(
    private readonly out: (chunk: Uint8Array) => void,
    date: Date = ZIP_DATE,
  ) {
    const y = date.getFullYear() - 1980;
    this.time = ((y << 25) | ((date.getMonth() + 1) << 21) | (date.getDate() << 16) | (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1)) >>> 0;
  }

  /** An entry given whole: deflated at level 6 in one go. */
  file(name: string, data: Uint8Array): void {
    const compressed = deflateSync(data, { level: 6 });
    this.entry(name, crc32(data), data.length, compressed.length, [compressed]);
  }

  /**
   * An entry given in pieces: deflated as they come into `scratch`, written
   * (header, then the deflated bytes read back) on `close`.
   */
  stream(name: string, scratch: Scratch): ZipStream {
    let crc = 0;
    let size = 0;
    const deflate = new Deflate({ level: 6 }, (chunk) => scratch.write(chunk));
    // fflate copies what it is given: the block is used again.
    const block = new Uint8Array(BLOCK);
    let filled = 0;
    const push = (final: boolean): void => {
      deflate.push(block.subarray(0, filled), final);
      filled = 0;
    };
    return {
      write: (data) => {
        crc = crc32(data, crc);
        size += data.length;
        for (let at = 0; at < data.length; ) {
          const n = Math.min(BLOCK - filled, data.length - at);
          block.set(data.subarray(at, at + n), filled);
          filled += n;
          at += n;
          if (filled === BLOCK) push(false);
        }
      },
      close: () => {
        push(true);
        const pieces = function* (): Generator<Uint8Array> {
          for (let at = 0; at < scratch.size; at += 16 * BLOCK) yield scratch.read(at, 16 * BLOCK);
        };
        this.entry(name, crc, size, scratch.size, pieces());
        scratch.dispose();
      },
    };
  }

  /** Writes an entry whose deflated bytes are `data`. */
  private entry(name: string, crc: number, size: number, compressed: number, data: Iterable<Uint8Array>): void {
    const encoded = new TextEncoder().encode(name);
    if (encoded.length > 0xffff) throw new ZipLimitError(`the entry name \`${name}\` is too long for a zip archive`);
    if (size > LIMIT || compressed > LIMIT || this.offset + 30 + encoded.length + compressed > LIMIT) throw new ZipLimitError('the archive would be 4 GB or more, which Verbatim does not write');
    const e: Entry = { name: encoded, utf8: encoded.length !== name.length, crc, size, compressed, offset: this.offset };
    this.entries.push(e);
    this.put(this.header(e, false));
    for (const d of data) this.put(d);
  }

  /** The central directory, its entries in `order` (default: as written), and the end records. */
  finish(order?: (a: string, b: string) => number): void {
    const decoder = new TextDecoder();
    const listed = order ? [...this.entries].sort((a, b) => order(decoder.decode(a.name), decoder.decode(b.name))) : this.entries;
    const start = this.offset;
    for (const e of listed) this.put(this.header(e, true));
    const size = this.offset - start;
    const count = listed.length;
    if (count > 0xffff) {
      // Zip64 end of central directory record and locator, then the classic record with its counts saturated.
      const end64 = new Uint8Array(56);
      const v = new DataView(end64.buffer);
      v.setUint32(0, 0x06064b50, true);
      v.setBigUint64(4, 44n, true);
      v.setUint16(12, 45, true);
      v.setUint16(14, 45, true);
      v.setBigUint64(24, BigInt(count), true);
      v.setBigUint64(32, BigInt(count), true);
      v.setBigUint64(40, BigInt(size), true);
      v.setBigUint64(48, BigInt(start), true);
      const at = this.offset;
      this.put(end64);
      const locator = new Uint8Array(20);
      const l = new DataView(locator.buffer);
      l.setUint32(0, 0x07064b50, true);
      l.setBigUint64(8, BigInt(at), true);
      l.setUint32(16, 1, true);
      this.put(locator);
    }
    const end = new Uint8Array(22);
    const d = new DataView(end.buffer);
    d.setUint32(0, 0x06054b50, true);
    d.setUint16(8, Math.min(count, 0xffff), true);
    d.setUint16(10, Math.min(count, 0xffff), true);
    d.setUint32(12, size, true);
    d.setUint32(16, start, true);
    this.put(end);
  }

  /** A local header, or the central directory's header of the entry. */
  private header(e: Entry, central: boolean): Uint8Array {
    const h = new Uint8Array((central ? 46 : 30) + e.name.length);
    const v = new DataView(h.buffer);
    let b = 0;
    v.setUint32(b, central ? 0x02014b50 : 0x04034b50, true);
    b += 4;
    if (central) {
      h[b++] = 20; // made by: version 2.0, MS-DOS
      h[b++] = 0;
    }
    h[b] = 20; // needed to extract: 2.0
    b += 2;
    h[b++] = 0; // flags: none…
    h[b++] = e.utf8 ? 8 : 0; // …but UTF-8 names
    v.setUint16(b, 8, true); // deflated
    b += 2;
    v.setUint32(b, this.time, true);
    b += 4;
    v.setUint32(b, e.crc >>> 0, true);
    v.setUint32(b + 4, e.compressed, true);
    v.setUint32(b + 8, e.size, true);
    v.setUint16(b + 12, e.name.length, true);
    b += 16; // the extra field's length stays 0
    if (central) {
      // Comment length, disk, internal and external attributes: 0; then the local header's offset.
      v.setUint32(b + 10, e.offset, true);
      b += 14;
    }
    h.set(e.name, b);
    return h;
  }

  private put(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.out(chunk);
    this.offset += chunk.length;
  }
}
