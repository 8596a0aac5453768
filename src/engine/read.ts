/** Reading project files from disk into SourceFiles (with tally.ts, the only places that decode bytes). */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { decode, loneCrAsLf } from '../core/decode.js';
import { SourceFile } from '../core/source-file.js';

/** Largest file Verbatim reads (a transcript of many megabytes is fine; a video is not). */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

/**
 * Reads a file relative to `root`. Encoding problems become diagnostics; a
 * refused file is returned empty and fatal, so the other files go on.
 */
export function readSourceFile(root: string, relative: string): SourceFile {
  const read = readFileBytes(root, relative);
  return read instanceof SourceFile ? read : decodeSourceFile(relative, read);
}

/** The bytes of a file relative to `root`, or the refused file (fatal, with its error) when it cannot be read. */
export function readFileBytes(root: string, relative: string): Uint8Array | SourceFile {
  const display = displayPath(relative);
  const absolute = path.resolve(root, relative);
  try {
    const size = statSync(absolute).size;
    if (size > MAX_FILE_BYTES) {
      const file = new SourceFile(display, '');
      file.fail('encoding', `The file is ${Math.round(size / 1048576)} MB; Verbatim reads files up to ${MAX_FILE_BYTES / 1048576} MB. Split it.`);
      return file;
    }
    return readFileSync(absolute);
  } catch (error) {
    const file = new SourceFile(display, '');
    file.fail('missing-file', `Cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
    return file;
  }
}

/** A file's path as messages show it: relative, `/`-separated. */
export function displayPath(relative: string): string {
  return relative.split(path.sep).join('/');
}

/** A file's bytes decoded (see `core/decode.ts`), its encoding problems as diagnostics. */
export function decodeSourceFile(relative: string, bytes: Uint8Array): SourceFile {
  const display = displayPath(relative);
  const decoded = decode(bytes);
  if (decoded.text === undefined) {
    // The text before the bad byte, only to point at its line; the file itself is refused.
    const file = new SourceFile(display, decoded.before ?? '');
    file.fail('encoding', decoded.problem?.message ?? 'The file is not UTF-8 text.', [file.text.length, file.text.length]);
    return file;
  }
  const text = loneCrAsLf(decoded.text.charCodeAt(0) === 0xfeff ? decoded.text.slice(1) : decoded.text);
  const file = new SourceFile(display, text);
  if (decoded.problem) {
    // Point at the line of the first non-UTF-8 byte: count the lines of the bytes before it.
    const before = new TextDecoder('windows-1252').decode(bytes.subarray(0, decoded.problem.offset));
    const at = Math.min(before.length, text.length);
    file.report('legacy-encoding', decoded.problem.message, [at, at]);
  }
  if (text.trim() === '') file.report('empty-file', 'The file is empty.');
  return file;
}

/** True when a path exists under root. */
export function exists(root: string, relative: string): boolean {
  return existsSync(path.resolve(root, relative));
}
