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

/** The longest value a message quotes whole (between backticks); a longer one is clipped and ends with `…`. */
export const MAX_QUOTED = 80;

/** The longest message shown whole: past it, whatever its quotes, the message is clipped too. */
export const MAX_MESSAGE = 1000;

/**
 * The diagnostic as it is shown: every value its message and note quote
 * between backticks clipped to {@link MAX_QUOTED} characters, so that a key,
 * a code or a speaker role of 400 KB does not fill the terminal (or a pull
 * request's annotations) and the message stays readable; a message longer
 * than {@link MAX_MESSAGE} anyway (a value with backticks of its own shifts
 * the pairs) is clipped as a whole. The formatters call this, after
 * redaction has masked the secrets in the whole message: a name cut in two
 * by the clip could not be found any more.
 */
export function shownDiagnostic(d: Diagnostic): Diagnostic {
  const message = clipQuoted(d.message);
  const note = d.note === undefined ? undefined : clipQuoted(d.note);
  return message === d.message && note === d.note ? d : { ...d, message, ...(note !== undefined ? { note } : {}) };
}

/** `text` with its quoted values clipped (see {@link shownDiagnostic}). */
export function clipQuoted(text: string): string {
  if (text.length <= MAX_QUOTED) return text;
  const parts = text.split('`');
  // Odd parts are between backticks (an unpaired last backtick leaves an odd part that ends the text).
  for (let i = 1; i < parts.length; i += 2) parts[i] = clip(parts[i] as string, MAX_QUOTED);
  return clip(parts.join('`'), MAX_MESSAGE);
}

/** `s` cut to `max` characters, the last of them `…`, never between the two halves of a surrogate pair. */
function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max - 1;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${s.slice(0, end)}…`;
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
