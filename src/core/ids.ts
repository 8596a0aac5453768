/**
 * The form of the ids a project names things by: transcript ids (the front
 * matter's `id` or the file name), the codebook's id, respondent ids of the
 * panel, attribute ids; and what attribute values may hold. An id becomes an
 * address (`E07:12`), a file name in exports and imports, a GUID seed and a
 * path, so it has no `/`, `\`, `:`, space or control character, and does not
 * start with a `.`; letters of any script are fine.
 */

import type { SourceFile } from './source-file.js';

/** Letters (with their combining marks) and digits at both ends; `-`, `_` and `.` between them. */
const ID = /^[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}_.-]*[\p{L}\p{M}\p{N}])?$/u;

/** Control characters and line or paragraph separators: they break a table, a CSV row or a terminal line. */
const CONTROL = /[\p{Cc}\u2028\u2029]/u;

/** The allowed form, for messages. */
export const ID_FORM = 'use letters (of any script) and digits, with `-`, `_` or `.` between them: no space, `/`, `\\`, `:` or control character, since an id becomes an address (`E07:12`), a file name and a path';

/** True when `id` has the form of an id. */
export function isValidId(id: string): boolean {
  return ID.test(id);
}

/**
 * The message for an id of the wrong form, or undefined when it is fine.
 *
 * @param what
 *   What the id names, capitalised: `The transcript id`, `The codebook id`.
 * @param hint
 *   What else to do, appended after the form (`rename the file…`).
 */
export function idProblem(id: string, what: string, hint?: string): string | undefined {
  if (isValidId(id)) return undefined;
  return `${what} \`${shown(id)}\` is not valid: ${ID_FORM}${hint ? `; ${hint}` : ''}.`;
}

/**
 * The message for an attribute value that cannot be shown on one line (a
 * control character or a line break), or undefined when it is fine. Values
 * are free text otherwise (`Le Mans`, `45 ans`).
 */
export function valueProblem(value: string, attribute: string): string | undefined {
  if (!CONTROL.test(value)) return undefined;
  return `The value \`${shown(value)}\` of \`${shown(attribute)}\` holds a control character or a line break: values appear in tables, CSV rows and the terminal; write it as text on one line.`;
}

/** Reports `invalid-id` on `file` at `range` when `id` is not of the form of an id (see {@link idProblem}). */
export function checkId(file: SourceFile, id: string, what: string, range: readonly [number, number] | undefined, hint?: string): void {
  const problem = idProblem(id, what, hint);
  if (problem) file.report('invalid-id', problem, range);
}

/** Reports `invalid-id` on `file` at `range` when an attribute value cannot be shown on one line (see {@link valueProblem}). */
export function checkValue(file: SourceFile, value: string, attribute: string, range: readonly [number, number] | undefined): void {
  const problem = valueProblem(value, attribute);
  if (problem) file.report('invalid-id', problem, range);
}

/** An id or a value as a message shows it: control characters escaped (`\n`, `\u001b`), so that the message stays one line. */
function shown(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029]/gu, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
