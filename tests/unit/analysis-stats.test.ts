import { describe, expect, it } from 'vitest';
import { chiSquareSurvival1, erfc, gSquared2x2 } from '../../src/analysis/stats.js';

describe('erfc', () => {
  it('matches reference values', () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(0.5)).toBeCloseTo(0.4795001222, 7);
    expect(erfc(1)).toBeCloseTo(0.1572992071, 7);
    expect(erfc(2)).toBeCloseTo(0.004677735, 8);
    expect(erfc(-1)).toBeCloseTo(1.8427007929, 7);
    expect(erfc(10)).toBeLessThan(1e-40);
  });
});

describe('chiSquareSurvival1', () => {
  it('gives the textbook critical values of one degree of freedom', () => {
    expect(chiSquareSurvival1(3.841)).toBeCloseTo(0.05, 4);
    expect(chiSquareSurvival1(3.841459)).toBeCloseTo(0.05, 6);
    expect(chiSquareSurvival1(6.635)).toBeCloseTo(0.01, 5);
    expect(chiSquareSurvival1(10.828)).toBeCloseTo(0.001, 6);
  });

  it('is 1 at zero and below', () => {
    expect(chiSquareSurvival1(0)).toBe(1);
    expect(chiSquareSurvival1(-2)).toBe(1);
    expect(chiSquareSurvival1(Number.NaN)).toBe(1);
  });
});

describe('gSquared2x2', () => {
  it('computes 2 Σ O ln(O/E)', () => {
    // Expected counts 20, 20 / 30, 30: 2 (30 ln 1.5 + 10 ln 0.5 + 20 ln(2/3) + 40 ln(4/3)).
    expect(gSquared2x2(30, 10, 20, 40)).toBeCloseTo(17.260924347, 8);
    // All expectations 1.5: 2 (4 ln(4/3) + 2 ln(2/3)).
    expect(gSquared2x2(2, 1, 1, 2)).toBeCloseTo(0.679596147, 8);
  });

  it('skips empty cells', () => {
    // Rows 2/2, columns 2/2, E = 1: 2 (2 ln 2 + 2 ln 2).
    expect(gSquared2x2(2, 0, 0, 2)).toBeCloseTo(8 * Math.log(2), 10);
  });

  it('is 0 for independence and for an empty row or column', () => {
    expect(gSquared2x2(3, 3, 5, 5)).toBeCloseTo(0, 12);
    expect(gSquared2x2(0, 0, 4, 5)).toBe(0);
    expect(gSquared2x2(4, 0, 5, 0)).toBe(0);
  });
});
