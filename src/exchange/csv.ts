/**
 * CSV: the one writer of every CSV Verbatim prints or writes ({@link toCsv}),
 * and the exports: one row per coding, and the respondent × code 0/1 matrix.
 * Offsets are code points in the exported (masked, LF) text, as in every
 * export; texts are masked.
 */
import { stringify } from 'csv-stringify/sync';
import { respondentCodeMatrix } from '../analysis/crosstab.js';
import { filterDataset } from '../analysis/dataset.js';
import { redactorOf } from '../core/redact.js';
import { attributeIds, exportCoding, exportedText, selectCodings, uniqueTranscripts, type ExportInput, type ExportOptions, type ExportedText } from './export-common.js';

/**
 * What a spreadsheet runs as a formula when a cell starts with it (OWASP's
 * list: `=`, `+`, `-`, `@`, tab, carriage return, and their full-width forms).
 */
const FORMULA = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/u;
/** A number, which a spreadsheet reads as one (`-12.5`, `+3`, `-1,5`). */
const NUMBER = /^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$/u;

/**
 * A cell as written: a text that a spreadsheet would run as a formula (a
 * respondent's answer `=HYPERLINK(…)`, a label `@SUM(…)`, a span `-1 point`)
 * gets a leading `'`, which spreadsheets show as text; numbers are left alone.
 */
export function csvCell(value: string | number | undefined): string | number {
  if (value === undefined) return '';
  return typeof value === 'string' && FORMULA.test(value) && !NUMBER.test(value) ? `'${value}` : value;
}

/** CSV text (RFC 4180, `\n` line ends), every cell through {@link csvCell}. */
export function toCsv(rows: readonly (readonly (string | number | undefined)[])[]): string {
  return stringify(
    rows.map((r) => r.map(csvCell)),
    { record_delimiter: '\n' },
  );
}

/** One row per coding: transcript, segment, code, origin, start, end, text, then each attribute. */
export function codingsCsv(input: ExportInput, options: ExportOptions = {}): string {
  const redactor = redactorOf(input);
  const attributes = attributeIds(input);
  const texts = new Map<string, ExportedText>();
  const transcripts = new Map(uniqueTranscripts(input.transcripts).map((t) => [t.id, t]));
  const rows: (string | number)[][] = [['transcript', 'segment', 'code', 'origin', 'start', 'end', 'text', ...attributes]];
  for (const c of selectCodings(input.codings, options.origin)) {
    const t = transcripts.get(c.transcript);
    if (!t) continue;
    let text = texts.get(t.id);
    if (!text) {
      text = exportedText(t, redactor);
      texts.set(t.id, text);
    }
    const x = exportCoding(c, text);
    rows.push([c.transcript, c.segment, c.code, c.origin, x.start, x.end, x.text, ...attributes.map((a) => redactor.mask(t.attributes[a] ?? ''))]);
  }
  return toCsv(rows);
}

/**
 * The respondent × code 0/1 matrix as CSV: id, label, attributes, then one
 * column per code (full id, codebook order), 1 when one of the respondent's
 * segments carries the code or a descendant. The table is the analyses' own
 * (`respondentCodeMatrix`), so that it counts exactly as `verbatim matrix` does.
 */
export function matrixCsv(input: ExportInput, options: ExportOptions = {}): string {
  const redactor = redactorOf(input);
  const origin = options.origin === undefined || options.origin === 'all' ? undefined : options.origin;
  const ds = filterDataset({ ...input, transcripts: uniqueTranscripts(input.transcripts) }, origin ? { origin } : {});
  const m = respondentCodeMatrix(ds);
  const rows: (string | number)[][] = [['id', 'label', ...m.attributes, ...m.codes]];
  for (const r of m.rows) rows.push([r.transcript, redactor.mask(r.label), ...m.attributes.map((a) => redactor.mask(r.attributes[a] ?? '')), ...r.values]);
  return toCsv(rows);
}
