/**
 * Every file Verbatim writes goes through here: written to a temporary file
 * and renamed (write-file-atomic), so an interrupted run leaves the previous
 * file intact.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/** Writes `content` to `file` atomically, creating its folder. */
export function writeFileSafely(file: string, content: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic.sync(file, typeof content === 'string' ? content : Buffer.from(content));
}
