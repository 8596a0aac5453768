/** Helpers shared by the commands that load and code a project. */
import { checkProject } from '../check/check-project.js';
import { tally, type Diagnostic } from '../core/diagnostic.js';
import { codeCorpus, type CodedCorpus, type CorpusOptions, type Keep } from '../engine/corpus.js';
import { collectDiagnostics } from '../engine/diagnostics.js';
import { loadFrame } from '../engine/load-project.js';
import { checkPlanOutputs } from '../engine/outputs.js';
import { stylish } from '../formatters/index.js';
import type { Respondent, Transcript } from '../project/model.js';
import type { Context } from './context.js';
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
  if (errors.length > 0) ctx.io.stderr(stylish(errors, { color: ctx.colorErr }));
  const t = tally(diagnostics);
  if (t.warnings > 0 && errors.length === 0) {
    ctx.io.stderr(`${t.warnings} warning${t.warnings === 1 ? '' : 's'}: run \`verbatim check\` to see ${t.warnings === 1 ? 'it' : 'them'}.\n`);
  }
  return errors.length > 0;
}
