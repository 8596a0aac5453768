import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A tmpfs mounted for a test. */
export interface Tmpfs {
  /** The mount point. */
  dir: string;
  /** Unmounts it and removes the mount point. */
  unmount(): void;
}

/**
 * Mounts a small tmpfs (`mount -t tmpfs -o OPTIONS`), to give a test a real
 * full disk or a read-only file system. Needs root on Linux.
 *
 * @throws Error
 *   With mount's message when the mount fails.
 */
export function mountTmpfs(options: string): Tmpfs {
  const dir = mkdtempSync(path.join(tmpdir(), 'verbatim-tmpfs-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`\`mount -t tmpfs -o ${options}\` failed: ${(r.stderr || r.error?.message || `exit ${r.status}`).trim()}`);
  }
  return {
    dir,
    unmount: () => {
      spawnSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Why tmpfs mounts cannot be used here (not Linux, not root, mount fails),
 * or undefined when they can: tried once with a mount that is undone at
 * once. The tests that need a mount skip with this reason in their name,
 * and it is printed, so that a skip is never silent. The mount a test uses
 * is made in its `beforeAll`, so that a filtered run mounts nothing.
 */
export function tmpfsUnavailable(purpose: string): string | undefined {
  let why: string | undefined;
  if (process.platform !== 'linux') why = 'tmpfs mounts need Linux';
  else if (process.getuid?.() !== 0) why = 'mounting a tmpfs needs root';
  else {
    try {
      mountTmpfs('size=64k').unmount();
    } catch (error) {
      why = (error as Error).message;
    }
  }
  if (why) console.warn(`${purpose}: skipped: ${why}.`);
  return why;
}
