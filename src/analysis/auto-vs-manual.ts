/**
 * The automatic coding measured against the researchers' manual coding of the
 * same project: per code, precision, recall and F1 of the keywords, and the
 * segments each side missed, so that keyword lists can be improved.
 *
 * - Manual: a segment carries a code when a marker (`{#code}`, `[words]{#code}`)
 *   gives it the code or a descendant.
 * - Automatic: the raw keyword matches, rolled up the same way, *including*
 *   the ones a researcher rejected with `{!code}`: a rejection is the
 *   researcher's judgement that the keywords were wrong there, so it counts as
 *   a false positive of the keywords.
 * - Only transcripts with at least one marker are compared: a transcript
 *   nobody coded by hand says nothing about the keywords.
 *
 * Pure: no file system, no console.
 */
import { ofOrigin, type Coding } from '../coding/code-transcript.js';
import type { Matcher } from '../coding/matcher.js';
import type { Codebook, Language, Transcript } from '../project/model.js';
import { meanOf, rollUp, subtree, type Measure, type MeanMeasure } from './agreement.js';

/** What the comparison reads; a `CodedProject` with a codebook satisfies it. */
export interface AutoVsManualInput {
  transcripts: readonly Transcript[];
  codings: readonly Coding[];
  /** The compiled matchers, to recover the matches that `{!code}` removed. */
  matchers: ReadonlyMap<Language, Matcher>;
  codebook: Codebook;
}

/** A segment one side coded and the other did not. */
export interface Miss {
  transcript: string;
  segment: number;
  text: string;
  /** For automatic codings: the keywords and patterns that fired. */
  keywords?: string[];
  /** True when a researcher rejected this automatic coding with `{!code}`. */
  rejected?: boolean;
}

/** How the keywords of one code fare against the manual coding. */
export interface CodeAccuracy {
  code: string;
  leaf: boolean;
  /** Keywords and patterns of the code and its descendants. */
  keywords: number;
  /** Segments coded by hand. */
  manual: number;
  /** Segments matched by the keywords (rejected matches included). */
  auto: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: Measure;
  recall: Measure;
  f1: Measure;
  /** Coded by hand, not found by the keywords (false negatives). */
  missedByKeywords: Miss[];
  /** Found by the keywords, not coded by hand (false positives). */
  keywordsOnly: Miss[];
}

/** The comparison. */
export interface AutoVsManual {
  /** The transcripts compared (those with at least one marker). */
  transcripts: string[];
  /** Transcripts without any marker: left out. */
  leftOut: string[];
  segments: number;
  /** The codes with at least one manual coding, in the order asked for. */
  codes: CodeAccuracy[];
  /** Codes asked for that nobody coded by hand: recall means nothing for them. */
  notCompared: { code: string; auto: number }[];
  /** Micro average over the leaf codes shown: counts summed, then the ratios. */
  pooled: { codes: number; truePositives: number; falsePositives: number; falseNegatives: number; precision: Measure; recall: Measure; f1: Measure };
  /** Macro average: the mean of the leaf codes' figures where defined. */
  mean: { precision: MeanMeasure; recall: MeanMeasure; f1: MeanMeasure };
}

interface AutoHit {
  keywords: Set<string>;
  rejected: boolean;
}

/**
 * Compares automatic with manual coding.
 *
 * @param input
 *   The coded project.
 * @param codes
 *   The codes to report, in order (default: every code of the codebook).
 * @returns
 *   Per code precision, recall, F1 and the misses, with pooled figures.
 */
export function autoVsManual(input: AutoVsManualInput, codes?: readonly string[]): AutoVsManual {
  const { codebook } = input;
  const wanted = codes ?? [...codebook.codes.keys()];
  const key = (t: string, s: number): string => `${t}\u0000${s}`;

  // Manual codes per segment (as applied), and which transcripts were coded by hand at all.
  const manual = new Map<string, Set<string>>();
  const touched = new Set<string>();
  for (const c of input.codings) {
    if (c.origin !== 'manual') continue;
    touched.add(c.transcript);
    const k = key(c.transcript, c.segment);
    const set = manual.get(k) ?? new Set<string>();
    set.add(c.code);
    manual.set(k, set);
  }
  // Raw automatic matches per segment and code: kept codings, plus the ones `{!code}` removed.
  const auto = new Map<string, Map<string, AutoHit>>();
  const addAuto = (t: string, s: number, code: string, keywords: readonly string[], rejected: boolean): void => {
    const k = key(t, s);
    const m = auto.get(k) ?? new Map<string, AutoHit>();
    auto.set(k, m);
    const hit = m.get(code) ?? { keywords: new Set<string>(), rejected: false };
    for (const w of keywords) hit.keywords.add(w);
    hit.rejected ||= rejected;
    m.set(code, hit);
  };
  for (const c of input.codings) {
    // What the keywords proposed: the automatic codings, and the accepted ones (manual codings now, with their evidence).
    if (ofOrigin(c, 'auto')) addAuto(c.transcript, c.segment, c.code, (c.evidence ?? []).map((e) => e.keyword), false);
  }
  for (const t of input.transcripts) {
    // The rejected codes by paragraph, once: a search of every rejection per segment was quadratic.
    const rejects = new Map<number, string[]>();
    for (const c of t.codings) {
      if (c.kind !== 'reject' || !codebook.codes.has(c.code)) continue;
      for (const p of c.paragraphs) {
        const list = rejects.get(p);
        if (list) list.push(c.code);
        else rejects.set(p, [c.code]);
      }
    }
    if (rejects.size > 0) touched.add(t.id);
    const matcher = input.matchers.get(t.language);
    if (!matcher) continue;
    for (const segment of t.segments) {
      const here = rejects.get(segment.index);
      if (!here) continue;
      const found = matcher.match(segment.text);
      for (const code of here) {
        const evidence = found.get(code);
        // A rejection of a code the keywords do not find is stale: nothing to count.
        if (evidence) addAuto(t.id, segment.segment as number, code, evidence.map((e) => e.keyword), true);
      }
    }
  }

  const compared = input.transcripts.filter((t) => touched.has(t.id));
  const leftOut = input.transcripts.filter((t) => !touched.has(t.id)).map((t) => t.id);
  const units = compared.flatMap((t) => t.segments.map((s) => ({ transcript: t.id, segment: s.segment as number, text: s.text })));
  // Roll up each side once per segment; keep, per rolled-up code, the evidence of the codes under it.
  const sides = units.map((u) => {
    const k = key(u.transcript, u.segment);
    const hits = auto.get(k) ?? new Map<string, AutoHit>();
    const autoRolled = new Map<string, AutoHit>();
    for (const [code, hit] of hits) {
      for (const id of rollUp([code], codebook)) {
        const h = autoRolled.get(id) ?? { keywords: new Set<string>(), rejected: false };
        for (const w of hit.keywords) h.keywords.add(w);
        h.rejected ||= hit.rejected;
        autoRolled.set(id, h);
      }
    }
    return { unit: u, manual: rollUp(manual.get(k) ?? [], codebook), auto: autoRolled };
  });

  const result: CodeAccuracy[] = [];
  const notCompared: { code: string; auto: number }[] = [];
  for (const code of wanted) {
    const c = codebook.codes.get(code);
    if (!c) continue;
    const missedByKeywords: Miss[] = [];
    const keywordsOnly: Miss[] = [];
    let tp = 0;
    let nManual = 0;
    let nAuto = 0;
    for (const { unit, manual: m, auto: a } of sides) {
      const isManual = m.has(code);
      const hit = a.get(code);
      if (isManual) nManual++;
      if (hit) nAuto++;
      if (isManual && hit) tp++;
      else if (isManual) missedByKeywords.push({ ...unit });
      else if (hit) keywordsOnly.push({ ...unit, keywords: [...hit.keywords].sort(), rejected: hit.rejected });
    }
    if (nManual === 0) {
      notCompared.push({ code, auto: nAuto });
      continue;
    }
    const keywords = subtree(codebook, code).reduce((n, id) => n + (codebook.codes.get(id)?.keywords.length ?? 0) + (codebook.codes.get(id)?.patterns.length ?? 0), 0);
    const fp = keywordsOnly.length;
    const fn = missedByKeywords.length;
    result.push({
      code,
      leaf: c.children.length === 0,
      keywords,
      manual: nManual,
      auto: nAuto,
      truePositives: tp,
      falsePositives: fp,
      falseNegatives: fn,
      ...ratios(tp, fp, fn, keywords),
      missedByKeywords,
      keywordsOnly,
    });
  }
  const leaves = result.filter((r) => r.leaf);
  const sum = (f: (r: CodeAccuracy) => number): number => leaves.reduce((n, r) => n + f(r), 0);
  const tp = sum((r) => r.truePositives);
  const fp = sum((r) => r.falsePositives);
  const fn = sum((r) => r.falseNegatives);
  const pooledKeywords = sum((r) => r.keywords);
  return {
    transcripts: compared.map((t) => t.id),
    leftOut,
    segments: units.length,
    codes: result,
    notCompared,
    pooled: { codes: leaves.length, truePositives: tp, falsePositives: fp, falseNegatives: fn, ...ratios(tp, fp, fn, pooledKeywords) },
    mean: { precision: meanOf(leaves.map((r) => r.precision)), recall: meanOf(leaves.map((r) => r.recall)), f1: meanOf(leaves.map((r) => r.f1)) },
  };
}

/**
 * Precision TP/(TP+FP), recall TP/(TP+FN) and F1 = 2TP/(2TP+FP+FN) (the
 * harmonic mean of the two, 0 when TP is 0 and either side coded something).
 */
function ratios(tp: number, fp: number, fn: number, keywords: number): { precision: Measure; recall: Measure; f1: Measure } {
  const precision: Measure = tp + fp > 0 ? { value: tp / (tp + fp) } : { value: null, reason: keywords === 0 ? 'no keywords or patterns' : 'the keywords never matched' };
  const recall: Measure = tp + fn > 0 ? { value: tp / (tp + fn) } : { value: null, reason: 'nothing coded by hand' };
  const f1: Measure = 2 * tp + fp + fn > 0 ? { value: (2 * tp) / (2 * tp + fp + fn) } : { value: null, reason: 'nothing coded on either side' };
  return { precision, recall, f1 };
}
