/** `verbatim check`: validate the whole project; the command CI runs. */
import { tally } from '../../core/diagnostic.js';
import { writeFileSafely } from '../../engine/write.js';
import { FORMATS, formatDiagnostics, type FormatName } from '../../formatters/index.js';
import { diagnosticsFromHere, EXIT, UsageError, resolveIn, type Context, type ExitCode } from '../context.js';
import { parseWhole } from '../numbers.js';
import { loadCoded } from '../shared.js';
import { refuseInput } from '../targets.js';

export interface CheckOptions {
  format: string;
  maxWarnings?: string;
  quiet?: boolean;
  outputFile?: string;
}

export async function check(options: CheckOptions, ctx: Context): Promise<ExitCode> {
  if (!FORMATS.includes(options.format as FormatName)) {
    throw new UsageError(`Unknown format \`${options.format}\`: use ${FORMATS.join(', ')}.`);
  }
  const max = parseWhole(options.maxWarnings, '--max-warnings', { fallback: -1, min: -1, hint: '-1 for no limit' });
  // check also scans the exports for redacted strings (redaction-leak).
  const { project, diagnostics } = loadCoded(ctx, { exports: true }, 'records');
  const shown = options.quiet ? diagnostics.filter((d) => d.severity === 'error') : diagnostics;
  const format = options.format as FormatName;
  // The report is check's result: on stdout, in every format, as ESLint prints it (`> check.json`, `| jq`).
  const text = formatDiagnostics(format, diagnosticsFromHere(ctx, shown), { color: options.outputFile ? false : ctx.color });
  if (options.outputFile) {
    const target = resolveIn(ctx, options.outputFile);
    refuseInput(project, target);
    writeFileSafely(target, text);
  }
  else ctx.io.stdout(text);
  const t = tally(diagnostics);
  if (format === 'stylish' && !options.outputFile && t.errors === 0) {
    const codes = project.codebook ? `${project.codebook.codes.size} codes` : 'no codebook';
    const hidden = t.warnings === 0 ? 'no problems' : `no errors (${t.warnings} warning${t.warnings === 1 ? '' : 's'} not shown: --quiet)`;
    if (t.warnings === 0 || options.quiet) ctx.io.stdout(`✔ ${project.transcripts.length} transcript${project.transcripts.length === 1 ? '' : 's'}, ${codes}, ${project.plans.length} plan${project.plans.length === 1 ? '' : 's'}: ${hidden}.\n`);
  }
  if (t.errors > 0) return EXIT.problems;
  if (max >= 0 && t.warnings > max) {
    ctx.io.stderr(`Too many warnings (${t.warnings}, at most ${max} allowed by --max-warnings).\n`);
    return EXIT.problems;
  }
  return EXIT.ok;
}
