/**
 * Writing the files of an import so that it is complete or absent: an import
 * cut short (killed, a full disk) never leaves a project that looks complete.
 *
 * - Into a new folder, every file is written into a hidden staging folder
 *   beside it (`.<name>.verbatim-import-<pid>`), which is renamed to the
 *   target in one step when every file is there. A failure removes it; one
 *   left by a killed process is removed by the next import into the target.
 * - Into a folder that exists, a marker ({@link IMPORT_MARKER}) listing the
 *   files is written first and removed after the last file; every command
 *   that loads the project reports it (`incomplete-import`) while it is there.
 *
 * Each file goes through {@link writeFileSafely}: this module only renames
 * the staging folder, whose files the writer has written whole.
 */
import { lstatSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { kill, pid } from 'node:process';
import { IMPORT_MARKER, importMarkerText, plural, type ImportedFile } from '../exchange/import-common.js';
import { writeFileSafely } from './write.js';

/** The status of a path (of a link itself, with `link`), or undefined when nothing is there. */
export function statusOf(p: string, link = false): Stats | undefined {
  try {
    return link ? lstatSync(p) : statSync(p);
  } catch {
    return undefined;
  }
}

/** An error's message for the one-line report, with a staging folder's path replaced by the target's. */
function reason(error: unknown, staging?: string, target?: string): string {
  const message = error instanceof Error ? error.message : String(error);
  return (staging && target ? message.split(staging).join(target) : message).replace(/\.$/, '');
}

/**
 * Writes the files into `root` under the marker: the marker first, listing
 * them, then the files, then the marker is removed. Throws, with how many
 * files were written, when a write fails; the marker is then left, unless
 * nothing at all changed.
 */
function writeUnderMarker(root: string, files: readonly ImportedFile[], source: string): void {
  const marker = path.join(root, IMPORT_MARKER);
  const hadMarker = statusOf(marker, true) !== undefined;
  const hadFolder = statusOf(path.dirname(marker), true) !== undefined;
  const removeMarker = (): void => {
    rmSync(marker, { force: true });
    // The `.verbatim` folder made for the marker alone goes with it (a folder the user keeps things in stays).
    if (hadFolder) return;
    try {
      rmdirSync(path.dirname(marker));
    } catch {
      // Not empty: something else was put there meanwhile; it stays.
    }
  };
  writeFileSafely(marker, importMarkerText({ source, files: files.map((f) => f.path) }));
  let written = 0;
  try {
    for (const f of files) {
      writeFileSafely(path.join(root, f.path), f.content);
      written++;
    }
  } catch (error) {
    // The first write failed and left its file as it was: nothing to warn about, unless an earlier import left the marker.
    if (written === 0 && !hadMarker) removeMarker();
    throw Object.assign(new Error(reason(error)), { written });
  }
  removeMarker();
}

/** Into a folder that exists: under the marker. Returns the message of a failure. */
function writeIntoFolder(files: readonly ImportedFile[], target: string, source: string): string | undefined {
  try {
    writeUnderMarker(target, files, source);
    return undefined;
  } catch (error) {
    const written = (error as { written?: number }).written ?? 0;
    if (written === 0 && statusOf(path.join(target, IMPORT_MARKER), true) === undefined) return `${reason(error)}; nothing was written`;
    return `${reason(error)}. The import is incomplete (${written} of ${plural(files.length, 'file')} written): \`verbatim check\` reports it until you import again with --force, or delete \`${IMPORT_MARKER}\` once you have checked the files it lists`;
  }
}

/** The staging folders of imports into `target` are named `.<target name>.verbatim-import-<pid>`, beside it. */
const STAGING = /^\.(.+)\.verbatim-import-(\d+)$/;

function stagingFolder(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.verbatim-import-${pid}`);
}

function processIsAlive(id: number): boolean {
  try {
    kill(id, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, and belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the staging folders that earlier imports into `target` left when
 * they were killed: those whose process is gone. One named after this very
 * process is a leftover too (process ids are reused, in containers often).
 */
function removeStaleStaging(target: string): void {
  let names: string[];
  try {
    names = readdirSync(path.dirname(target));
  } catch {
    return;
  }
  for (const name of names) {
    const m = STAGING.exec(name);
    if (!m || m[1] !== path.basename(target)) continue;
    const owner = Number(m[2]);
    if (owner === pid || !processIsAlive(owner)) rmSync(path.join(path.dirname(target), name), { recursive: true, force: true });
  }
}

/**
 * Into a new folder: every file is written into the staging folder (under a
 * marker there too, so that even the staging folder never checks clean when
 * incomplete), which is then renamed to the target in one step. Returns the
 * message of a failure, after removing the staging folder: the target is
 * never created half-written.
 */
function writeNewFolder(files: readonly ImportedFile[], target: string, source: string): string | undefined {
  removeStaleStaging(target);
  const staging = stagingFolder(target);
  try {
    mkdirSync(path.dirname(target), { recursive: true });
    mkdirSync(staging);
    writeUnderMarker(staging, files, source);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    return `${reason(error, staging, target)}; nothing was written`;
  }
  try {
    renameSync(staging, target);
    return undefined;
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return `\`${path.basename(target)}\` appeared during the import (made by another program); nothing was written. Import again`;
    return `${reason(error, staging, target)}; nothing was written`;
  }
}

/**
 * Writes an import's files into `target` (paths relative to it): staged when
 * the folder does not exist yet, under the marker when it does. `source` is
 * the imported file, for the marker. Returns the one-line reason of a
 * failure (without a final period), or undefined when every file is written.
 */
export function writeImport(files: readonly ImportedFile[], target: string, source: string): string | undefined {
  return statusOf(target) ? writeIntoFolder(files, target, source) : writeNewFolder(files, target, source);
}
