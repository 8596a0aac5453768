/**
 * What every cross-analysis reads: transcripts (one respondent each), the
 * codebook, the panel and the codings. This module holds the three things the
 * analyses share, so that they all count the same way:
 *
 * - filtering (`--where`, `--origin`),
 * - the roll-up: a unit (respondent or segment) carries a code when it carries
 *   that code or any of its descendants,
 * - the groups of an attribute (panel order, then "(none)").
 *
 * Pure: no file system, no console.
 */
import { ofOrigin, type Coding } from '../coding/code-transcript.js';
import { didYouMean, listNames } from '../core/suggest.js';
import type { Codebook, Panel, Respondent } from '../project/model.js';

/**
 * The input of every analysis. A `CodedProject` (from `engine/pipeline.ts`)
 * satisfies it. Without a codebook there are no codes to analyse: tables come
 * out empty.
 */
export interface Dataset<T extends Respondent = Respondent> {
  /** The respondents: compact records, or whole transcripts for what quotes their text (reports). */
  transcripts: readonly T[];
  codebook?: Codebook;
  panel?: Panel;
  codings: readonly Coding[];
}

/** What is counted: respondents (one per transcript) or segments (transcript, segment pairs). */
export type Unit = 'respondents' | 'segments';

/** Where a coding comes from. */
export type Origin = 'auto' | 'manual';

/** The value of the group of respondents who have no value for the attribute. */
export const NONE = '(none)';

/** Options of {@link filterDataset}. */
export interface DatasetFilter {
  /**
   * `[attribute, value]` conditions. Conditions on different attributes must
   * all hold; several values of the same attribute are alternatives
   * (`sphere=recherche` and `sphere=institution` keep both spheres). The value
   * {@link NONE} matches respondents without a value.
   */
  where?: readonly (readonly [string, string])[];
  /** Keep only automatic or only manual codings. */
  origin?: Origin;
}

/**
 * Keeps the respondents matching every `where` condition, and their codings
 * of the given origin.
 *
 * @param ds
 *   The dataset.
 * @param filter
 *   The conditions; an empty filter returns an equivalent dataset.
 * @returns
 *   A new dataset (the input is not changed).
 */
export function filterDataset<T extends Respondent>(ds: Dataset<T>, filter: DatasetFilter = {}): Dataset<T> {
  const wanted = new Map<string, Set<string>>();
  for (const [attribute, value] of filter.where ?? []) {
    const values = wanted.get(attribute) ?? new Set<string>();
    values.add(value);
    wanted.set(attribute, values);
  }
  const transcripts = ds.transcripts.filter((t) => [...wanted].every(([attribute, values]) => values.has(t.attributes[attribute] ?? NONE)));
  const ids = new Set(transcripts.map((t) => t.id));
  const codings = ds.codings.filter((c) => ids.has(c.transcript) && (filter.origin === undefined || ofOrigin(c, filter.origin)));
  return { transcripts, codings, ...(ds.codebook ? { codebook: ds.codebook } : {}), ...(ds.panel ? { panel: ds.panel } : {}) };
}

/**
 * A code and its ancestors, the code first (`motivations.sujet-commun`,
 * `motivations`). A code the codebook does not know stands alone.
 */
export function lineage(codebook: Codebook | undefined, code: string): string[] {
  const out: string[] = [];
  let id: string | undefined = code;
  while (id !== undefined && !out.includes(id)) {
    out.push(id);
    id = codebook?.codes.get(id)?.parent;
  }
  return out;
}

/** A counted unit: a respondent, or one segment of a respondent. */
export interface AnalysisUnit<T extends Respondent = Respondent> {
  transcript: T;
  /** The segment number, for segment units. */
  segment?: number;
  /** The codes the unit carries (with their ancestors when rolled up). */
  codes: ReadonlySet<string>;
}

/** Options of {@link unitsOf}. */
export interface UnitsOptions {
  /** Add each code's ancestors (default true). False gives the codes as applied. */
  rollUp?: boolean;
}

/**
 * The units of a dataset with the codes each carries. Respondents come in
 * dataset order; segments in dataset order, then segment number, including
 * the segments that carry no code (they count in the group's n).
 *
 * This is the one place where the roll-up happens: a unit carries a parent code
 * when it carries the code itself or any descendant.
 *
 * @param ds
 *   The dataset.
 * @param unit
 *   `respondents` or `segments`.
 * @param options
 *   `rollUp: false` for the codes as applied.
 * @returns
 *   One entry per unit.
 */
export function unitsOf<T extends Respondent>(ds: Dataset<T>, unit: Unit, options: UnitsOptions = {}): AnalysisUnit<T>[] {
  return [...eachUnit(ds, unit, options)];
}

/** The units of {@link unitsOf} one at a time, for a count that need not hold them all (223,000 segments on 100 MB). */
export function* eachUnit<T extends Respondent>(ds: Dataset<T>, unit: Unit, options: UnitsOptions = {}): Generator<AnalysisUnit<T>> {
  const rollUp = options.rollUp ?? true;
  const lineages = new Map<string, string[]>();
  const expand = (code: string): string[] => {
    if (!rollUp) return [code];
    let l = lineages.get(code);
    if (!l) {
      l = lineage(ds.codebook, code);
      lineages.set(code, l);
    }
    return l;
  };
  // transcript id → its codings, so that one transcript's sets are built at a time, never every segment's at once.
  const byTranscript = new Map<string, Coding[]>();
  for (const c of ds.codings) {
    const list = byTranscript.get(c.transcript);
    if (list) list.push(c);
    else byTranscript.set(c.transcript, [c]);
  }
  // Segments that carry the same codes in the same order share one set: most segments carry one of a few combinations.
  const shared = new Map<string, ReadonlySet<string>>();
  for (const t of ds.transcripts) {
    // segment number → codes, in order of first appearance
    const segments = new Map<number, Set<string>>();
    for (const c of byTranscript.get(t.id) ?? []) {
      let codes = segments.get(c.segment);
      if (!codes) segments.set(c.segment, (codes = new Set<string>()));
      for (const id of expand(c.code)) codes.add(id);
    }
    if (unit === 'respondents') {
      const codes = new Set<string>();
      for (const s of segments.values()) for (const id of s) codes.add(id);
      yield { transcript: t, codes };
    } else {
      for (let n = 1; n <= t.segmentCount; n++) {
        const own = segments.get(n);
        const key = own ? [...own].join('\u0000') : '';
        let codes = shared.get(key);
        if (!codes) shared.set(key, (codes = own ?? new Set<string>()));
        yield { transcript: t, segment: n, codes };
      }
    }
  }
}

/** Options of {@link selectCodes}. */
export interface SelectOptions {
  /** Add the descendants of each code named (default true). */
  descendants?: boolean;
}

/**
 * Codes to analyse, in codebook order: every code when `ids` is undefined or
 * empty, else the codes named (with their descendants unless told otherwise).
 *
 * @throws RangeError
 *   When a code is unknown: check user input first with {@link codesProblem}.
 */
export function selectCodes(codebook: Codebook | undefined, ids?: readonly string[], options: SelectOptions = {}): string[] {
  if (!codebook) return [];
  const all = [...codebook.codes.keys()];
  if (!ids || ids.length === 0) return all;
  for (const id of ids) if (!codebook.codes.has(id)) throw new RangeError(`Unknown code \`${id}\`.`);
  const named = new Set(ids);
  const descendants = options.descendants ?? true;
  return all.filter((id) => (descendants ? lineage(codebook, id).some((a) => named.has(a)) : named.has(id)));
}

/** Whether `ancestor` is a strict ancestor of `code`. */
export function isAncestor(codebook: Codebook | undefined, ancestor: string, code: string): boolean {
  return ancestor !== code && lineage(codebook, code).includes(ancestor);
}

/** A group of respondents sharing a value of an attribute. */
export interface Group<T extends Respondent = Respondent> {
  /** The value id, or {@link NONE}. */
  value: string;
  /** The panel's label of the value (the value itself when the panel has none). */
  label: string;
  transcripts: T[];
}

/**
 * Compares ids and free values so that `E2` comes before `E10`; different
 * strings never compare equal.
 */
export function compareIds(a: string, b: string): number {
  const c = a.localeCompare(b, 'en', { numeric: true });
  if (c !== 0) return c;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The groups of an attribute: the panel's values in panel order (even when no
 * respondent has them), then values seen but not declared (sorted), then
 * {@link NONE} when some respondents have no value. A free attribute (no
 * values in the panel, or not in the panel) uses the values seen, sorted.
 *
 * @param ds
 *   The dataset.
 * @param by
 *   The attribute id.
 * @returns
 *   The groups, each with its respondents in dataset order.
 */
export function groupsOf<T extends Respondent>(ds: Dataset<T>, by: string): Group<T>[] {
  const declared = ds.panel?.attributes.find((a) => a.id === by)?.values ?? [];
  const seen = [...new Set(ds.transcripts.map((t) => t.attributes[by]).filter((v): v is string => v !== undefined))];
  const extra = seen.filter((v) => !declared.some((d) => d.id === v)).sort(compareIds);
  const groups: Group<T>[] = [...declared.map((d) => ({ value: d.id, label: d.label })), ...extra.map((v) => ({ value: v, label: v }))].map((g) => ({
    ...g,
    transcripts: ds.transcripts.filter((t) => t.attributes[by] === g.value),
  }));
  const none = ds.transcripts.filter((t) => t.attributes[by] === undefined);
  if (none.length > 0) groups.push({ value: NONE, label: NONE, transcripts: none });
  return groups;
}

/** The panel's label of an attribute, or its id. */
export function attributeLabel(ds: Dataset, by: string): string {
  return ds.panel?.attributes.find((a) => a.id === by)?.label ?? by;
}

/**
 * Attribute ids: the panel's, in panel order, then those only seen in
 * transcripts, sorted.
 */
export function attributeIds(ds: Dataset): string[] {
  const declared = (ds.panel?.attributes ?? []).map((a) => a.id);
  const seen = new Set(ds.transcripts.flatMap((t) => Object.keys(t.attributes)));
  return [...declared, ...[...seen].filter((a) => !declared.includes(a)).sort(compareIds)];
}

/**
 * Checks an attribute named by the user.
 *
 * @returns
 *   A message saying what to do, or undefined when the attribute is known (to
 *   the panel or to some transcript).
 */
export function attributeProblem(ds: Dataset, by: string): string | undefined {
  const known = attributeIds(ds);
  if (known.includes(by)) return undefined;
  if (known.length === 0) return `Unknown attribute \`${by}\`: the panel defines no attribute and no transcript has one.`;
  const hint = didYouMean(by, known);
  return `Unknown attribute \`${by}\`${hint || `; use ${listNames(known)}.`}`;
}

/**
 * Checks `where` conditions named by the user: the attribute must be known and
 * the value declared by the panel (or, for a free attribute, seen in some
 * transcript); {@link NONE} is always accepted.
 *
 * @returns
 *   A message, or undefined when every condition is valid.
 */
export function whereProblem(ds: Dataset, where: readonly (readonly [string, string])[]): string | undefined {
  for (const [attribute, value] of where) {
    const problem = attributeProblem(ds, attribute);
    if (problem) return problem;
    if (value === NONE) continue;
    const values = groupsOf(ds, attribute)
      .map((g) => g.value)
      .filter((v) => v !== NONE);
    if (!values.includes(value)) {
      const hint = didYouMean(value, values);
      return `No value \`${value}\` for \`${attribute}\`${hint || (values.length > 0 ? `; use ${listNames(values)}.` : '.')}`;
    }
  }
  return undefined;
}

/**
 * Checks code ids named by the user.
 *
 * @returns
 *   A message, or undefined when every code is in the codebook.
 */
export function codesProblem(ds: Dataset, codes: readonly string[]): string | undefined {
  if (!ds.codebook) return codes.length > 0 ? 'There is no codebook, so no code to select.' : undefined;
  const known = [...ds.codebook.codes.keys()];
  for (const code of codes) {
    if (!ds.codebook.codes.has(code)) return `Unknown code \`${code}\`${didYouMean(code, known) || '.'}`;
  }
  return undefined;
}

/** The codebook label of a code, or its id. */
export function codeLabel(ds: Dataset, code: string): string {
  return ds.codebook?.codes.get(code)?.label ?? code;
}

/** The depth of a code in the tree (0 for top-level codes). */
export function codeDepth(ds: Dataset, code: string): number {
  return ds.codebook?.codes.get(code)?.depth ?? 0;
}
