/**
 * Diagnostics as every command shows them: with the severity that
 * `verbatim.yaml`'s `rules:` gives their rule (dropped when it is `off`), and
 * redacted strings masked in their message and note, since diagnostics end up
 * in terminals, CI logs and pull-request annotations. `check`, `tag` and the
 * commands that load the whole project all go through here.
 */
import { compareDiagnostics, type Diagnostic } from '../core/diagnostic.js';
import { redactorOf, type Redactor } from '../core/redact.js';
import type { Config } from '../project/model.js';
import type { Respondent } from '../project/model.js';
import type { ProjectFrame } from './load-project.js';

/** `d` with the severity `rules` gives its rule, or undefined when the rule is `off`. */
export function withSetting(d: Diagnostic, rules: Config['rules']): Diagnostic | undefined {
  const setting = rules[d.ruleId];
  if (setting === 'off') return undefined;
  return setting && setting !== d.severity ? { ...d, severity: setting } : d;
}

/** `d` with redacted strings masked in its message and note. */
export function masked(d: Diagnostic, redactor: Redactor): Diagnostic {
  if (redactor.isEmpty) return d;
  const message = redactor.mask(d.message);
  const note = d.note === undefined ? undefined : redactor.mask(d.note);
  return message === d.message && note === d.note ? d : { ...d, message, ...(note !== undefined ? { note } : {}) };
}

/**
 * Every diagnostic of the project, sorted by file and position, as
 * {@link withSetting} and {@link masked} make them.
 */
export function collectDiagnostics(project: ProjectFrame & { transcripts: readonly Respondent[] }): Diagnostic[] {
  const files = new Set([...project.files, ...project.outputs]);
  const redactor = redactorOf(project);
  const out: Diagnostic[] = [];
  for (const f of files) {
    for (const d of f.messages) {
      const shown = withSetting(d, project.config.rules);
      if (shown) out.push(masked(shown, redactor));
    }
  }
  return out.sort(compareDiagnostics);
}
