/**
 * The command line: commander wiring only. Each command lives in
 * `commands/<name>.ts` and is imported when it runs, so that `--version`
 * and `--help` start fast.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { EXIT, UsageError, type Context, type ExitCode } from './context.js';
import { describeSystemError, WriteError } from '../engine/write.js';
import { nodeIo, useColor, type Io } from './io.js';
import { registerAgree, registerCooc, registerExport, registerImport, registerMatrix, registerProfiles, registerReport, registerSaturation } from './register-commands.js';

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
  const context = (): Context => {
    const g = program.opts<GlobalOptions>();
    debug = Boolean(g.debug);
    return {
      io,
      root: path.resolve(io.cwd, g.project ?? '.'),
      ...(g.codebook ? { codebook: g.codebook } : {}),
      color: useColor(io, io.stdoutIsTTY, g.color),
      colorErr: useColor(io, io.stderrIsTTY, g.color),
      debug,
      cache: g.cache !== false,
    };
  };
  // Commander calls actions with (...arguments, options, command); commands take (...arguments, options, context).
  const action =
    (load: () => Promise<(...args: never[]) => Promise<ExitCode>>) =>
    async (...args: unknown[]): Promise<void> => {
      const fn = (await load()) as (...a: unknown[]) => Promise<ExitCode>;
      exitCode = await fn(...args.slice(0, -1), context());
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

  program
    .command('check')
    .description('validate the project: codebook, panel, transcripts, markers, plans')
    .addOption(new Option('-f, --format <name>', 'output format').choices(['stylish', 'unix', 'json', 'github']).default('stylish'))
    .option('--max-warnings <n>', 'fail (exit 1) when there are more warnings than this')
    .option('-q, --quiet', 'report errors only')
    .option('-o, --output-file <file>', 'write the report to a file instead of stderr')
    .addHelpText(
      'after',
      `
Diagnostics go to stderr (or --output-file), one per problem, with file:line:column
(columns count UTF-16 code units) and a rule id. Rules can be turned off or made
stricter in verbatim.yaml:  rules: {unused-code: off, missing-definition: error}

Examples:
  verbatim check
  verbatim check --format unix --max-warnings 0
  verbatim check --format json -o check.json`,
    )
    .action(action(async () => (await import('./commands/check.js')).check));

  program
    .command('tag [ids...]')
    .description('run the auto-coding; show per interview what was coded, and why with --explain')
    .option('--explain', 'list each coding with the words that fired it')
    .option('--json', 'print every coding as a JSON array (see the README for its shape)')
    .option('--workers <n>', 'worker threads: a number, or auto (one per core, at most 4, from 256 MB of transcripts, 32 MB with --json or --explain)', 'auto')
    .addHelpText(
      'after',
      `
Only respondent paragraphs (segments) are coded, unless verbatim.yaml sets
code_interviewer. Manual codings come from the transcripts' markers; {!code}
removes an automatic code from its paragraph.

Examples:
  verbatim tag                     a summary line per interview
  verbatim tag E07 E08 --explain   why each paragraph got each code
  verbatim tag --json > codings.json`,
    )
    .action(action(async () => (await import('./commands/tag.js')).tag));

  registerMatrix(program, action);
  registerCooc(program, action);
  registerSaturation(program, action);
  registerProfiles(program, action);
  registerAgree(program, action);
  registerReport(program, action);
  registerExport(program, action);
  registerImport(program, action);

  program
    .command('quotes <code>')
    .description('every excerpt carrying a code (or one of its sub-codes), with its address')
    .option('-b, --by <attr>', 'group the excerpts by the values of an attribute')
    .option('-w, --where <attr=value>', 'only respondents with this value (repeatable)', (v: string, p: string[] | undefined) => [...(p ?? []), v])
    .addOption(new Option('--origin <origin>', 'only automatic or only manual codings').choices(['auto', 'manual']))
    .option('--json', 'print the excerpts as JSON')
    .addHelpText(
      'after',
      `
A span coding ([words]{#code}) gives its words; a paragraph coding gives the
paragraph. Redacted strings are masked; respondents appear by their label.

Examples:
  verbatim quotes freins.etat
  verbatim quotes motivations --by sphere
  verbatim quotes constat --origin manual --json`,
    )
    .action(action(async () => (await import('./commands/quotes.js')).quotes));

  program
    .command('search <query...>')
    .description('keyword in context: where words or phrases occur in the respondent text, stemmed like keywords')
    .option('-c, --context <n>', 'characters of context on each side (default 40)')
    .option('-n, --limit <n>', 'stop after this many matches')
    .option('--json', 'print the matches as JSON')
    .addHelpText(
      'after',
      `
Each query is matched like a codebook keyword: stemmed words, phrases,
word* prefixes and =word exact forms, case and accents folded. Several
queries match any of them.

Examples:
  verbatim search technostructure
  verbatim search "donneur d'ordre" "culture centralisée"
  verbatim search "territoir*" --context 60 --json`,
    )
    .action(action(async () => (await import('./commands/search.js')).search));

  program
    .command('status')
    .description('what the project holds and how much of it is coded')
    .option('--json', 'print the figures as JSON')
    .action(action(async () => (await import('./commands/status.js')).status));

  program
    .command('init [dir]')
    .description('scaffold a small project (panel, codebook, transcript, plan); never overwrites a file')
    .addOption(new Option('-l, --language <lang>', 'language of the example files').choices(['fr', 'en']).default('fr'))
    .option('--force', 'overwrite files that exist')
    .addHelpText('after', '\nExamples:\n  verbatim init my-study\n  verbatim init --language en .')
    .action(action(async () => (await import('./commands/init.js')).init));

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
