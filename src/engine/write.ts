/**
 * Every file Verbatim writes goes through here, so that a write either puts
 * all its bytes in place or fails and leaves the previous file as it was:
 * the bytes go to a temporary file beside the target (same folder, so the
 * same file system), are written until the last one (a short write is
 * continued, a write of nothing is a failure), flushed to the device, and
 * the temporary file is renamed over the target, which the system does in
 * one step. On any failure the temporary file is removed and a
 * {@link WriteError} names the target and the cause.
 *
 * `fs` is used through its default export (`fs.writeSync`…) so that tests can
 * spy on the calls and play a full disk.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** A write that failed: nothing was replaced. */
export class WriteError extends Error {
  /**
   * @param file
   *   The target (absolute), never the temporary file.
   * @param reason
   *   The cause in words (`no space left on the device`), without a final period.
   * @param code
   *   The system error code when there is one (`ENOSPC`, `EACCES`…); for a
   *   target refused before writing: `ELINK` (a symbolic link), `EISDIR` (a
   *   folder), `ENOTREG` (a device, a pipe), and from the commands `EINPUT`
   *   (a project input) and `EFOREIGN` (a file Verbatim did not generate).
   */
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly code?: string,
  ) {
    super(`cannot write ${file}: ${reason}`);
    this.name = 'WriteError';
  }
}

/** Options of {@link openAtomicFile} and {@link writeFileSafely}. */
export interface WriteOptions {
  /**
   * When the target is a symbolic link, replace the link itself with the new
   * file (what `--force` asks). Without it a link is refused. Verbatim never
   * writes through a link to the file it points at.
   */
  replaceLink?: boolean;
  /**
   * Flush the bytes to the device before the rename (default true). Only for
   * files that can be lost without loss (the cache): a crash may then leave
   * an empty file, never a torn one.
   */
  flush?: boolean;
  /** Remove the folder's stale temporary files first (default true; the cache sweeps once per run). */
  sweep?: boolean;
}

/** A file being written: nothing is visible at its path until {@link AtomicFile.commit}. */
export interface AtomicFile {
  /** Appends a chunk (a string is written as UTF-8). Throws a {@link WriteError}, the file aborted, when not every byte could be written. */
  write(chunk: string | Uint8Array): void;
  /** Flushes, closes and renames the file over its target. Throws a {@link WriteError}, the file aborted, on failure. */
  commit(): void;
  /** Removes the temporary file; the target stays as it was. Safe to call twice, or after a failure. */
  abort(): void;
}

/** The cause of a system error in words, for messages: `no space left on the device`. */
export function describeSystemError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'the disk quota is exceeded';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a part of its path is a file, not a folder';
    case 'ENOENT':
      return 'its folder does not exist';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'ELOOP':
      return 'its path has too many symbolic links';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many files are open';
    case 'EFBIG':
      return 'the file is too large for the file system';
    case 'EIO':
      return 'input/output error (the device failed)';
    case 'EBUSY':
    case 'ETXTBSY':
      return 'the file is busy';
    default: {
      const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
      return message.replace(/^[A-Z]+: /u, '').replace(/[.\s]+$/u, '') || 'unknown error';
    }
  }
}

/** What is at a path, without following a symbolic link. */
export interface TargetInfo {
  kind: 'none' | 'file' | 'link' | 'folder' | 'other';
  /** A link's content (where it points), as written in the link. */
  link?: string;
  /** A file's permission bits, kept by the new file. */
  mode?: number;
  uid?: number;
  gid?: number;
}

/**
 * Looks at `file` without following a link.
 *
 * @throws WriteError
 *   When the path cannot be examined (a part of it is a file, a folder that cannot be read).
 */
export function inspectTarget(file: string): TargetInfo {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    return attempt(file, () => {
      throw error;
    });
  }
  if (st.isSymbolicLink()) {
    let link = '';
    try {
      link = fs.readlinkSync(file);
    } catch {
      // Unreadable link content: still a link.
    }
    return { kind: 'link', link };
  }
  if (st.isDirectory()) return { kind: 'folder' };
  if (!st.isFile()) return { kind: 'other' };
  return { kind: 'file', mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
}

/**
 * The {@link WriteError} for a target the writer refuses, or undefined: a
 * symbolic link (unless `replaceLink`), a folder, or something that is not a
 * regular file (a device such as `/dev/null`, a pipe), which a rename would
 * replace.
 */
export function refusal(file: string, info: TargetInfo, options: WriteOptions = {}): WriteError | undefined {
  if (info.kind === 'link' && !options.replaceLink) return new WriteError(file, `it is a symbolic link${info.link ? ` (to ${info.link})` : ''}, and Verbatim never writes through a link`, 'ELINK');
  if (info.kind === 'folder') return new WriteError(file, 'it is a folder', 'EISDIR');
  if (info.kind === 'other') return new WriteError(file, 'it is not a regular file (a device, a pipe or a socket)', 'ENOTREG');
  return undefined;
}

/** The longest file name most file systems take, in bytes. */
const NAME_MAX = 255;

/**
 * Temporary files: `.<name>.verbatim-<pid>-<8 hex digits>.tmp`, beside the
 * target. The leading dot keeps them out of globs and of the corpus scan;
 * the process id says whether their writer may still be running.
 */
export const TEMP_FILE = /^\..*\.verbatim-(\d+)-[0-9a-f]{8}\.tmp$/su;

/** The name of a new temporary file for `base` (the target's name, cut when it would make the name too long). */
function tempName(base: string): string {
  const suffix = `.verbatim-${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  let head = base;
  // Cut by code points until the name fits (a byte cut could split a character).
  while (head.length > 0 && Buffer.byteLength(`.${head}${suffix}`) > NAME_MAX) head = [...head].slice(0, -1).join('');
  return `.${head}${suffix}`;
}

/** True when the process may be running (it exists, even if it is not ours to signal). */
export function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files of `dir` left by writers that are gone (a
 * process killed in the middle of a write, a machine that lost power).
 * A file whose process still runs is left alone: it may be writing now.
 * Best effort: a folder that cannot be read or a file that cannot be
 * removed is left as it is. Returns the names removed.
 */
export function removeStaleTempFiles(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_FILE.exec(name);
    if (!m || isRunning(Number(m[1]))) continue;
    try {
      if (!fs.lstatSync(path.join(dir, name)).isFile()) continue;
      fs.unlinkSync(path.join(dir, name));
      removed.push(name);
    } catch {
      // Someone else removed it, or it cannot be removed: nothing lost either way.
    }
  }
  return removed;
}

/**
 * Makes `dir` and its missing parents. Node's recursive mkdir reports ENOENT
 * for the deepest folder whatever went wrong (a read-only file system, a
 * permission): on failure the missing folders are made one by one, so that
 * the error thrown is the real one.
 */
function makeFolder(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    const missing: string[] = [];
    for (let d = dir; !fs.existsSync(d) && path.dirname(d) !== d; d = path.dirname(d)) missing.unshift(d);
    for (const d of missing) fs.mkdirSync(d);
    throw error;
  }
}

/** Runs `step`; a system error (`ENOSPC`…) becomes a {@link WriteError} on `target`; anything else is a bug and goes on as it is. */
function attempt<T>(target: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (error instanceof WriteError || typeof code !== 'string' || !/^E[A-Z0-9]+$/u.test(code)) throw error;
    throw new WriteError(target, describeSystemError(error), code);
  }
}

/**
 * Makes the folder `dir` and its missing parents.
 *
 * @throws WriteError
 *   On `dir`, with the real cause, when a folder cannot be made.
 */
export function makeFolders(dir: string): void {
  attempt(dir, () => makeFolder(dir));
}

/**
 * Makes the folder `dir`, which must not exist yet (a staging folder that is
 * this process's own).
 *
 * @throws WriteError
 *   On `dir`, when it exists or cannot be made.
 */
export function makeNewFolder(dir: string): void {
  attempt(dir, () => fs.mkdirSync(dir));
}

/**
 * Removes a file or a folder with everything in it, when it is there: only
 * for what Verbatim itself made (a staging folder, a marker), never a file of
 * the researcher's. Best effort: what cannot be removed stays.
 */
export function removeOwn(p: string): void {
  try {
    fs.rmSync(p, { recursive: true, force: true });
  } catch {
    // It stays; whoever reads it next sees what it is (a staging folder is hidden, a marker is reported).
  }
}

/**
 * Removes the folder `dir` when it is empty (one Verbatim made for a marker);
 * a folder with anything in it stays.
 */
export function removeEmptyFolder(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch {
    // Not empty, or already gone.
  }
}

/**
 * Moves a folder whose files were all written by {@link writeFileSafely}
 * (a staging folder) to `to`, in one step: `to` must not exist.
 *
 * @throws WriteError
 *   On `to`, with the cause (`EEXIST`/`ENOTEMPTY` when something appeared there).
 */
export function moveIntoPlace(from: string, to: string): void {
  attempt(to, () => fs.renameSync(from, to));
}

/**
 * Opens a new file to be written at `target` (created with its folder if
 * needed), in the streaming form: {@link AtomicFile.write} chunks, then
 * {@link AtomicFile.commit}, or {@link AtomicFile.abort}. Until the commit the
 * target is untouched. An existing file's permission bits (and, when running
 * as root, its owner) are kept. Stale temporary files of the folder are
 * removed first (see {@link removeStaleTempFiles}).
 *
 * @throws WriteError
 *   When the folder cannot be made or written, or the target is refused (see {@link refusal}).
 */
export function openAtomicFile(target: string, options: WriteOptions = {}): AtomicFile {
  const file = path.resolve(target);
  const dir = path.dirname(file);
  attempt(file, () => makeFolder(dir));
  const info = inspectTarget(file);
  const refused = refusal(file, info, options);
  if (refused) throw refused;
  if (options.sweep !== false) removeStaleTempFiles(dir);
  const temp = path.join(dir, tempName(path.basename(file)));
  let fd: number | undefined = attempt(file, () => fs.openSync(temp, 'wx', info.mode ?? 0o666));
  let state: 'open' | 'committed' | 'aborted' = 'open';

  const abort = (): void => {
    if (state !== 'open') return;
    state = 'aborted';
    discard(fd, temp);
    fd = undefined;
  };
  /** Runs a step of the open file; on failure the file is aborted and the error is a WriteError. */
  const step = <T>(run: (fd: number) => T): T => {
    if (state !== 'open' || fd === undefined) throw new Error(`The file for ${file} is already ${state}.`);
    const open = fd;
    try {
      return attempt(file, () => run(open));
    } catch (error) {
      abort();
      throw error;
    }
  };

  if (info.kind === 'file') {
    step((d) => {
      // The mode given to open is cut by the umask: set it exactly. Both are best effort
      // (a file system without permissions, an owner only root may give).
      try {
        fs.fchmodSync(d, info.mode as number);
      } catch {
        // Keep the default mode.
      }
      if (process.getuid?.() === 0 && info.uid !== undefined && info.gid !== undefined) {
        try {
          fs.fchownSync(d, info.uid, info.gid);
        } catch {
          // Keep root as the owner.
        }
      }
    });
  }

  return {
    write(chunk) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      step((d) => {
        let offset = 0;
        while (offset < bytes.length) {
          const n = fs.writeSync(d, bytes, offset, bytes.length - offset);
          // write(2) returns fewer bytes than asked on a full or interrupted device: go on from there.
          // Nothing written at all is not progress: the device takes no more.
          if (!(n > 0)) throw new WriteError(file, 'the device accepted no more bytes (is it full?)', 'ENOSPC');
          offset += n;
        }
      });
    },
    commit() {
      step((d) => {
        // Flushed before the rename: a crash after it leaves the new bytes, not an empty file.
        try {
          if (options.flush !== false) fs.fsyncSync(d);
        } catch (error) {
          // Some file systems cannot flush a file (EINVAL, ENOTSUP): that says nothing about the bytes.
          const code = (error as NodeJS.ErrnoException).code;
          if (code !== 'EINVAL' && code !== 'ENOTSUP') throw error;
        }
        fd = undefined;
        fs.closeSync(d);
        fs.renameSync(temp, file);
      });
      state = 'committed';
    },
    abort,
  };
}

/**
 * A temporary file a command writes and reads back before it is removed: the
 * parts of a streamed export that come after the ones written first (a JSON
 * export's codings, a `.qdpx`'s `project.qde`). Nothing of it ever becomes a
 * visible file.
 */
export interface ScratchFile {
  /** Appends a chunk (a string as UTF-8), every byte or a {@link WriteError}. */
  write(chunk: string | Uint8Array): void;
  /** Bytes written so far. */
  readonly size: number;
  /** `length` bytes from `offset` (fewer at the end). */
  read(offset: number, length: number): Uint8Array;
  /** Closes and removes the file. Safe to call twice. */
  remove(): void;
}

/**
 * Opens a scratch file beside `near`, named like the writer's temporary
 * files (`.<name>.verbatim-<pid>-<random>.tmp`: hidden, ignored by git and
 * by the corpus scan, removed by the next write into the folder if a killed
 * run leaves it), readable by its owner only. Failures are {@link WriteError}s
 * on `target` (the file the command is writing), with the cause.
 */
export function openScratchFile(near: string, target: string = near): ScratchFile {
  const file = path.resolve(near);
  const dir = path.dirname(file);
  attempt(target, () => makeFolder(dir));
  removeStaleTempFiles(dir);
  const temp = path.join(dir, tempName(path.basename(file)));
  let fd: number | undefined = attempt(target, () => fs.openSync(temp, 'wx+', 0o600));
  let size = 0;
  const remove = (): void => {
    if (fd === undefined) return;
    discard(fd, temp);
    fd = undefined;
  };
  const open = (): number => {
    if (fd === undefined) throw new Error(`The scratch file for ${target} is already removed.`);
    return fd;
  };
  return {
    write(chunk) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      const d = open();
      try {
        attempt(target, () => {
          let offset = 0;
          while (offset < bytes.length) {
            const n = fs.writeSync(d, bytes, offset, bytes.length - offset, size + offset);
            if (!(n > 0)) throw new WriteError(target, 'the device accepted no more bytes (is it full?)', 'ENOSPC');
            offset += n;
          }
        });
      } catch (error) {
        remove();
        throw error;
      }
      size += bytes.length;
    },
    get size() {
      return size;
    },
    read(offset, length) {
      const d = open();
      const out = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - offset)));
      let done = 0;
      while (done < out.length) {
        const n = attempt(target, () => fs.readSync(d, out, done, out.length - done, offset + done));
        if (n <= 0) break;
        done += n;
      }
      return done === out.length ? out : out.subarray(0, done);
    },
    remove,
  };
}

/** Closes a temporary file (when open) and removes it; what cannot be removed, the next run removes (its process is gone by then). */
function discard(fd: number | undefined, temp: string): void {
  if (fd !== undefined) {
    try {
      fs.closeSync(fd);
    } catch {
      // The descriptor is gone either way.
    }
  }
  try {
    fs.unlinkSync(temp);
  } catch {
    // Already gone, or removed by the next run.
  }
}

/**
 * Writes `content` (a string as UTF-8) to `file`, creating its folder, all
 * of it or nothing (see {@link openAtomicFile}).
 *
 * @throws WriteError
 *   With the previous file intact and no temporary file left.
 */
export function writeFileSafely(file: string, content: string | Uint8Array, options: WriteOptions = {}): void {
  const out = openAtomicFile(file, options);
  out.write(content);
  out.commit();
}
