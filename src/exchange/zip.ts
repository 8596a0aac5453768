/**
 * Reading a QDPX archive safely: entry names with absolute paths or `..` are
 * refused, and the number of entries and their declared uncompressed sizes
 * are capped before anything is inflated (zip bombs).
 */
import { createRequire } from 'node:module';
import type * as Fflate from 'fflate';
import type { UnzipFileInfo } from 'fflate';

/** fflate, loaded on first use: it costs about 25 ms and 8 MB to load, and most commands read no archive. */
let fflate: typeof Fflate | undefined;
function unzipSync(bytes: Uint8Array, options: Fflate.UnzipOptions): Fflate.Unzipped {
  fflate ??= createRequire(import.meta.url)('fflate') as typeof Fflate;
  return fflate.unzipSync(bytes, options);
}

/** Limits on what an archive may hold. */
export interface ZipLimits {
  maxEntries: number;
  /** Total uncompressed bytes. */
  maxTotalBytes: number;
}

/** What `verbatim import` accepts: 10,000 entries, 512 MB inflated. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 10_000, maxTotalBytes: 512 * 1024 * 1024 };

/** The entries of an archive, by normalised path (`/`-separated). */
export type ZipResult = { ok: true; files: Map<string, Uint8Array> } | { ok: false; message: string };

/** True for a name that would escape the folder it is extracted to. */
export function unsafeEntryName(name: string): boolean {
  const n = name.replace(/\\/g, '/');
  if (n.startsWith('/') || /^[A-Za-z]:/.test(n) || n.includes('\u0000')) return true;
  return n.split('/').some((part) => part === '..');
}

/** Lists and inflates the entries, or says why the archive is refused. */
export function readZip(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipResult {
  if (bytes.length < 22 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) return { ok: false, message: 'this is not a zip archive' };
  let problem: string | undefined;
  let count = 0;
  let total = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (info: UnzipFileInfo) => {
        if (problem) return false;
        count++;
        if (unsafeEntryName(info.name)) problem = `the entry \`${info.name}\` has an absolute path or \`..\``;
        else if (count > limits.maxEntries) problem = `it has more than ${limits.maxEntries} entries`;
        else {
          total += info.originalSize;
          if (total > limits.maxTotalBytes) problem = `it would inflate to more than ${Math.round(limits.maxTotalBytes / 1048576)} MB`;
        }
        return !problem && !info.name.endsWith('/');
      },
    });
  } catch (error) {
    return { ok: false, message: problem ?? `the archive is damaged (${(error as Error).message})` };
  }
  if (problem) return { ok: false, message: problem };
  // The declared sizes can lie; check what was really inflated.
  let real = 0;
  const out = new Map<string, Uint8Array>();
  for (const [name, data] of Object.entries(files)) {
    real += data.length;
    out.set(name.replace(/\\/g, '/'), data);
  }
  if (real > limits.maxTotalBytes) return { ok: false, message: `it inflates to more than ${Math.round(limits.maxTotalBytes / 1048576)} MB` };
  return { ok: true, files: out };
}
