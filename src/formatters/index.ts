/**
 * Diagnostic formatters: pure `(diagnostics, options) => string`, as in ESLint
 * and textlint. Colour is a boolean passed in; nothing here looks at a TTY.
 */
import { Chalk } from 'chalk';
import { maxOf } from '../core/arrays.js';
import { shownDiagnostic, tally, type Diagnostic } from '../core/diagnostic.js';

export type FormatName = 'stylish' | 'unix' | 'json' | 'github';
export const FORMATS: readonly FormatName[] = ['stylish', 'unix', 'json', 'github'];

export interface FormatOptions {
  color: boolean;
}

/**
 * Formats diagnostics in one of {@link FORMATS}. Every formatter shows
 * diagnostics through `shownDiagnostic` (huge quoted values clipped).
 */
export function formatDiagnostics(name: FormatName, diagnostics: readonly Diagnostic[], options: FormatOptions): string {
  switch (name) {
    case 'unix':
      return unix(diagnostics);
    case 'json':
      return json(diagnostics);
    case 'github':
      return github(diagnostics);
    default:
      return stylish(diagnostics, options);
  }
}

/** Grouped by file, aligned, with a summary line (ESLint's default look). */
export function stylish(all: readonly Diagnostic[], { color }: FormatOptions): string {
  if (all.length === 0) return '';
  const diagnostics = all.map(shownDiagnostic);
  const c = new Chalk({ level: color ? 1 : 0 });
  const lines: string[] = [];
  let file: string | undefined;
  const width = maxOf(diagnostics.map((d) => `${d.line}:${d.column}`.length));
  for (const d of diagnostics) {
    if (d.file !== file) {
      if (file !== undefined) lines.push('');
      file = d.file;
      lines.push(c.underline(d.file));
    }
    const place = `${d.line}:${d.column}`.padEnd(width);
    const severity = d.severity === 'error' ? c.red('error  ') : d.severity === 'warning' ? c.yellow('warning') : c.blue('info   ');
    lines.push(`  ${c.dim(place)}  ${severity}  ${d.message}  ${c.dim(d.ruleId)}`);
    if (d.note) lines.push(`  ${' '.repeat(width)}  ${' '.repeat(7)}  ${c.dim(d.note)}`);
  }
  const t = tally(diagnostics);
  const total = t.errors + t.warnings + t.infos;
  const summary = `${t.errors + t.warnings > 0 ? '✖' : 'ℹ'} ${total} problem${total === 1 ? '' : 's'} (${t.errors} error${t.errors === 1 ? '' : 's'}, ${t.warnings} warning${t.warnings === 1 ? '' : 's'})`;
  lines.push('', t.errors > 0 ? c.red.bold(summary) : t.warnings > 0 ? c.yellow.bold(summary) : summary);
  return `${lines.join('\n')}\n`;
}

/** `file:line:col: message [rule]`, one per line, for editors and grep. */
export function unix(diagnostics: readonly Diagnostic[]): string {
  // One diagnostic, one line, whatever a message quotes or a file is named: line breaks are written `\n` and `\r`.
  const oneLine = (s: string): string => s.replace(/\r|\n/gu, (c) => (c === '\n' ? '\\n' : '\\r'));
  return diagnostics.map(shownDiagnostic).map((d) => `${oneLine(d.file)}:${d.line}:${d.column}: ${oneLine(d.message)} [${d.ruleId}]\n`).join('');
}

/** A JSON array of diagnostics with a stable key order. */
export function json(diagnostics: readonly Diagnostic[]): string {
  const rows = diagnostics.map(shownDiagnostic).map((d) => ({
    file: d.file,
    line: d.line,
    column: d.column,
    endLine: d.endLine ?? d.line,
    endColumn: d.endColumn ?? d.column,
    severity: d.severity,
    ruleId: d.ruleId,
    message: d.message,
    ...(d.note ? { note: d.note } : {}),
  }));
  return `${JSON.stringify(rows, null, 2)}\n`;
}

/** GitHub Actions workflow commands, so that diagnostics annotate the pull request. */
export function github(diagnostics: readonly Diagnostic[]): string {
  const data = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const property = (s: string): string => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  return diagnostics
    .map(shownDiagnostic)
    .map((d) => {
      const level = d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice';
      const props = [`file=${property(d.file)}`, `line=${d.line}`, `col=${d.column}`];
      if (d.endLine !== undefined) props.push(`endLine=${d.endLine}`);
      if (d.endColumn !== undefined) props.push(`endColumn=${d.endColumn}`);
      props.push(`title=${property(d.ruleId)}`);
      return `::${level} ${props.join(',')}::${data(d.message)}\n`;
    })
    .join('');
}
