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
