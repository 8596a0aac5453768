/**
 * Command-line options shared by the analysis commands. Kept apart from the
 * commands themselves so that registering them (at every start) loads nothing
 * heavy.
 */
import { Option, type Command } from 'commander';
import type { ExitCode } from '../context.js';

/** How `run.ts` wraps a lazily imported command (see `register`). */
export type Action = (load: () => Promise<(...args: never[]) => Promise<ExitCode>>, options?: ActionOptions) => (...args: unknown[]) => Promise<void>;

/** How a command runs. */
export interface ActionOptions {
  /** It reads the whole corpus: in a worker thread with a bounded heap, when the Io can start one (see worker-io.ts). */
  worker?: boolean;
}

/** Pairs `cooc` shows in the terminal by default. */
export const DEFAULT_COOC_LIMIT = 25;

export const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Codes may be given as several arguments or comma-separated. */
const collectCodes = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  ...value
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== ''),
];

/** Adds `--where` and `--origin` to a command. */
export function addFilterOptions(cmd: Command): Command {
  return cmd
    .option('-w, --where <attr=value>', 'only respondents with this value (repeat: different attributes must all match, values of one attribute are alternatives)', collect)
    .addOption(new Option('--origin <origin>', 'only automatic or only manual codings').choices(['auto', 'manual']));
}

/** Adds `--codes` (repeatable, comma-separated lists accepted). */
export function addCodesOption(cmd: Command, description: string): Command {
  return cmd.option('-c, --codes <codes...>', description, collectCodes);
}

/** Adds `--unit respondents|segments`. */
export function addUnitOption(cmd: Command): Command {
  return cmd.addOption(new Option('-u, --unit <unit>', 'what is counted').choices(['respondents', 'segments']).default('respondents'));
}

/** Adds `--json` and `--csv`. */
export function addOutputOptions(cmd: Command): Command {
  return cmd.option('--json', 'print the result as JSON').option('--csv', 'print the result as CSV');
}

