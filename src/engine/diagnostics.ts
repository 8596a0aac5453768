/** Collecting diagnostics from a project, with the severity overrides of verbatim.yaml applied. */
import { compareDiagnostics, type Diagnostic } from '../core/diagnostic.js';
import type { Project } from './load-project.js';

/** Every diagnostic of the project, sorted by file and position; rules set to `off` are dropped. */
export function collectDiagnostics(project: Project): Diagnostic[] {
  const files = new Set([...project.files, ...project.outputs]);
  const out: Diagnostic[] = [];
  for (const f of files) {
    for (const d of f.messages) {
      const setting = project.config.rules[d.ruleId];
      if (setting === 'off') continue;
      out.push(setting ? { ...d, severity: setting } : d);
    }
  }
  return out.sort(compareDiagnostics);
}
