import { cpSync, mkdtempSync, rmSync } from 'node:fs';
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
