import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Copies fixture folders (later ones over earlier ones) into a new temporary folder. */
export function tempProject(...layers: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'verbatim-test-'));
  for (const layer of layers) cpSync(layer, dir, { recursive: true });
  return dir;
}

export function removeAll(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A temporary copy of `base` with `files` written over it (paths relative to
 * the project, folders created as needed); `null` removes a file.
 */
export function projectWith(base: string, files: Record<string, string | Uint8Array | null>): string {
  const dir = tempProject(base);
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    if (content === null) rmSync(file);
    else {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
  }
  return dir;
}
