/** Helpers shared by the commands that load and code a project. */
import { checkProject } from '../check/check-project.js';
import { tally, type Diagnostic } from '../core/diagnostic.js';
import { collectDiagnostics } from '../engine/diagnostics.js';
import { loadProject } from '../engine/load-project.js';
import { checkPlanOutputs } from '../engine/outputs.js';
import { codeProject, type CodedProject } from '../engine/pipeline.js';
import { stylish } from '../formatters/index.js';
import type { Context } from './context.js';
import { Progress } from './progress.js';

/** Loads, codes and checks the project, with a progress line on long runs; `exports`: also scan the exports for leaks (check). */
export function loadCoded(ctx: Context, options: { only?: readonly string[]; exports?: boolean } = {}): { project: CodedProject; diagnostics: Diagnostic[] } {
  const reading = new Progress(ctx.io, 'Reading');
  const loaded = loadProject(ctx.root, { ...(ctx.codebook ? { codebook: ctx.codebook } : {}), ...(options.exports ? { exports: true } : {}), onProgress: (d, t) => reading.update(d, t) });
  reading.done();
  const coding = new Progress(ctx.io, 'Coding');
  const project = codeProject(loaded, { ...(options.only ? { only: options.only } : {}), onProgress: (d, t) => coding.update(d, t) });
  coding.done();
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
