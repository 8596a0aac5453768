/**
 * Intercoder agreement: percent agreement, Cohen's kappa and Krippendorff's
 * alpha (nominal), and the coding-specific layer above them (aligning the
 * segments of several coders, per-code binary decisions, code families as
 * mutually exclusive categories, the disagreements to reconcile).
 *
 * The arithmetic works on a reliability data matrix: one row per unit, one
 * value per coder, `null` when a coder gave no value. Alpha follows
 * Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", through
 * the coincidence matrix, which handles missing values and any number of
 * coders.
 *
 * A figure that is not defined (kappa when both coders always gave the same
 * value, alpha when there is no variation…) is `{value: null, reason}`: it is
 * never NaN.
 *
 * Pure: no file system, no console.
 */
import type { Coding } from '../coding/code-transcript.js';
import { append } from '../core/arrays.js';
import type { Codebook, Paragraph } from '../project/model.js';

/** A coder's value for a unit: a category, or `null` when the coder gave none. */
export type Value = string | number | null;

/** A figure that may be undefined; `reason` says why when `value` is null. */
export interface Measure {
  value: number | null;
  reason?: string;
}

const undefinedBecause = (reason: string): Measure => ({ value: null, reason });

/** The coincidence matrix of reliability data (Krippendorff 2011, §A). */
export interface Coincidences {
  /** The categories, in the order asked for, then in order of first appearance. */
  values: string[];
  /** `matrix[c][k]`: o_ck, the coincidences of values c and k within units. */
  matrix: number[][];
  /** n_c: how many pairable values are c. */
  totals: number[];
  /** n: the pairable values (values in units that hold at least two). */
  n: number;
  /** The units that hold at least two values (the pairable units). */
  units: number;
  /** Σ_{c≠k} o_ck, summed unit by unit from integer counts (no rounding drift). */
  disagreeing: number;
}

/**
 * Builds the coincidence matrix: in each unit with m ≥ 2 values, every
 * ordered pair of values from two different coders adds 1 / (m − 1) to
 * o_ck. Units with fewer than two values are not pairable and add nothing.
 *
 * @param units
 *   One row per unit, one value per coder (`null` for missing).
 * @param order
 *   Categories to list first, in this order (e.g. a family's children).
 * @returns
 *   The matrix with its marginals.
 */
export function coincidences(units: readonly (readonly Value[])[], order: readonly string[] = []): Coincidences {
  const index = new Map<string, number>();
  const values: string[] = [];
  const indexOf = (v: string): number => {
    let i = index.get(v);
    if (i === undefined) {
      i = values.length;
      index.set(v, i);
      values.push(v);
    }
    return i;
  };
  for (const v of order) indexOf(v);
  const perUnit: Map<number, number>[] = [];
  for (const unit of units) {
    const counts = new Map<number, number>();
    for (const v of unit) if (v !== null) counts.set(indexOf(String(v)), (counts.get(indexOf(String(v))) ?? 0) + 1);
    perUnit.push(counts);
  }
  const k = values.length;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const totals = new Array<number>(k).fill(0);
  let n = 0;
  let pairable = 0;
  let disagreeing = 0;
  for (const counts of perUnit) {
    let m = 0;
    for (const c of counts.values()) m += c;
    if (m < 2) continue;
    pairable++;
    n += m;
    let same = 0;
    for (const [c, nc] of counts) {
      totals[c] = (totals[c] as number) + nc;
      same += nc * nc;
      for (const [d, nd] of counts) {
        // Ordered pairs of two different coders: n_uc·(n_uc − 1) on the diagonal, n_uc·n_ud elsewhere.
        const pairs = c === d ? nc * (nc - 1) : nc * nd;
        (matrix[c] as number[])[d] = ((matrix[c] as number[])[d] as number) + pairs / (m - 1);
      }
    }
    disagreeing += (m * m - same) / (m - 1);
  }
  return { values, matrix, totals, n, units: pairable, disagreeing };
}

/**
 * Percent agreement: the share of pairs of values given to the same unit by
 * two different coders that are equal, i.e. 1 − D_o of the coincidence
 * matrix. For two coders without missing values this is the share of units
 * on which they agree; for more coders, the mean pairwise agreement; units
 * with fewer than two values do not count.
 *
 * @param units
 *   One row per unit, one value per coder.
 * @returns
 *   The share (0 to 1), undefined when no unit holds two values.
 */
export function percentAgreement(units: readonly (readonly Value[])[]): Measure {
  const o = coincidences(units);
  return agreementOf(o);
}

function agreementOf(o: Coincidences): Measure {
  if (o.n === 0) return undefinedBecause('no unit has values from two coders');
  return { value: 1 - o.disagreeing / o.n };
}

/** Cohen's kappa with its parts. */
export interface KappaResult extends Measure {
  /** p_o, the observed agreement (null when no unit counts). */
  observed: number | null;
  /** p_e, the agreement expected by chance from each coder's own proportions. */
  expected: number | null;
  /** The units where both coders gave a value. */
  units: number;
}

/**
 * Cohen's kappa for two coders: (p_o − p_e) / (1 − p_e), where p_e = Σ_k
 * p_Ak · p_Bk uses each coder's own distribution of values (Cohen 1960).
 * Units where a coder gave no value are left out.
 *
 * @param units
 *   One row per unit, exactly two values per row.
 * @returns
 *   Kappa, undefined when no unit has two values or when p_e = 1 (both
 *   coders gave every unit the same single value: 0/0).
 */
export function cohenKappa(units: readonly (readonly Value[])[]): KappaResult {
  const a = new Map<string, number>();
  const b = new Map<string, number>();
  let n = 0;
  let agree = 0;
  for (const unit of units) {
    if (unit.length !== 2) throw new Error(`cohenKappa needs two values per unit, got ${unit.length}`);
    const [x, y] = unit;
    if (x === null || x === undefined || y === null || y === undefined) continue;
    n++;
    const sx = String(x);
    const sy = String(y);
    if (sx === sy) agree++;
    a.set(sx, (a.get(sx) ?? 0) + 1);
    b.set(sy, (b.get(sy) ?? 0) + 1);
  }
  if (n === 0) return { value: null, reason: 'no unit has values from both coders', observed: null, expected: null, units: 0 };
  // Integer numerator of p_e·n², so that p_e = 1 is detected exactly.
  let chance = 0;
  for (const [v, na] of a) chance += na * (b.get(v) ?? 0);
  const observed = agree / n;
  const expected = chance / (n * n);
  if (chance === n * n) {
    return { value: null, reason: 'no variation: both coders gave every unit the same value, so chance agreement is 1', observed, expected, units: n };
  }
  return { value: (observed - expected) / (1 - expected), observed, expected, units: n };
}

/** Krippendorff's alpha with its parts. */
export interface AlphaResult extends Measure {
  /** D_o, the observed disagreement (null when nothing is pairable). */
  observedDisagreement: number | null;
  /** D_e, the disagreement expected from the values pooled over coders. */
  expectedDisagreement: number | null;
  coincidences: Coincidences;
}

/**
 * Krippendorff's alpha for nominal data, any number of coders, missing values
 * allowed: α = 1 − D_o / D_e = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k
 * (Krippendorff 2011).
 *
 * @param units
 *   One row per unit, one value per coder (`null` for missing).
 * @param order
 *   Categories to list first in the coincidence matrix.
 * @returns
 *   Alpha, undefined when no unit holds two values, or when every pairable
 *   value is the same (D_e = 0: no variation to be reliable about).
 */
export function krippendorffAlpha(units: readonly (readonly Value[])[], order: readonly string[] = []): AlphaResult {
  const o = coincidences(units, order);
  if (o.n === 0) return { value: null, reason: 'no unit has values from two coders', observedDisagreement: null, expectedDisagreement: null, coincidences: o };
  let squares = 0;
  for (const t of o.totals) squares += t * t;
  const spread = o.n * o.n - squares; // Σ_{c≠k} n_c·n_k, an integer
  const observedDisagreement = o.disagreeing / o.n;
  if (spread === 0) {
    return { value: null, reason: 'no variation: every value given is the same, so expected disagreement is 0', observedDisagreement, expectedDisagreement: 0, coincidences: o };
  }
  const expectedDisagreement = spread / (o.n * (o.n - 1));
  return { value: 1 - ((o.n - 1) * o.disagreeing) / spread, observedDisagreement, expectedDisagreement, coincidences: o };
}

// ---------------------------------------------------------------------------
// Codings of several coders

/** What the agreement layer needs of a transcript. */
export interface CoderTranscript {
  id: string;
  segments: readonly Pick<Paragraph, 'segment' | 'text'>[];
}

/** One coder: a coded copy of the corpus. */
export interface CoderInput {
  transcripts: readonly CoderTranscript[];
  codings: readonly Pick<Coding, 'transcript' | 'segment' | 'code' | 'origin'>[];
}

/** Which codings count. */
export type OriginFilter = 'all' | 'manual';

/** A segment present in every coder's corpus, with each coder's codes as applied (not rolled up). */
export interface AlignedSegment {
  transcript: string;
  segment: number;
  /** The first coder's text of the segment. */
  text: string;
  /** Per coder, the codes applied to the segment, in codebook order. */
  codes: string[][];
}

/** Why a transcript or segment could not be aligned, or was aligned despite a difference. */
export type Mismatch =
  /** The transcript is in some coders' corpus only: left out. */
  | { kind: 'missing-transcript'; transcript: string; missingIn: number[] }
  /** The coders' copies have different numbers of segments: left out. */
  | { kind: 'segment-count'; transcript: string; counts: number[] }
  /** Same number of segments, but this segment's words differ: compared anyway. */
  | { kind: 'segment-text'; transcript: string; segment: number; coders: number[] };

/** A code a coder used that the reference codebook does not have: ignored. */
export interface UnknownCode {
  coder: number;
  code: string;
  segments: number;
}

/** The coders' corpora, aligned segment by segment. */
export interface Alignment {
  coders: number;
  /** The transcripts compared, in the first coder's order. */
  transcripts: string[];
  segments: AlignedSegment[];
  mismatches: Mismatch[];
  unknownCodes: UnknownCode[];
}

const normalizeText = (s: string): string => s.replace(/\s+/g, ' ').trim();

/**
 * Aligns the coders' corpora by transcript id and segment number. A
 * transcript missing from a coder, or with a different number of segments,
 * is left out (and listed): aligning it would pair different paragraphs. A
 * segment whose words differ (a typo fixed on one branch) is still compared,
 * and listed.
 *
 * @param coders
 *   Two or more coded corpora.
 * @param codebook
 *   The reference codebook (the first coder's): codes it lacks are ignored.
 * @param origin
 *   `all` (automatic and manual codings) or `manual`.
 * @returns
 *   The aligned segments, with what could not be aligned.
 */
export function alignCoders(coders: readonly CoderInput[], codebook: Codebook, origin: OriginFilter = 'all'): Alignment {
  const mismatches: Mismatch[] = [];
  const byId = coders.map((c) => new Map(c.transcripts.map((t) => [t.id, t])));
  // Every transcript id, first coder's order first, then the others' in their order.
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const c of coders) {
    for (const t of c.transcripts) {
      if (seen.has(t.id)) continue;
      seen.add(t.id);
      ids.push(t.id);
    }
  }
  const compared: string[] = [];
  for (const id of ids) {
    const copies = byId.map((m) => m.get(id));
    const missingIn = copies.flatMap((t, i) => (t ? [] : [i]));
    if (missingIn.length > 0) {
      mismatches.push({ kind: 'missing-transcript', transcript: id, missingIn });
      continue;
    }
    const counts = copies.map((t) => (t as CoderTranscript).segments.length);
    if (counts.some((n) => n !== counts[0])) {
      mismatches.push({ kind: 'segment-count', transcript: id, counts });
      continue;
    }
    compared.push(id);
  }

  const unknown = new Map<string, UnknownCode>();
  const codesOf = coders.map((c, i) => {
    const map = new Map<string, Set<string>>();
    for (const coding of c.codings) {
      if (origin === 'manual' && coding.origin !== 'manual') continue;
      if (!codebook.codes.has(coding.code)) {
        const key = `${i}\u0000${coding.code}`;
        const u = unknown.get(key) ?? { coder: i, code: coding.code, segments: 0 };
        u.segments++;
        unknown.set(key, u);
        continue;
      }
      const key = `${coding.transcript}\u0000${coding.segment}`;
      const set = map.get(key) ?? new Set<string>();
      set.add(coding.code);
      map.set(key, set);
    }
    return map;
  });
  const order = (id: string): number => codebook.codes.get(id)?.order ?? Number.MAX_SAFE_INTEGER;
  const segments: AlignedSegment[] = [];
  for (const id of compared) {
    const copies = byId.map((m) => m.get(id) as CoderTranscript);
    const first = copies[0] as CoderTranscript;
    first.segments.forEach((s, j) => {
      const n = s.segment ?? j + 1;
      const text = normalizeText(s.text);
      const differ = copies.flatMap((t, i) => (i > 0 && normalizeText(t.segments[j]?.text ?? '') !== text ? [i] : []));
      if (differ.length > 0) mismatches.push({ kind: 'segment-text', transcript: id, segment: n, coders: differ });
      const key = `${id}\u0000${n}`;
      segments.push({ transcript: id, segment: n, text: s.text, codes: codesOf.map((m) => [...(m.get(key) ?? [])].sort((a, b) => order(a) - order(b))) });
    });
  }
  const unknownCodes = [...unknown.values()].sort((a, b) => a.coder - b.coder || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { coders: coders.length, transcripts: compared, segments, mismatches, unknownCodes };
}

/**
 * The roll-up, in one place for agreement and auto-vs-manual: the codes with
 * every ancestor added (a segment carries a parent code when it carries any
 * descendant). Codes the codebook lacks stay as they are.
 *
 * @param codes
 *   Codes as applied.
 * @param codebook
 *   Where parents are found.
 * @returns
 *   A new set.
 */
export function rollUp(codes: Iterable<string>, codebook: Codebook): Set<string> {
  const out = new Set<string>();
  for (const code of codes) {
    let id: string | undefined = code;
    while (id !== undefined && !out.has(id)) {
      out.add(id);
      id = codebook.codes.get(id)?.parent;
    }
  }
  return out;
}

/**
 * A code and all its descendants, in codebook order.
 *
 * @param codebook
 *   The codebook.
 * @param id
 *   A full code id.
 * @returns
 *   The ids, the code first; empty when the codebook lacks it.
 */
export function subtree(codebook: Codebook, id: string): string[] {
  const code = codebook.codes.get(id);
  if (!code) return [];
  return [id, ...code.children.flatMap((c) => subtree(codebook, c))];
}

/** The figures of one code. */
export interface CodeAgreement {
  code: string;
  /** True for a code without children: those are pooled. */
  leaf: boolean;
  /** Per coder, the segments carrying the code (rolled up). */
  coded: number[];
  agreement: Measure;
  /** Cohen's kappa; undefined with more than two coders. */
  kappa: Measure;
  alpha: Measure;
}

/** A mean of per-code figures over the codes where the figure is defined. */
export interface MeanMeasure extends Measure {
  /** How many codes entered the mean. */
  codes: number;
}

/** A segment where the coders' decisions differ on at least one code. */
export interface Disagreement {
  transcript: string;
  segment: number;
  text: string;
  /** Codes (as applied) that every coder applied. */
  shared: string[];
  /** Per coder, the codes (as applied) it applied that not every coder applied. */
  only: string[][];
  /** The codes (rolled up) on which the decisions differ. */
  differing: string[];
}

/** Binary per-code agreement over aligned segments. */
export interface BinaryAgreement {
  coders: number;
  segments: number;
  codes: CodeAgreement[];
  /** All leaf-code × segment decisions pooled into one data matrix. */
  pooled: { codes: number; decisions: number; agreement: Measure; kappa: Measure; alpha: Measure };
  /** Mean of the leaf codes' figures. */
  mean: { agreement: MeanMeasure; kappa: MeanMeasure; alpha: MeanMeasure };
  disagreements: Disagreement[];
}

const TWO_CODERS_ONLY = "Cohen's kappa compares two coders; see alpha";
const NOBODY = 'no coder used this code';

/**
 * Per code, each coder's decision on each segment is 1 (the segment carries
 * the code or a descendant) or 0. Computes percent agreement, Cohen's kappa
 * (two coders) and Krippendorff's alpha per code, the same pooled over every
 * leaf-code × segment decision (parents are left out of the pool: their
 * decisions repeat their children's), the mean of the leaf codes' figures,
 * and the segments to reconcile.
 *
 * @param alignment
 *   From {@link alignCoders}.
 * @param codebook
 *   The reference codebook.
 * @param codes
 *   The codes to report, in the order to show them.
 * @returns
 *   The figures.
 */
export function binaryAgreement(alignment: Alignment, codebook: Codebook, codes: readonly string[]): BinaryAgreement {
  const k = alignment.coders;
  const rolled = alignment.segments.map((s) => s.codes.map((c) => rollUp(c, codebook)));
  const isLeaf = (id: string): boolean => (codebook.codes.get(id)?.children.length ?? 0) === 0;
  const pooledUnits: number[][] = [];
  const perCode: CodeAgreement[] = codes.map((code) => {
    const units = rolled.map((coders) => coders.map((set) => (set.has(code) ? 1 : 0)));
    const leaf = isLeaf(code);
    if (leaf) append(pooledUnits, units);
    const coded = Array.from({ length: k }, (_, i) => units.reduce((n, u) => n + (u[i] as number), 0));
    const nobody = coded.every((n) => n === 0);
    const alpha: Measure = strip(krippendorffAlpha(units, ['1', '0']));
    const kappa: Measure = k === 2 ? strip(cohenKappa(units)) : undefinedBecause(TWO_CODERS_ONLY);
    // The generic reason is right but abstract; say what it means for a code.
    if (nobody && alignment.segments.length > 0) {
      if (alpha.value === null) alpha.reason = NOBODY;
      if (kappa.value === null && k === 2) kappa.reason = NOBODY;
    }
    return { code, leaf, coded, agreement: percentAgreement(units), kappa, alpha };
  });
  const leaves = perCode.filter((c) => c.leaf);
  const pooled = {
    codes: leaves.length,
    decisions: pooledUnits.length,
    agreement: percentAgreement(pooledUnits),
    kappa: k === 2 ? strip(cohenKappa(pooledUnits)) : undefinedBecause(TWO_CODERS_ONLY),
    alpha: strip(krippendorffAlpha(pooledUnits, ['1', '0'])),
  };
  const mean = {
    agreement: meanOf(leaves.map((c) => c.agreement)),
    kappa: k === 2 ? meanOf(leaves.map((c) => c.kappa)) : { ...undefinedBecause(TWO_CODERS_ONLY), codes: 0 },
    alpha: meanOf(leaves.map((c) => c.alpha)),
  };

  const inScope = new Set(codes);
  const disagreements: Disagreement[] = [];
  alignment.segments.forEach((s, u) => {
    const sets = rolled[u] as Set<string>[];
    const differing = codes.filter((code) => sets.some((set) => set.has(code) !== (sets[0] as Set<string>).has(code)));
    if (differing.length === 0) return;
    const applied = s.codes.map((c) => c.filter((id) => inScope.has(id)));
    const shared = (applied[0] as string[]).filter((id) => applied.every((a) => a.includes(id)));
    disagreements.push({ transcript: s.transcript, segment: s.segment, text: s.text, shared, only: applied.map((a) => a.filter((id) => !shared.includes(id))), differing });
  });
  return { coders: k, segments: alignment.segments.length, codes: perCode, pooled, mean, disagreements };
}

/** Keeps only `value` and `reason` of a detailed result. */
function strip(m: Measure): Measure {
  return m.value === null ? { value: null, reason: m.reason ?? 'undefined' } : { value: m.value };
}

/**
 * The mean of the figures that are defined.
 *
 * @param measures
 *   Per-code figures.
 * @returns
 *   The mean and how many figures entered it; undefined when none is defined.
 */
export function meanOf(measures: readonly Measure[]): MeanMeasure {
  const defined = measures.flatMap((m) => (m.value === null ? [] : [m.value]));
  if (defined.length === 0) return { value: null, reason: 'no code where it is defined', codes: 0 };
  return { value: defined.reduce((a, b) => a + b, 0) / defined.length, codes: defined.length };
}

/** A segment where a coder applied several children of the family. */
export interface MultipleValues {
  transcript: string;
  segment: number;
  coder: number;
  codes: string[];
}

/** Agreement on a family of mutually exclusive codes. */
export interface FamilyAgreement {
  family: string;
  /** The children of the family, the categories. */
  categories: string[];
  coders: number;
  segments: number;
  /** Krippendorff's alpha, nominal, missing values allowed. */
  alpha: Measure;
  /** Percent agreement over pairable values (1 − D_o). */
  agreement: Measure;
  /** Cohen's kappa over the segments both coders placed in the family (two coders only). */
  kappa: Measure;
  /** The units with at least two values, and n, the values in them. */
  pairableSegments: number;
  pairableValues: number;
  observedDisagreement: number | null;
  expectedDisagreement: number | null;
  /** The coincidence matrix, rows and columns in `values` order. */
  values: string[];
  matrix: number[][];
  /** Per category (and combination), the segments each coder gave it; then the missing ones. */
  counts: { value: string | null; coded: number[] }[];
  /** Segments where a coder applied several children (their value is the combination `a+b`). */
  multiple: MultipleValues[];
  /** Segments where the coders' values differ (a missing value counts as different). */
  disagreements: { transcript: string; segment: number; text: string; values: (string | null)[] }[];
}

/**
 * The children of `family` as mutually exclusive categories (ATLAS.ti's
 * semantic domains): a coder's value for a segment is the child it applied
 * (directly or through a descendant), missing when none. A segment given
 * several children gets their combination (`a+b`) as its value, so that it
 * still counts as a disagreement with a coder who gave one; it is listed in
 * `multiple`.
 *
 * @param alignment
 *   From {@link alignCoders}.
 * @param codebook
 *   The reference codebook.
 * @param family
 *   A code with children.
 * @returns
 *   Alpha with missing data, agreement, kappa, the coincidence matrix.
 */
export function familyAgreement(alignment: Alignment, codebook: Codebook, family: string): FamilyAgreement {
  const categories = [...(codebook.codes.get(family)?.children ?? [])];
  const k = alignment.coders;
  const multiple: MultipleValues[] = [];
  const units: Value[][] = alignment.segments.map((s) =>
    s.codes.map((applied, coder) => {
      const set = rollUp(applied, codebook);
      const given = categories.filter((c) => set.has(c));
      if (given.length === 0) return null;
      if (given.length > 1) multiple.push({ transcript: s.transcript, segment: s.segment, coder, codes: given });
      return given.join('+');
    }),
  );
  const alpha = krippendorffAlpha(units, categories);
  const o = alpha.coincidences;
  const kappa: Measure = k === 2 ? strip(cohenKappa(units)) : undefinedBecause(TWO_CODERS_ONLY);
  // Categories in codebook order, then combinations (even unpairable ones), then "missing".
  const shown: (string | null)[] = [...o.values];
  for (const u of units) for (const v of u) if (v !== null && !shown.includes(String(v))) shown.push(String(v));
  shown.push(null);
  const counts = shown.map((value) => ({ value, coded: Array.from({ length: k }, (_, i) => units.filter((u) => u[i] === value).length) }));
  const disagreements = alignment.segments.flatMap((s, u) => {
    const values = units[u] as Value[];
    if (values.every((v) => v === null) || values.every((v) => v === values[0])) return [];
    return [{ transcript: s.transcript, segment: s.segment, text: s.text, values: values.map((v) => (v === null ? null : String(v))) }];
  });
  return {
    family,
    categories,
    coders: k,
    segments: alignment.segments.length,
    alpha: strip(alpha),
    agreement: agreementOf(o),
    kappa,
    pairableSegments: o.units,
    pairableValues: o.n,
    observedDisagreement: alpha.observedDisagreement,
    expectedDisagreement: alpha.expectedDisagreement,
    values: o.values,
    matrix: o.matrix,
    counts,
    multiple,
    disagreements,
  };
}
