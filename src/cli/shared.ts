/** Helpers shared by the commands that load and code a project. */
import path from 'node:path';
import { checkProject } from '../check/check-project.js';
import { tally, type Diagnostic } from '../core/diagnostic.js';
import { codeCorpus, type CodedCorpus, type CorpusOptions, type Keep } from '../engine/corpus.js';
import { collectDiagnostics } from '../engine/diagnostics.js';
import { loadFrame, transcriptIdsByPath, type ProjectFrame } from '../engine/load-project.js';
import { checkPlanOutputs } from '../engine/outputs.js';
import { stylish } from '../formatters/index.js';
import type { Respondent, Transcript } from '../project/model.js';
import { listNames, nearest } from '../core/suggest.js';
import { diagnosticsFromHere, UsageError, type Context } from './context.js';
import { Progress } from './progress.js';

/** Options of {@link loadCoded}. */
export interface LoadCodedOptions {
  /** Only code these transcripts. */
  only?: readonly string[];
  /** Also scan the exports for leaks (check). */
  exports?: boolean;
  /** Handed each transcript whole for its text alone (records still from the cache and the byte-level stage). */
  onText?: CorpusOptions['onText'];
}

/**
 * Runs the pipeline on the project: reads, parses, checks and codes each
 * transcript once, with a progress line on long runs, then the corpus-wide
 * rules. `keep`: whole transcripts (`text`, for commands that quote them) or
 * compact records (`records`, the default: memory holds the codings, not the
 * texts). Diagnostics come out as every command shows them.
 */
export function loadCoded(ctx: Context, options?: LoadCodedOptions): { project: CodedCorpus<Transcript>; diagnostics: Diagnostic[] };
export function loadCoded(ctx: Context, options: LoadCodedOptions, keep: 'text'): { project: CodedCorpus<Transcript>; diagnostics: Diagnostic[] };
export function loadCoded(ctx: Context, options: LoadCodedOptions, keep: 'records'): { project: CodedCorpus; diagnostics: Diagnostic[] };
export function loadCoded(ctx: Context, options: LoadCodedOptions = {}, keep: Keep = 'text'): { project: CodedCorpus<Respondent>; diagnostics: Diagnostic[] } {
  const frame = loadFrame(ctx.root, { ...(ctx.codebook ? { codebook: ctx.codebook } : {}), ...(options.exports ? { exports: true } : {}) });
  const progress = new Progress(ctx.io, 'Coding');
  const corpusOptions = { ...(options.only ? { only: options.only } : {}), ...(options.onText ? { onText: options.onText } : {}), cache: ctx.cache !== false, onProgress: (d: number, t: number) => progress.update(d, t) };
  const project = keep === 'records' ? codeCorpus(frame, 'records', corpusOptions) : codeCorpus(frame, 'text', corpusOptions);
  progress.done();
  checkProject(project);
  checkPlanOutputs(project);
  return { project, diagnostics: collectDiagnostics(project) };
}

/**
 * For commands other than `check`: print the errors (which may make the
 * results wrong) and a one-line pointer to the warnings. Returns true when
 * there were errors.
 */
export function reportProblems(ctx: Context, diagnostics: readonly Diagnostic[]): boolean {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) ctx.io.stderr(stylish(diagnosticsFromHere(ctx, errors), { color: ctx.colorErr }));
  const t = tally(diagnostics);
  if (t.warnings > 0 && errors.length === 0) {
    ctx.io.stderr(`${t.warnings} warning${t.warnings === 1 ? '' : 's'}: run \`verbatim check\` to see ${t.warnings === 1 ? 'it' : 'them'}.\n`);
  }
  return errors.length > 0;
}

/**
 * The transcript ids a command was given (`tag T01`, `review --transcript
 * T01`), checked against the corpus: an id as written, or a transcript's
 * path (from the current folder or the project, `corpus/T01.md`,
 * `./T01.md` from `corpus/`) for its id. Anything else is a usage error,
 * with the id it may have meant (case ignored), rather than an empty result.
 *
 * @throws UsageError
 *   For a name that is neither a transcript id nor a transcript's path.
 */
export function transcriptIdsOf(ctx: Context, frame: ProjectFrame, names: readonly string[]): string[] {
  if (names.length === 0) return [];
  const byPath = transcriptIdsByPath(frame);
  const ids = new Set(byPath.values());
  return names.map((name) => {
    if (ids.has(name)) return name;
    for (const base of [ctx.io.cwd, frame.root]) {
      const relative = path.relative(frame.root, path.resolve(base, name)).split(path.sep).join('/');
      const id = byPath.get(relative);
      if (id !== undefined) return id;
    }
    const word = /[\\/]|\.md$/iu.test(name) ? name.replace(/^.*[\\/]/u, '').replace(/\.md$/iu, '') : name;
    const near = nearest(word, ids);
    const known = [...ids];
    const hint =
      near !== undefined
        ? `; did you mean \`${near}\`?`
        : known.length === 0
          ? ': the corpus has no transcript.'
          : known.length <= 10
            ? `: the corpus has ${listNames(known)}.`
            : `: \`verbatim tag\` without ids lists the ${known.length} transcripts.`;
    throw new UsageError(`Unknown transcript \`${name}\`${hint} Give a transcript's id (its front matter's \`id\`) or its file.`);
  });
}
