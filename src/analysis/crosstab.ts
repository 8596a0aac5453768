/**
 * Code × attribute tables: who says what. `crossTab` counts, for each code and
 * each value of an attribute, the respondents (or segments) carrying the
 * code; `respondentCodeMatrix` gives the underlying 0/1 table for R, Python or
 * a spreadsheet.
 */
import { attributeIds, attributeLabel, codeDepth, codeLabel, groupsOf, eachUnit, selectCodes, unitsOf, type Dataset, type Unit } from './dataset.js';

/** Options of {@link crossTab}. */
export interface CrossTabOptions {
  /** The attribute whose values are the columns. */
  by: string;
  /** Codes to show, each with its descendants (default: the whole codebook). */
  codes?: readonly string[];
  /** What is counted (default `respondents`). */
  unit?: Unit;
}

/** A column of a cross table: one value of the attribute. */
export interface CrossTabGroup {
  /** The value id, or `(none)` for respondents without a value. */
  value: string;
  label: string;
  /** Respondents (or segments) of the group: the base of its percentages. */
  n: number;
}

/** A row of a cross table: one code. */
export interface CrossTabRow {
  code: string;
  label: string;
  /** 0 for top-level codes, for indentation. */
  depth: number;
  /** Units of each group carrying the code (or a descendant), by group value. */
  counts: Record<string, number>;
  /** Units of all groups carrying the code. */
  total: number;
}

/** A code × attribute-value table. */
export interface CrossTab {
  by: string;
  /** The panel's label of the attribute. */
  byLabel: string;
  unit: Unit;
  /** All units: the base of the total's percentage. */
  n: number;
  groups: CrossTabGroup[];
  rows: CrossTabRow[];
}

/**
 * Crosses codes with the values of an attribute.
 *
 * Rows are codes in codebook order; a parent counts a unit when the unit
 * carries it or any descendant. Columns are the attribute's values in panel
 * order (free attributes: values seen, sorted), then `(none)` if some
 * respondents have no value. A respondent counts once per code however many of
 * their segments carry it; with `unit: 'segments'` each segment counts.
 *
 * @param ds
 *   The dataset (filter it first with `filterDataset`).
 * @param options
 *   The attribute, the codes and the unit.
 * @returns
 *   Counts; percentages are `count / group.n` (see {@link percent}).
 * @throws RangeError
 *   For an unknown code (validate user input with `codesProblem`).
 */
export function crossTab(ds: Dataset, options: CrossTabOptions): CrossTab {
  const unit = options.unit ?? 'respondents';
  const groups = groupsOf(ds, options.by);
  const groupOf = new Map<string, string>();
  for (const g of groups) for (const t of g.transcripts) groupOf.set(t.id, g.value);
  const codes = selectCodes(ds.codebook, options.codes);
  const n = new Map<string, number>(groups.map((g) => [g.value, 0]));
  const counts = new Map<string, Map<string, number>>(codes.map((c) => [c, new Map(groups.map((g) => [g.value, 0]))]));
  let units = 0;
  for (const u of eachUnit(ds, unit)) {
    units++;
    const value = groupOf.get(u.transcript.id) as string;
    n.set(value, (n.get(value) ?? 0) + 1);
    for (const code of u.codes) {
      const row = counts.get(code);
      if (row) row.set(value, (row.get(value) ?? 0) + 1);
    }
  }
  return {
    by: options.by,
    byLabel: attributeLabel(ds, options.by),
    unit,
    n: units,
    groups: groups.map((g) => ({ value: g.value, label: g.label, n: n.get(g.value) ?? 0 })),
    rows: codes.map((code) => {
      const row = counts.get(code) as Map<string, number>;
      return {
        code,
        label: codeLabel(ds, code),
        depth: codeDepth(ds, code),
        counts: Object.fromEntries(row),
        total: [...row.values()].reduce((a, b) => a + b, 0),
      };
    }),
  };
}

/**
 * A percentage, or undefined for an empty base.
 *
 * @param count
 *   The units counted.
 * @param n
 *   The base.
 * @returns
 *   `100 × count / n`, unrounded.
 */
export function percent(count: number, n: number): number | undefined {
  return n === 0 ? undefined : (100 * count) / n;
}

/** Options of {@link respondentCodeMatrix}. */
export interface CodeMatrixOptions {
  /** Columns: these codes with their descendants (default: the whole codebook). */
  codes?: readonly string[];
  /** One row per respondent (default) or per segment. */
  unit?: Unit;
}

/** A 0/1 incidence table: units × codes, with the respondents' attributes. */
export interface CodeMatrix {
  unit: Unit;
  /** Attribute ids, panel order then others sorted. */
  attributes: string[];
  /** Code ids in codebook order, parents included (rolled up). */
  codes: string[];
  rows: CodeMatrixRow[];
}

/** A row of a {@link CodeMatrix}. */
export interface CodeMatrixRow {
  transcript: string;
  /** The segment number, for a segment matrix. */
  segment?: number;
  /** The respondent's pseudonymous label. */
  label: string;
  /** Values by attribute id; empty string when the respondent has none. */
  attributes: Record<string, string>;
  /** 1 when the unit carries the code of the same index (or a descendant), else 0. */
  values: (0 | 1)[];
}

/**
 * The respondent × code 0/1 matrix (or segment × code), for statistics
 * elsewhere. Rows follow the dataset's order.
 *
 * @param ds
 *   The dataset.
 * @param options
 *   Codes and unit.
 * @returns
 *   The table; render it as CSV with a header `id, label, attributes…, codes…`.
 */
export function respondentCodeMatrix(ds: Dataset, options: CodeMatrixOptions = {}): CodeMatrix {
  const unit = options.unit ?? 'respondents';
  const attributes = attributeIds(ds);
  const codes = selectCodes(ds.codebook, options.codes);
  return {
    unit,
    attributes,
    codes,
    rows: unitsOf(ds, unit).map((u) => ({
      transcript: u.transcript.id,
      ...(u.segment !== undefined ? { segment: u.segment } : {}),
      label: u.transcript.label,
      attributes: Object.fromEntries(attributes.map((a) => [a, u.transcript.attributes[a] ?? ''])),
      values: codes.map((c) => (u.codes.has(c) ? 1 : 0)),
    })),
  };
}
