/** `verbatim export FORMAT`: the project in exchange formats (REFI-QDA, CSV, IRaMuTeQ, JSON). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileSafely } from '../../engine/write.js';
import { matrixCsv, codingsCsv } from '../../exchange/csv.js';
import { redactorOf } from '../../core/redact.js';
import type { ViewKind } from '../../core/escapes.js';
import { selectCodings, type OriginFilter } from '../../exchange/export-common.js';
import { iramuteqCorpus } from '../../exchange/iramuteq.js';
import { projectJson } from '../../exchange/json-export.js';
import { ExportError, buildQdc, buildQdpxContent, zipQdpx } from '../../exchange/refi-export.js';
import { EXIT, UsageError, resolveIn, type Context, type ExitCode } from '../context.js';
import { loadCoded, reportProblems } from '../shared.js';
import { generatedTarget } from '../targets.js';

/** The formats of `verbatim export`. */
export const EXPORT_FORMATS = ['qdc', 'qdpx', 'csv', 'iramuteq', 'json'] as const;
/** One of {@link EXPORT_FORMATS}. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
const ORIGINS: readonly OriginFilter[] = ['all', 'manual', 'auto'];

/** The options of `verbatim export`, as commander gives them. */
export interface ExportOptions {
  output?: string;
  origin?: string;
  matrix?: boolean;
  force?: boolean;
  json?: boolean;
}

/** What `--json` prints after writing a file. */
export interface ExportSummary {
  format: ExportFormat;
  file: string;
  bytes: number;
  transcripts: number;
  codes: number;
  codings?: number;
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/**
 * `verbatim export FORMAT`: loads and codes the project, builds the export,
 * checks that nothing redacted leaks, then writes it to `-o` (never over a
 * file without `--force`) or prints it.
 */
export async function exportProject(format: string, options: ExportOptions, ctx: Context): Promise<ExitCode> {
  if (!EXPORT_FORMATS.includes(format as ExportFormat)) throw new UsageError(`Unknown export format \`${format}\`: use ${EXPORT_FORMATS.join(', ')}.`);
  const origin = (options.origin ?? 'all') as OriginFilter;
  if (!ORIGINS.includes(origin)) throw new UsageError(`--origin takes ${ORIGINS.join(', ')}.`);
  if (options.matrix && format !== 'csv') throw new UsageError('--matrix goes with `export csv`.');
  const fmt = format as ExportFormat;
  const output = options.output ?? (fmt === 'qdpx' ? `${path.basename(ctx.root) || 'project'}.qdpx` : undefined);
  const target = output === undefined ? undefined : resolveIn(ctx, output);

  const { project, diagnostics } = loadCoded(ctx);
  // Before the export is built: a project input, a link or a folder there is refused (exit 1), an existing file needs --force (exit 2).
  if (target && generatedTarget(project, target, options.force === true).kind === 'file' && !options.force) throw new UsageError(`\`${output}\` exists: add --force to overwrite it.`);
  const hasErrors = reportProblems(ctx, diagnostics);
  const generator = `Verbatim ${version()}`;
  const redactor = redactorOf(project);
  let content: string | Uint8Array;
  /** The texts that leave, each with its format (its escapes are undone for the leak check). */
  let checked: [string, ViewKind][];
  let codings: number | undefined;
  try {
    switch (fmt) {
      case 'qdc':
        content = buildQdc(project.codebook, { generator, redactor });
        checked = [[content, 'xml']];
        break;
      case 'qdpx': {
        const qdpx = buildQdpxContent(project, { origin, generator });
        content = zipQdpx(qdpx);
        checked = [[qdpx.qde, 'xml'], ...qdpx.sources.map((s): [string, ViewKind] => [s.text, 'text'])];
        codings = qdpx.codings;
        break;
      }
      case 'csv':
        content = options.matrix ? matrixCsv(project, { origin }) : codingsCsv(project, { origin });
        checked = [[content, 'csv']];
        if (!options.matrix) codings = selectCodings(project.codings, origin).length;
        break;
      case 'iramuteq':
        content = iramuteqCorpus(project);
        checked = [[content, 'text']];
        break;
      case 'json':
        content = projectJson(project, { origin, generator });
        checked = [[content, 'json']];
        break;
    }
  } catch (error) {
    if (error instanceof ExportError) {
      ctx.io.stderr(`verbatim: ${error.message}\n`);
      return EXIT.problems;
    }
    throw error;
  }
  // The last line of defence: nothing redacted may leave, whatever the format.
  const leaks = checked.reduce((n, [text, kind]) => n + redactor.leaks(text, kind).length, 0);
  if (leaks > 0) {
    ctx.io.stderr(`verbatim: the export would show a redacted string${leaks > 1 ? ` in ${leaks} places` : ''} (in an id or a name that is not masked); nothing was written. Rename the transcript, code or attribute that contains it.\n`);
    return EXIT.problems;
  }
  if (!target) {
    ctx.io.stdout(content as string);
    return hasErrors ? EXIT.problems : EXIT.ok;
  }
  writeFileSafely(target, content, { replaceLink: options.force === true });
  const summary: ExportSummary = {
    format: fmt,
    file: path.relative(ctx.io.cwd, target) || target,
    bytes: typeof content === 'string' ? Buffer.byteLength(content) : content.length,
    transcripts: project.transcripts.length,
    codes: project.codebook?.codes.size ?? 0,
    ...(codings !== undefined ? { codings } : {}),
  };
  if (options.json) ctx.io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
  else {
    const what = fmt === 'qdc' ? `${summary.codes} codes` : `${summary.transcripts} transcripts, ${summary.codes} codes${codings !== undefined ? `, ${codings} codings` : ''}`;
    ctx.io.stdout(`wrote ${summary.file} (${what})\n`);
  }
  return hasErrors ? EXIT.problems : EXIT.ok;
}


