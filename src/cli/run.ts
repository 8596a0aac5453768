/**
 * The command line: commander wiring only. Each command lives in
 * `commands/<name>.ts`, registered in `register-commands.ts`, and is
 * imported when it runs, so that `--version` and `--help` start fast.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { EXIT, UsageError, type Context, type ExitCode } from './context.js';
import { describeSystemError, WriteError } from '../engine/write.js';
import { nodeIo, useColor, type Io } from './io.js';
import { COMMANDS } from './register-commands.js';
import type { ActionOptions } from './commands/analysis-options.js';

/** Where bugs go; printed with internal errors. */
export const REPORT_BUGS = 'Please report this bug to the Verbatim maintainers, with the command you ran, `verbatim --version` and the output of the same command with `--debug`.';

/** System errors that come from the environment (permissions, space), reported without asking for a bug report, exit 1. */
const ENVIRONMENT_ERRORS = new Set(['EACCES', 'EPERM', 'ENOSPC', 'EROFS', 'EDQUOT', 'EMFILE', 'ENFILE', 'ENAMETOOLONG', 'EFBIG', 'EIO']);

/** A path for a message: relative to the current folder when it is inside it. */
function shown(io: Io, file: string): string {
  const relative = path.relative(io.cwd, path.resolve(io.cwd, file));
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/');
}

/** Text ended with a period, unless it already ends with a punctuation mark. */
function sentence(text: string): string {
  return /[.!?]$/u.test(text) ? text : `${text}.`;
}

/** `codes rename`, `check`: the name of the command an action runs for (commander passes it last). */
function commandPath(command: unknown): string {
  const names: string[] = [];
  for (let c = command instanceof Command ? command : undefined; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * The project folder: `--project DIR`, which must be a folder (a usage error
 * otherwise); else, as git and ESLint do, the nearest folder from the current
 * one upwards that has a `verbatim.yaml`, or a `codebooks/` beside a
 * `corpus/`; else the current folder. `init` makes a project and looks for
 * none.
 */
function projectRoot(io: Io, given: string | undefined, command: string): string {
  if (given !== undefined) {
    const root = path.resolve(io.cwd, given);
    let isFolder: boolean | undefined;
    try {
      isFolder = statSync(root).isDirectory();
    } catch {
      // Not there.
    }
    if (isFolder === undefined) throw new UsageError(`--project \`${given}\`: there is no such folder. Give the folder of the project (the one that holds \`corpus/\` and \`codebooks/\`).`);
    if (!isFolder) throw new UsageError(`--project \`${given}\` is a file, not a folder. Give the folder of the project (the one that holds \`corpus/\` and \`codebooks/\`).`);
    return root;
  }
  if (command === 'init') return io.cwd;
  for (let dir = io.cwd; ; dir = path.dirname(dir)) {
    if (isFile(path.join(dir, 'verbatim.yaml')) || (isFolder(path.join(dir, 'codebooks')) && isFolder(path.join(dir, 'corpus')))) return dir;
    if (path.dirname(dir) === dir) return io.cwd;
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

interface GlobalOptions {
  project?: string;
  codebook?: string;
  color?: boolean;
  debug?: boolean;
  cache?: boolean;
}

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the
 * exit code: 0 fine, 1 the project has problems or a file cannot be written,
 * 2 usage or internal error.
 */
export async function run(argv: readonly string[], io: Io = nodeIo()): Promise<number> {
  let exitCode: ExitCode = EXIT.ok;
  let debug = argv.includes('--debug');
  const program = new Command();
  const context = (command: string): Context => {
    const g = program.opts<GlobalOptions>();
    debug = Boolean(g.debug);
    return {
      io,
      root: projectRoot(io, program.getOptionValueSource('project') === 'default' ? undefined : g.project, command),
      ...(g.codebook ? { codebook: g.codebook } : {}),
      color: useColor(io, io.stdoutIsTTY, g.color),
      colorErr: useColor(io, io.stderrIsTTY, g.color),
      debug,
      cache: g.cache !== false,
    };
  };
  // Commander calls actions with (...arguments, options, command); commands take (...arguments, options, context).
  const action =
    (load: () => Promise<(...args: never[]) => Promise<ExitCode>>, options: ActionOptions = {}) =>
    async (...args: unknown[]): Promise<void> => {
      // Parsed here, run there: the worker parses the same command line again.
      if (options.worker && io.inWorker) {
        exitCode = (await io.inWorker(argv)) as ExitCode;
        return;
      }
      const fn = (await load()) as (...a: unknown[]) => Promise<ExitCode>;
      exitCode = await fn(...args.slice(0, -1), context(commandPath(args[args.length - 1])));
    };

  program
    .name('verbatim')
    .description('Qualitative interview analysis from plain files: transcripts, codebook, auto-coding, cross-analysis, reports.')
    .version(version(), '-V, --version', 'print the version')
    .option('-p, --project <dir>', 'the project folder', '.')
    .option('--codebook <file>', 'the codebook to use, when codebooks/ holds several')
    .option('--no-color', 'no colour, even on a terminal (NO_COLOR works too)')
    .option('--no-cache', 'code every transcript again, without reading or writing .verbatim/cache/')
    .option('--debug', 'show the stack of internal errors')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .addHelpText(
      'after',
      `
Exit codes: 0 fine, 1 the project has errors (or too many warnings, or a file
cannot be written), 2 usage or internal error.

Examples:
  verbatim init my-study          scaffold a small project
  verbatim check                  validate transcripts, panel, codebook and plans
  verbatim check --format github  annotate a pull request in GitHub Actions
  verbatim status --json          figures about the project, for scripts`,
    );

  for (const register of COMMANDS) register(program, action);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      io.stderr(`verbatim: ${error.message}\n`);
      return EXIT.usage;
    }
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    const stack = (): void => {
      if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    };
    // A write that failed (full disk, read-only folder, a refused link) left the previous file: the machine's state, not a bug.
    if (error instanceof WriteError) {
      io.stderr(`verbatim: cannot write ${shown(io, error.file)}: ${sentence(error.reason)}\n`);
      stack();
      return EXIT.problems;
    }
    const system = error as NodeJS.ErrnoException | undefined;
    if (system?.code && ENVIRONMENT_ERRORS.has(system.code)) {
      io.stderr(`verbatim: ${system.path ? `${shown(io, system.path)}: ${sentence(describeSystemError(error))}` : `${describeSystemError(error)} (${message}).`}\n`);
      stack();
      return EXIT.problems;
    }
    io.stderr(`verbatim: internal error: ${message}\n${REPORT_BUGS}\n`);
    stack();
    return EXIT.usage;
  }
}
