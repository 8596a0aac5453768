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
 *   A single file needs no marker: its write is complete or absent by itself.
 *
 * Every file goes through {@link writeFileSafely}, and the folders through
 * the writer's own helpers: this module only decides the order.
 */
import { lstatSync, readdirSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { pid } from 'node:process';
import { IMPORT_MARKER, importMarkerText, plural, type ImportedFile } from '../exchange/import-common.js';
import { isRunning, makeFolders, makeNewFolder, moveIntoPlace, removeEmptyFolder, removeOwn, WriteError, writeFileSafely, type WriteOptions } from './write.js';

/** The status of a path (of a link itself, with `link`), or undefined when nothing is there. */
export function statusOf(p: string, link = false): Stats | undefined {
  try {
    return link ? lstatSync(p) : statSync(p);
  } catch {
    return undefined;
  }
}

/** How a path is shown in a message (relative to the current folder, say). */
export type ShowPath = (absolute: string) => string;

/**
 * An error's message for the one-line report: a {@link WriteError} as
 * `cannot write <file>: <cause>`, with a staging folder's path replaced by the
 * target's (the user never sees the staging folder).
 */
function reason(error: unknown, show: ShowPath, staging?: string, target?: string): string {
  const unstaged = (p: string): string => (staging && target && p.startsWith(staging) ? target + p.slice(staging.length) : p);
  if (error instanceof WriteError) return `cannot write ${show(unstaged(error.file))}: ${error.reason}`;
  const message = error instanceof Error ? error.message : String(error);
  return (staging && target ? message.split(staging).join(target) : message).replace(/\.$/, '');
}

/** A write that failed after `written` files. */
class PartialWrite extends Error {
  constructor(
    readonly failure: unknown,
    readonly written: number,
  ) {
    super('partial write');
  }
}

/**
 * Writes the files into `root`: with more than one file, under the marker
 * (the marker first, listing them, then the files, then the marker is
 * removed). Throws a {@link PartialWrite} when a write fails; the marker is
 * then left, unless nothing at all changed.
 */
function writeUnderMarker(root: string, files: readonly ImportedFile[], source: string, options: WriteOptions = {}): void {
  const marker = path.join(root, IMPORT_MARKER);
  const useMarker = files.length > 1;
  const hadMarker = statusOf(marker, true) !== undefined;
  const hadFolder = statusOf(path.dirname(marker), true) !== undefined;
  const removeMarker = (): void => {
    if (!useMarker) return;
    removeOwn(marker);
    // The `.verbatim` folder made for the marker alone goes with it (a folder the user keeps things in stays).
    if (!hadFolder) removeEmptyFolder(path.dirname(marker));
  };
  try {
    if (useMarker) writeFileSafely(marker, importMarkerText({ source, files: files.map((f) => f.path) }));
  } catch (error) {
    throw new PartialWrite(error, 0);
  }
  let written = 0;
  try {
    for (const f of files) {
      writeFileSafely(path.join(root, f.path), f.content, options);
      written++;
    }
  } catch (error) {
    // The first write failed and left its file as it was: nothing to warn about, unless an earlier import left the marker.
    if (written === 0 && !hadMarker) removeMarker();
    throw new PartialWrite(error, written);
  }
  removeMarker();
}

/** Into a folder that exists: under the marker. Returns the message of a failure. */
function writeIntoFolder(files: readonly ImportedFile[], target: string, source: string, options: WriteOptions, show: ShowPath): string | undefined {
  try {
    writeUnderMarker(target, files, source, options);
    return undefined;
  } catch (error) {
    if (!(error instanceof PartialWrite)) throw error;
    const why = reason(error.failure, show);
    if (error.written === 0 && statusOf(path.join(target, IMPORT_MARKER), true) === undefined) return `${why}; nothing was written`;
    return `${why}. The import is incomplete (${error.written} of ${plural(files.length, 'file')} written): \`verbatim check\` reports it until you import again with --force, or delete \`${IMPORT_MARKER}\` once you have checked the files it lists`;
  }
}

/** The staging folders of imports into `target` are named `.<target name>.verbatim-import-<pid>`, beside it. */
const STAGING = /^\.(.+)\.verbatim-import-(\d+)$/;

function stagingFolder(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.verbatim-import-${pid}`);
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
    if (owner === pid || !isRunning(owner)) removeOwn(path.join(path.dirname(target), name));
  }
}

/**
 * Into a new folder: every file is written into the staging folder (under a
 * marker there too, so that even the staging folder never checks clean when
 * incomplete), which is then renamed to the target in one step. Returns the
 * message of a failure, after removing the staging folder: the target is
 * never created half-written.
 */
function writeNewFolder(files: readonly ImportedFile[], target: string, source: string, show: ShowPath): string | undefined {
  removeStaleStaging(target);
  const staging = stagingFolder(target);
  try {
    makeFolders(path.dirname(target));
    makeNewFolder(staging);
    writeUnderMarker(staging, files, source);
  } catch (error) {
    removeOwn(staging);
    return `${reason(error instanceof PartialWrite ? error.failure : error, show, staging, target)}; nothing was written`;
  }
  try {
    moveIntoPlace(staging, target);
    return undefined;
  } catch (error) {
    removeOwn(staging);
    const code = error instanceof WriteError ? error.code : undefined;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return `\`${show(target)}\` appeared during the import (made by another program); nothing was written. Import again`;
    return `${reason(error, show, staging, target)}; nothing was written`;
  }
}

/**
 * Writes an import's files into `target` (paths relative to it): staged when
 * the folder does not exist yet, under the marker when it does. `source` is
 * the imported file, for the marker; `show` how paths appear in messages.
 * Returns the one-line reason of a failure (without a final period), or
 * undefined when every file is written. With `replaceLink` (what `--force`
 * asks), a file to write that is a symbolic link is replaced by the new file;
 * the file it points at is never written.
 */
export function writeImport(files: readonly ImportedFile[], target: string, source: string, options: WriteOptions & { show?: ShowPath } = {}): string | undefined {
  const show = options.show ?? ((p: string) => p);
  const write = { ...(options.replaceLink !== undefined ? { replaceLink: options.replaceLink } : {}) };
  return statusOf(target) ? writeIntoFolder(files, target, source, write, show) : writeNewFolder(files, target, source, show);
}
