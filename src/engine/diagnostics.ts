/** Collecting diagnostics from a project, with the severity overrides of verbatim.yaml applied. */
import { compareDiagnostics, type Diagnostic } from '../core/diagnostic.js';
import { redactorOf } from '../core/redact.js';
import type { Project } from './load-project.js';

/**
 * Every diagnostic of the project, sorted by file and position; rules set to
 * `off` are dropped. Messages quote the researcher's text (a speaker, a
 * value): redacted strings are masked there too, since diagnostics end up in
 * CI logs and pull-request annotations.
 */
export function collectDiagnostics(project: Project): Diagnostic[] {
  const files = new Set([...project.files, ...project.outputs]);
  const { mask } = redactorOf(project);
  const out: Diagnostic[] = [];
  for (const f of files) {
    for (const d of f.messages) {
      const setting = project.config.rules[d.ruleId];
      if (setting === 'off') continue;
      const message = mask(d.message);
      const note = d.note === undefined ? undefined : mask(d.note);
      out.push({ ...d, ...(setting ? { severity: setting } : {}), message, ...(note !== undefined ? { note } : {}) });
    }
  }
  return out.sort(compareDiagnostics);
}
