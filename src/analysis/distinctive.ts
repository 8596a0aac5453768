/**
 * Distinctive codes by profile: for each value of an attribute, the codes
 * over-represented in that group compared with all the other respondents
 * ("the actors of research are motivated by…").
 *
 * Two rules, chosen by the size of the comparison:
 *
 * - fewer than 30 units (a dozen interviews): the **share rule**. A code is
 *   distinctive of a group when the share of the group carrying it is at least
 *   25 points above its share among the other units, and at least 2 units of
 *   the group carry it. No p-value: with so few respondents a test would say
 *   nothing, and the restitution speaks of tendencies.
 * - 30 units or more: the **log-likelihood test**. G² of the 2×2 table
 *   (group / rest × carries / does not), p-value from the chi-square
 *   distribution with 1 degree of freedom; distinctive when the code is more
 *   frequent in the group, p < 0.05, and at least 2 units of the group carry it.
 *
 * Every threshold is an option; the result states the rule applied.
 */
import type { Language } from '../project/model.js';
import { attributeLabel, codeLabel, groupsOf, NONE, selectCodes, unitsOf, type AnalysisUnit, type Dataset, type Unit } from './dataset.js';
import { chiSquareSurvival1, gSquared2x2 } from './stats.js';

/** A rule for over-representation. */
export type DistinctiveMethod = 'share' | 'g2';

/** Options of {@link distinctiveCodes}. */
export interface DistinctiveOptions {
  /** The attribute whose values make the groups. */
  by: string;
  /** Codes to test, each with its descendants (default: the whole codebook). */
  codes?: readonly string[];
  /** What is counted (default `respondents`). */
  unit?: Unit;
  /** `auto` (default) picks `share` below `largeCorpus` units, else `g2`. */
  method?: 'auto' | DistinctiveMethod;
  /** Units in the comparison from which `auto` uses the G² test (default 30). */
  largeCorpus?: number;
  /** Share rule: minimal lead of the group over the rest, in percentage points (default 25). */
  minGap?: number;
  /** Both rules: minimal number of units of the group carrying the code (default 2). */
  minCount?: number;
  /** G² rule: significance level (default 0.05). */
  alpha?: number;
}

/** The rule applied, with its parameters, for stating it. */
export interface DistinctiveRule {
  method: DistinctiveMethod;
  /** True when the method was chosen from the size of the comparison. */
  auto: boolean;
  unit: Unit;
  /** Units in the comparison. */
  n: number;
  largeCorpus: number;
  minGap: number;
  minCount: number;
  alpha: number;
}

/** A code over-represented in a group. */
export interface DistinctiveCode {
  code: string;
  label: string;
  /** Units of the group carrying the code, and the group's size. */
  count: number;
  n: number;
  /** Units of the other groups carrying it, and their number. */
  restCount: number;
  restN: number;
  /** Lead of the group over the rest, in percentage points. */
  gap: number;
  /** G² and its p-value (G² rule only). */
  g2?: number;
  p?: number;
}

/** The distinctive codes of one value of the attribute. */
export interface DistinctiveGroup {
  value: string;
  label: string;
  n: number;
  /** Strongest first: by gap (share rule) or by G² (G² rule), then codebook order. */
  codes: DistinctiveCode[];
}

/** The result of {@link distinctiveCodes}. */
export interface Distinctive {
  by: string;
  byLabel: string;
  unit: Unit;
  rule: DistinctiveRule;
  /** The rule in an English sentence (see {@link distinctiveRuleStatement} for French). */
  statement: string;
  /** One per value of the attribute (not for respondents without a value, who count in every "rest"). */
  groups: DistinctiveGroup[];
}

/**
 * Whether a group's count beats the rest by the share rule, in whole numbers:
 * 100·(a·nr − b·ng) ≥ gap·ng·nr, and a ≥ minCount.
 */
export function passesShareRule(a: number, ng: number, b: number, nr: number, minGap: number, minCount: number): boolean {
  if (ng === 0 || nr === 0 || a < minCount) return false;
  return 100 * (a * nr - b * ng) >= minGap * ng * nr;
}

/**
 * Codes over-represented in each group of an attribute, compared with all the
 * other units of the dataset.
 *
 * @param ds
 *   The dataset (filter it first with `filterDataset`).
 * @param options
 *   The attribute, codes, unit and rule parameters.
 * @returns
 *   The rule applied and, per group, its distinctive codes.
 * @throws RangeError
 *   For an unknown code (validate user input with `codesProblem`).
 */
export function distinctiveCodes(ds: Dataset, options: DistinctiveOptions): Distinctive {
  const unit = options.unit ?? 'respondents';
  const units = unitsOf(ds, unit);
  const largeCorpus = options.largeCorpus ?? 30;
  const method: DistinctiveMethod = options.method === undefined || options.method === 'auto' ? (units.length < largeCorpus ? 'share' : 'g2') : options.method;
  const rule: DistinctiveRule = {
    method,
    auto: options.method === undefined || options.method === 'auto',
    unit,
    n: units.length,
    largeCorpus,
    minGap: options.minGap ?? 25,
    minCount: options.minCount ?? 2,
    alpha: options.alpha ?? 0.05,
  };
  const codes = selectCodes(ds.codebook, options.codes);
  // Counted from the codes each unit carries: a pass over every unit per code was codes × units (13 s for 5,000 codes and 20,000 segments).
  const countIn = (list: readonly AnalysisUnit[]): Map<string, number> => {
    const counts = new Map<string, number>(codes.map((c) => [c, 0]));
    for (const u of list) {
      for (const c of u.codes) {
        const n = counts.get(c);
        if (n !== undefined) counts.set(c, n + 1);
      }
    }
    return counts;
  };
  const totals = countIn(units);
  const groups = groupsOf(ds, options.by)
    .filter((g) => g.value !== NONE)
    .map((g): DistinctiveGroup => {
      const ids = new Set(g.transcripts.map((t) => t.id));
      const mine = units.filter((u) => ids.has(u.transcript.id));
      const ng = mine.length;
      const nr = units.length - ng;
      const found: DistinctiveCode[] = [];
      const inGroup = countIn(mine);
      for (const code of codes) {
        const a = inGroup.get(code) ?? 0;
        const b = (totals.get(code) ?? 0) - a;
        const gap = ng > 0 && nr > 0 ? 100 * (a / ng - b / nr) : 0;
        const base = { code, label: codeLabel(ds, code), count: a, n: ng, restCount: b, restN: nr, gap };
        if (method === 'share') {
          if (passesShareRule(a, ng, b, nr, rule.minGap, rule.minCount)) found.push(base);
        } else {
          if (ng === 0 || nr === 0 || a < rule.minCount || a * nr <= b * ng) continue;
          const g2 = gSquared2x2(a, ng - a, b, nr - b);
          const p = chiSquareSurvival1(g2);
          if (p < rule.alpha) found.push({ ...base, g2, p });
        }
      }
      // Stable sort keeps codebook order among equals.
      found.sort((x, y) => (method === 'share' ? y.gap - x.gap || y.count - x.count : (y.g2 ?? 0) - (x.g2 ?? 0)));
      return { value: g.value, label: g.label, n: ng, codes: found };
    });
  return { by: options.by, byLabel: attributeLabel(ds, options.by), unit, rule, statement: distinctiveRuleStatement(rule, 'en'), groups };
}

/**
 * The rule applied, in a sentence, for the output and the report.
 *
 * @param rule
 *   The `rule` of a {@link distinctiveCodes} result.
 * @param language
 *   `en` or `fr`.
 */
export function distinctiveRuleStatement(rule: DistinctiveRule, language: Language = 'en'): string {
  if (language === 'fr') {
    const units = rule.unit === 'respondents' ? 'interviewés' : 'segments';
    if (rule.method === 'share') {
      return `Règle des parts (${rule.n} ${units} comparés${rule.auto ? `, moins de ${rule.largeCorpus}` : ''}) : un code caractérise un groupe quand la part des ${units} du groupe qui le portent dépasse d'au moins ${rule.minGap} points sa part parmi les autres ${units}, et qu'au moins ${rule.minCount} ${units} du groupe le portent.`;
    }
    return `Test du rapport de vraisemblance (G², tableau 2×2, 1 degré de liberté ; ${rule.n} ${units} comparés) : un code caractérise un groupe quand il y est plus fréquent que parmi les autres ${units}, avec p < ${rule.alpha}, et qu'au moins ${rule.minCount} ${units} du groupe le portent.`;
  }
  const units = rule.unit;
  if (rule.method === 'share') {
    return `Share rule (${rule.n} ${units} compared${rule.auto ? `, fewer than ${rule.largeCorpus}` : ''}): a code is distinctive of a group when the share of the group's ${units} carrying it is at least ${rule.minGap} points above its share among the other ${units}, and at least ${rule.minCount} ${units} of the group carry it.`;
  }
  return `Log-likelihood test (G², 2×2 table, 1 degree of freedom; ${rule.n} ${units} compared): a code is distinctive of a group when it is more frequent in the group than among the other ${units}, with p < ${rule.alpha}, and at least ${rule.minCount} ${units} of the group carry it.`;
}
