/**
 * Reading zip archives (QDPX projects, Word documents) safely and in bounded
 * memory. The central directory is read first, without inflating anything:
 * entry names with absolute paths or `..` are refused, and the entries a
 * caller asks for are checked against the limits on their declared sizes,
 * one by one and in all, before any is inflated. Declared sizes can lie, so
 * each entry is then inflated with a cap at its declared size and checked
 * against its size and CRC-32: a lie is refused, never truncated silently.
 * Entries nobody asks for (the pictures, videos and original documents of a
 * project) are never inflated, so they cost nothing whatever their size.
 *
 * The archive is read through a {@link ZipSource}, so that the command can
 * read a large archive from its file a piece at a time (this module does no
 * I/O of its own).
 */
import { createRequire } from 'node:module';
import type * as Zlib from 'node:zlib';

/** node:zlib, loaded on first use (2 ms): every command loads this module, few read an archive. */
let loaded: typeof Zlib | undefined;
function zlib(): typeof Zlib {
  loaded ??= createRequire(import.meta.url)('node:zlib') as typeof Zlib;
  return loaded;
}

/** Random access to the bytes of an archive. */
export interface ZipSource {
  /** The archive's size in bytes. */
  readonly size: number;
  /** `length` bytes from `offset` (fewer at the end of the archive). */
  read(offset: number, length: number): Uint8Array;
}

/** A {@link ZipSource} over bytes in memory. */
export function bytesSource(bytes: Uint8Array): ZipSource {
  return { size: bytes.length, read: (offset, length) => bytes.subarray(offset, offset + length) };
}

/** Limits on what an archive may hold and on what is read from it. */
export interface ZipLimits {
  /** Entries listed in the central directory. */
  maxEntries: number;
  /** Uncompressed bytes of one entry read (default: no limit but the total). */
  maxEntryBytes?: number;
  /** Uncompressed bytes of all the entries read together. */
  maxTotalBytes: number;
}

const MB = 1024 * 1024;

/**
 * What `verbatim import` accepts from a `.qdpx`: 50,000 entries; the
 * `project.qde` and each text source up to 64 MB inflated (a text source of
 * a few tens of megabytes is already a very long transcript, and importing
 * one takes some ten times its size in memory), 256 MB for all of them.
 */
export const DEFAULT_ZIP_LIMITS: Required<ZipLimits> = { maxEntries: 50_000, maxEntryBytes: 64 * MB, maxTotalBytes: 256 * MB };

/** One entry of the central directory. */
export interface ZipEntry {
  /** The name, `/`-separated. */
  name: string;
  /** 0: stored; 8: deflated. */
  method: number;
  compressedSize: number;
  /** The uncompressed size the archive declares. */
  size: number;
  crc: number;
  /** Where the entry's local header starts. */
  headerOffset: number;
  encrypted: boolean;
  /** A folder, or a symbolic link (stored as the text of its target): never a file to read. */
  special: boolean;
}

/** Why an archive is refused; `limit` when it is over one of the {@link ZipLimits}, not damaged. */
export interface ZipRefusal {
  ok: false;
  message: string;
  limit?: true;
}

/** An archive's listing, or why it is refused. */
export type ZipListing = { ok: true; entries: ZipEntry[] } | ZipRefusal;

/** Entries read, by name, or why they could not be. */
export type ZipResult = { ok: true; files: Map<string, Uint8Array> } | ZipRefusal;

/** The central directory may not be larger than this (about 200 bytes an entry). */
const MAX_DIRECTORY_BYTES = 32 * MB;

/** True for a name that would escape the folder it is extracted to. */
export function unsafeEntryName(name: string): boolean {
  const n = name.replace(/\\/g, '/');
  if (n.startsWith('/') || /^[A-Za-z]:/.test(n) || n.includes('\u0000')) return true;
  return n.split('/').some((part) => part === '..');
}

/** `12 MB`, rounded up so that a size just over a limit never reads as the limit. */
export function megabytes(bytes: number): string {
  return `${Math.ceil(bytes / MB)} MB`;
}

/** A refusal found deep in the reading; `limit` as in {@link ZipRefusal}. */
class Damaged extends Error {
  constructor(
    message: string,
    readonly limit = false,
  ) {
    super(message);
  }
}

function refusal(error: Damaged): ZipRefusal {
  return { ok: false, message: error.message, ...(error.limit ? { limit: true as const } : {}) };
}

const u16 = (b: Uint8Array, at: number): number => (b[at] as number) | ((b[at + 1] as number) << 8);
const u32 = (b: Uint8Array, at: number): number => (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;
const u64 = (b: Uint8Array, at: number): number => u32(b, at) + u32(b, at + 4) * 0x1_0000_0000;

function readExactly(source: ZipSource, offset: number, length: number): Uint8Array {
  if (offset < 0 || length < 0 || offset + length > source.size) throw new Damaged('the archive is damaged (it is truncated)');
  const bytes = source.read(offset, length);
  if (bytes.length !== length) throw new Damaged('the archive is damaged (it is truncated)');
  return bytes;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

function entryName(bytes: Uint8Array): string {
  // Most tools write UTF-8 names, with or without the flag that says so; the others, code page 437 (read as Latin-1).
  let name: string;
  try {
    name = utf8.decode(bytes);
  } catch {
    name = latin1.decode(bytes);
  }
  return name.replace(/\\/g, '/');
}

/** Lists the entries of the central directory, or says why the archive is refused. Inflates nothing. */
export function listZip(source: ZipSource, limits: Pick<ZipLimits, 'maxEntries'> = DEFAULT_ZIP_LIMITS): ZipListing {
  try {
    return { ok: true, entries: listEntries(source, limits.maxEntries) };
  } catch (error) {
    if (error instanceof Damaged) return refusal(error);
    throw error;
  }
}

function listEntries(source: ZipSource, maxEntries: number): ZipEntry[] {
  const head = source.read(0, 4);
  if (source.size < 22 || head[0] !== 0x50 || head[1] !== 0x4b) throw new Damaged('this is not a zip archive');
  // The end-of-central-directory record: in the last 22 bytes, or before a comment of up to 64 KB.
  const tailLength = Math.min(source.size, 22 + 0xffff + 20);
  const tailStart = source.size - tailLength;
  const tail = readExactly(source, tailStart, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (u32(tail, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Damaged('the archive is damaged (no central directory)');
  let count = u16(tail, eocd + 10);
  let directorySize = u32(tail, eocd + 12);
  let directoryOffset = u32(tail, eocd + 16);
  // Zip64: the locator just before the record points at the 64-bit record.
  if (eocd >= 20 && u32(tail, eocd - 20) === 0x07064b50) {
    const at = u64(tail, eocd - 12);
    const record = readExactly(source, at, 56);
    if (u32(record, 0) !== 0x06064b50) throw new Damaged('the archive is damaged (bad Zip64 record)');
    count = u64(record, 32);
    directorySize = u64(record, 40);
    directoryOffset = u64(record, 48);
  }
  if (count > maxEntries) throw new Damaged(`it has more than ${maxEntries.toLocaleString('en-US')} entries`, true);
  if (directorySize > MAX_DIRECTORY_BYTES) throw new Damaged(`its list of entries is larger than ${megabytes(MAX_DIRECTORY_BYTES)}`, true);
  const directory = readExactly(source, directoryOffset, directorySize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > directory.length || u32(directory, p) !== 0x02014b50) throw new Damaged('the archive is damaged (bad central directory)');
    const madeBy = u16(directory, p + 4) >> 8;
    const flags = u16(directory, p + 8);
    const method = u16(directory, p + 10);
    const crc = u32(directory, p + 16);
    let compressedSize = u32(directory, p + 20);
    let size = u32(directory, p + 24);
    const nameLength = u16(directory, p + 28);
    const extraLength = u16(directory, p + 30);
    const commentLength = u16(directory, p + 32);
    const external = u32(directory, p + 38);
    let headerOffset = u32(directory, p + 42);
    const end = p + 46 + nameLength + extraLength + commentLength;
    if (end > directory.length) throw new Damaged('the archive is damaged (bad central directory)');
    const name = entryName(directory.subarray(p + 46, p + 46 + nameLength));
    if (unsafeEntryName(name)) throw new Damaged(`the entry \`${name}\` has an absolute path or \`..\``);
    // Zip64 sizes: in the extra field 0x0001, in this order, for the fields that are 0xFFFFFFFF.
    for (let x = p + 46 + nameLength; x + 4 <= p + 46 + nameLength + extraLength; ) {
      const id = u16(directory, x);
      const length = u16(directory, x + 2);
      if (id === 0x0001) {
        let at = x + 4;
        const next = (): number => {
          if (at + 8 > x + 4 + length) throw new Damaged('the archive is damaged (bad Zip64 field)');
          const v = u64(directory, at);
          at += 8;
          return v;
        };
        if (size === 0xffffffff) size = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (headerOffset === 0xffffffff) headerOffset = next();
      }
      x += 4 + length;
    }
    // Unix permissions in the high half of the external attributes (made by Unix: 3, or macOS: 19).
    const unixType = madeBy === 3 || madeBy === 19 ? (external >>> 16) & 0o170000 : 0;
    const special = name.endsWith('/') || unixType === 0o040000 || unixType === 0o120000;
    entries.push({ name, method, compressedSize, size, crc, headerOffset, encrypted: (flags & 1) !== 0, special });
    p = end;
  }
  return entries;
}

/**
 * The first limit that files of these (uncompressed) sizes break, each and
 * all together with `alreadyRead` bytes read before; undefined when none.
 * `inflated`: the sizes are what entries of an archive would inflate to.
 */
export function checkSizes(files: readonly { name: string; size: number }[], limits: ZipLimits, alreadyRead = 0, inflated = true): ZipRefusal | undefined {
  let total = alreadyRead;
  for (const f of files) {
    if (limits.maxEntryBytes !== undefined && f.size > limits.maxEntryBytes) {
      return { ok: false, limit: true, message: `\`${f.name}\` ${inflated ? 'would inflate to' : 'is'} ${megabytes(f.size)}, more than the limit of ${megabytes(limits.maxEntryBytes)} per file` };
    }
    total += f.size;
    if (total > limits.maxTotalBytes) return { ok: false, limit: true, message: `${inflated ? 'it would inflate to' : 'the files to read are'} more than ${megabytes(limits.maxTotalBytes)}${inflated ? '' : ' in all'}` };
  }
  return undefined;
}

/**
 * Inflates `entries` of the archive, after checking their declared sizes
 * against the limits (see {@link checkSizes}); each is inflated no further
 * than its declared size and checked against it and its CRC-32.
 */
export function readEntries(source: ZipSource, entries: readonly ZipEntry[], limits: ZipLimits = DEFAULT_ZIP_LIMITS, alreadyRead = 0): ZipResult {
  const over = checkSizes(entries, limits, alreadyRead);
  if (over) return over;
  const files = new Map<string, Uint8Array>();
  try {
    for (const e of entries) files.set(e.name, inflateEntry(source, e));
  } catch (error) {
    if (error instanceof Damaged) return refusal(error);
    throw error;
  }
  return { ok: true, files };
}

function inflateEntry(source: ZipSource, e: ZipEntry): Uint8Array {
  if (e.encrypted) throw new Damaged(`\`${e.name}\` is encrypted`);
  if (e.method !== 0 && e.method !== 8) throw new Damaged(`\`${e.name}\` is compressed with a method Verbatim does not read (${e.method}); save the archive again with ordinary (deflate) compression`);
  // Deflate never makes data much larger (5 bytes per 64 KB block stored as is): a larger entry lies.
  if (e.compressedSize > e.size + Math.ceil(e.size / 16384) * 5 + 1024) throw new Damaged(`the archive is damaged (\`${e.name}\` is larger compressed than it can be)`);
  const header = readExactly(source, e.headerOffset, 30);
  if (u32(header, 0) !== 0x04034b50) throw new Damaged(`the archive is damaged (no header for \`${e.name}\`)`);
  const data = readExactly(source, e.headerOffset + 30 + u16(header, 26) + u16(header, 28), e.compressedSize);
  let out: Uint8Array;
  if (e.method === 0) out = data;
  else {
    try {
      // maxOutputLength stops the inflation as soon as the entry outgrows what it declares.
      out = zlib().inflateRawSync(data, { maxOutputLength: Math.max(1, e.size) });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') throw new Damaged(`\`${e.name}\` inflates to more than the ${e.size.toLocaleString('en-US')} bytes it declares`, true);
      throw new Damaged(`the archive is damaged (\`${e.name}\`: ${(error as Error).message})`);
    }
  }
  if (out.length !== e.size) throw new Damaged(`\`${e.name}\` inflates to ${out.length.toLocaleString('en-US')} bytes, not the ${e.size.toLocaleString('en-US')} it declares`);
  if (zlib().crc32(out) !== e.crc) throw new Damaged(`the archive is damaged (\`${e.name}\` does not match its checksum)`);
  return out;
}

/**
 * Lists an archive in memory and inflates the entries that `wanted` accepts
 * (every file by default), within the limits.
 */
export function readZip(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS, wanted: (name: string) => boolean = () => true): ZipResult {
  const source = bytesSource(bytes);
  const listing = listZip(source, limits);
  if (!listing.ok) return listing;
  return readEntries(
    source,
    listing.entries.filter((e) => !e.special && wanted(e.name)),
    limits,
  );
}
