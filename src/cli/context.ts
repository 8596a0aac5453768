import path from 'node:path';
import type { Io } from './io.js';

/** What every command receives: the Io and the global options. */
export interface Context {
  io: Io;
  /** Absolute project folder (`--project`, default the current folder). */
  root: string;
  /** `--codebook`, relative to the project. */
  codebook?: string;
  /** Colour on stdout / stderr. */
  color: boolean;
  colorErr: boolean;
  debug: boolean;
  /** Use the record cache (`--no-cache`: false). */
  cache?: boolean;
}

/** Exit codes, as documented in the README. */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A mistake in the command line itself: exit 2 with this message. */
export class UsageError extends Error {}

/** Resolves a user path against the project root. */
export function resolveIn(ctx: Context, p: string): string {
  return path.resolve(ctx.root, p);
}

/**
 * A project file (as diagnostics name it, from the project root) named from
 * the current folder, so that `file:line` opens from the user's terminal when
 * the project is elsewhere (`--project DIR`, or found above the current
 * folder): `T01.md` and `../codebooks/c.yaml` from `corpus/`. Unchanged when
 * the command runs at the project root.
 */
export function fromHere(ctx: Context, file: string): string {
  if (ctx.root === ctx.io.cwd) return file;
  const relative = path.relative(ctx.io.cwd, path.resolve(ctx.root, file));
  return relative === '' ? '.' : relative.split(path.sep).join('/');
}

/** Diagnostics with their files named by {@link fromHere}. */
export function diagnosticsFromHere<T extends { file: string }>(ctx: Context, diagnostics: readonly T[]): T[] {
  return ctx.root === ctx.io.cwd ? [...diagnostics] : diagnostics.map((d) => ({ ...d, file: fromHere(ctx, d.file) }));
}
