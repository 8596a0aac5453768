/**
 * CSV: the one writer of every CSV Verbatim prints or writes ({@link toCsv}),
 * and the exports: one row per coding, the respondent × code 0/1 matrix, and
 * the codebook (Taguette's columns).
 * Offsets are code points in the exported (masked, LF) text, as in every
 * export; texts are masked.
 */
import { respondentCodeMatrix } from '../analysis/crosstab.js';
import { attributeIds as analysisAttributes, selectCodes, type Dataset } from '../analysis/dataset.js';
import { ofOrigin, type Coding } from '../coding/code-transcript.js';
import type { Redactor } from '../core/redact.js';
import type { Codebook, Transcript } from '../project/model.js';
import { codesInOrder, exportCoding, exportedText, selectCodings, type ExportInput, type ExportOptions, type ExportedText } from './export-common.js';
import { Groups, joinText, OrderedParts, textOut, writeInMemory, type ExportMeta, type ExportTarget, type ExportWriter } from './export-writer.js';

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

/** A cell that needs quotes: one with a quote, a comma or a line feed (csv-stringify leaves a lone CR as it is when given the record delimiter). */
const QUOTE = /[",\n]/u;

/**
 * CSV text (RFC 4180, `\n` line ends), every cell through {@link csvCell}:
 * what csv-stringify writes with `record_delimiter: '\n'` (a property test
 * compares the two), without its per-cell machinery, which cost more than
 * the rest of `export csv`.
 */
export function toCsv(rows: readonly (readonly (string | number | undefined)[])[]): string {
  const lines: string[] = [];
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < row.length; i++) {
      const c = csvCell(row[i]);
      const text = typeof c === 'number' ? `${c}` : c;
      if (i > 0) line += ',';
      line += text !== '' && QUOTE.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    }
    lines.push(line, '\n');
  }
  return lines.join('');
}

/** Rows are written in pieces of this many. */
const ROWS = 1000;

/** One row per coding: transcript, segment, code, origin, start, end, text, then each attribute. */
export class CodingsCsvWriter implements ExportWriter {
  private meta!: ExportMeta;
  private out!: (text: string) => void;
  private groups!: Groups<{ transcript: Transcript; text?: ExportedText }>;
  codings = 0;

  constructor(private readonly target: ExportTarget) {}

  begin(meta: ExportMeta): void {
    this.meta = meta;
    this.out = textOut(this.target, 'csv');
    this.groups = new Groups(meta.shared, (t) => ({ transcript: t }));
    this.out(toCsv([['transcript', 'segment', 'code', 'origin', 'start', 'end', 'text', ...meta.attributes]]));
  }

  add(t: Transcript, codings: readonly Coding[]): void {
    // Every transcript of an id is written on the first one: its text, its attributes.
    const { state } = this.groups.next(t);
    const { redactor, attributes } = this.meta;
    const first = state.transcript;
    let rows: (string | number)[][] = [];
    for (const c of selectCodings(codings, this.meta.origin)) {
      state.text ??= exportedText(first, redactor);
      const x = exportCoding(c, state.text);
      rows.push([c.transcript, c.segment, c.code, c.origin, x.start, x.end, x.text, ...attributes.map((a) => redactor.mask(first.attributes[a] ?? ''))]);
      this.codings++;
      if (rows.length >= ROWS) {
        this.out(toCsv(rows));
        rows = [];
      }
    }
    if (rows.length > 0) this.out(toCsv(rows));
  }

  end(): void {}
}

/** {@link CodingsCsvWriter} of a loaded project, in memory. */
export function codingsCsv(input: ExportInput, options: ExportOptions = {}): string {
  return joinText(writeInMemory(input, (target) => new CodingsCsvWriter(target), options).chunks);
}

/**
 * The respondent × code 0/1 matrix as CSV: id, label, attributes, then one
 * column per code (full id, codebook order), 1 when one of the respondent's
 * segments carries the code or a descendant. The table is the analyses' own
 * (`respondentCodeMatrix`, on each respondent with its codings), so that it
 * counts exactly as `verbatim matrix` does. A respondent's row is written
 * when the last transcript of its id has come.
 */
export class MatrixCsvWriter implements ExportWriter {
  private meta!: ExportMeta;
  private out!: (text: string) => void;
  private attributes: string[] = [];
  private groups!: Groups<{ transcript: Transcript; slot: number; codings: Coding[] }>;
  private rows!: OrderedParts;

  constructor(private readonly target: ExportTarget) {}

  begin(meta: ExportMeta): void {
    this.meta = meta;
    this.out = textOut(this.target, 'csv');
    this.rows = new OrderedParts(this.out, () => this.target.scratch());
    this.groups = new Groups(meta.shared, (t) => ({ transcript: t, slot: this.rows.reserve(), codings: [] }));
    // The columns of the analyses: the panel's attributes, then the others the respondents have, in id order.
    const columns = { transcripts: [{ attributes: Object.fromEntries(meta.exportedAttributes.map((a) => [a, ''])) }], codings: [], ...(meta.panel ? { panel: meta.panel } : {}) } as unknown as Dataset;
    this.attributes = analysisAttributes(columns);
    this.out(toCsv([['id', 'label', ...this.attributes, ...selectCodes(meta.codebook)]]));
  }

  add(t: Transcript, codings: readonly Coding[]): void {
    const { last, state } = this.groups.next(t);
    const origin = this.meta.origin === 'all' ? undefined : this.meta.origin;
    for (const c of codings) if (origin === undefined || ofOrigin(c, origin)) state.codings.push({ transcript: c.transcript, segment: c.segment, code: c.code, origin: c.origin, start: c.start, end: c.end, span: c.span });
    if (!last) return;
    const { redactor } = this.meta;
    const r = state.transcript;
    const m = respondentCodeMatrix({ transcripts: [r], codings: state.codings, ...(this.meta.codebook ? { codebook: this.meta.codebook } : {}), ...(this.meta.panel ? { panel: this.meta.panel } : {}) });
    const values = (m.rows[0] as { values: number[] }).values;
    this.rows.fill(state.slot, toCsv([[r.id, redactor.mask(r.label), ...this.attributes.map((a) => redactor.mask(r.attributes[a] ?? '')), ...values]]));
  }

  end(): void {
    this.rows.dispose();
  }
}

/** {@link MatrixCsvWriter} of a loaded project, in memory. */
export function matrixCsv(input: ExportInput, options: ExportOptions = {}): string {
  return joinText(writeInMemory(input, (target) => new MatrixCsvWriter(target), options).chunks);
}

/**
 * The codebook as CSV, one row per code in codebook order, with the columns
 * Taguette's "Import codebook" reads: `tag` (the label; a label a code before
 * it has already taken gets its id in brackets, tags being unique there),
 * `description` (the definition) and `parent` (the parent's tag). Texts are
 * masked.
 */
export function codebookCsv(codebook: Codebook | undefined, redactor: Redactor): string {
  const tags = new Map<string, string>();
  const taken = new Set<string>();
  const rows: string[][] = [['tag', 'description', 'parent']];
  for (const code of codesInOrder(codebook)) {
    let tag = redactor.mask(code.label).trim() || code.id;
    if (taken.has(tag.toLowerCase())) tag = `${tag} (${code.id})`;
    taken.add(tag.toLowerCase());
    tags.set(code.id, tag);
    rows.push([tag, redactor.mask(code.definition ?? '').trim(), code.parent ? (tags.get(code.parent) ?? '') : '']);
  }
  return toCsv(rows);
}
