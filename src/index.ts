/**
 * Verbatim as a library: the pipeline the commands run, without the command
 * line. Load a project, code it, check it, collect its diagnostics, render a
 * report plan:
 *
 * ```ts
 * const project = codeProject(loadProject('my-study'));
 * checkProject(project);
 * const diagnostics = collectDiagnostics(project);
 * const report = buildReport(project.plans[0], project, { language: project.config.language, redactor: redactorOf(project) });
 * ```
 *
 * Re-exports only; tests/unit/public-api.test.ts pins the names.
 */
export { checkProject, type CheckInput } from './check/check-project.js';
export type { Coding } from './coding/code-transcript.js';
export type { Diagnostic, Severity } from './core/diagnostic.js';
export { redactorOf, type Redactor } from './core/redact.js';
export type { SourceFile } from './core/source-file.js';
export type { Dataset } from './analysis/dataset.js';
export { collectDiagnostics } from './engine/diagnostics.js';
export { loadFrame, loadProject, type LoadOptions, type Project, type ProjectFrame } from './engine/load-project.js';
export { codeProject, type CodedProject, type CodeOptions } from './engine/pipeline.js';
export { formatDiagnostics, type FormatName, type FormatOptions } from './formatters/index.js';
export type { Attribute, Code, Codebook, Config, Language, ManualCoding, Panel, Paragraph, Plan, PlanSection, Role, Transcript } from './project/model.js';
export { buildReport, renderReport, type ReportOptions, type ReportResult } from './report/render.js';
