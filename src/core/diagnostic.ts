/** How bad a diagnostic is. Errors fail `verbatim check`; warnings fail it past `--max-warnings`. */
export type Severity = 'error' | 'warning' | 'info';

/**
 * A positioned message about a user's file, in the spirit of vfile-message:
 * the file, 1-based line and column (UTF-16 code units), 0-based offsets,
 * a stable rule id and a message that says what to do.
 */
export interface Diagnostic {
  /** Path relative to the project root, with `/` separators. */
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  /** 0-based `[start, end)` offsets in the file's text. */
  range?: readonly [number, number];
  severity: Severity;
  /** Stable kebab-case id, e.g. `unknown-code`. */
  ruleId: string;
  /** What is wrong and what to do; Markdown with names in backticks. */
  message: string;
  /** Optional extra hint shown under the message. */
  note?: string;
}

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Sorts by file, then position, then severity, then rule id: the output order everywhere. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  if (a.column !== b.column) return a.column - b.column;
  if (a.severity !== b.severity) return severityRank[a.severity] - severityRank[b.severity];
  if (a.ruleId !== b.ruleId) return a.ruleId < b.ruleId ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/** Counts of diagnostics by severity. */
export interface Tally {
  errors: number;
  warnings: number;
  infos: number;
}

export function tally(diagnostics: readonly Diagnostic[]): Tally {
  const t: Tally = { errors: 0, warnings: 0, infos: 0 };
  for (const d of diagnostics) {
    if (d.severity === 'error') t.errors++;
    else if (d.severity === 'warning') t.warnings++;
    else t.infos++;
  }
  return t;
}
