import { describe, expect, it } from 'vitest';
import { QUANTIFIER_WORDS, quantifier, quantifierLevel } from '../../src/analysis/quantifier.js';

describe('quantifierLevel', () => {
  it('follows the documented table for a dozen interviews', () => {
    const levels = Array.from({ length: 13 }, (_, k) => quantifierLevel(k, 12));
    expect(levels).toEqual(['none', 'one', 'some', 'several', 'several', 'several', 'many', 'many', 'many', 'most', 'most', 'most', 'all']);
  });

  it('puts the boundaries on the right side', () => {
    expect(quantifierLevel(3, 4)).toBe('most'); // 75 % exactly
    expect(quantifierLevel(2, 4)).toBe('many'); // 50 % exactly
    expect(quantifierLevel(7, 10)).toBe('many'); // 70 %
    expect(quantifierLevel(3, 12)).toBe('several'); // 25 % exactly, 3 respondents
    expect(quantifierLevel(2, 8)).toBe('some'); // 25 % but only 2
    expect(quantifierLevel(5, 21)).toBe('some'); // 23.8 %
    expect(quantifierLevel(2, 3)).toBe('many'); // 67 %
  });

  it('says one for a single respondent, even in a group of one', () => {
    expect(quantifierLevel(1, 1)).toBe('one');
    expect(quantifierLevel(1, 12)).toBe('one');
    expect(quantifierLevel(2, 2)).toBe('all');
    expect(quantifierLevel(0, 0)).toBe('none');
  });
});

describe('quantifier', () => {
  it('gives the French words of a restitution', () => {
    expect(quantifier(1, 12, 'fr')).toEqual({ level: 'all', word: 'unanime', phrase: "l'ensemble des interviewés" });
    expect(quantifier(10 / 12, 12, 'fr')).toEqual({ level: 'most', word: 'la plupart', phrase: 'la plupart des interviewés' });
    expect(quantifier(0.5, 12, 'fr')).toEqual({ level: 'many', word: 'de nombreux', phrase: 'de nombreux interviewés' });
    expect(quantifier(4 / 12, 12, 'fr')).toEqual({ level: 'several', word: 'plusieurs', phrase: 'plusieurs interviewés' });
    expect(quantifier(2 / 12, 12, 'fr')).toEqual({ level: 'some', word: 'certains', phrase: 'certains interviewés' });
    expect(quantifier(1 / 12, 12, 'fr')).toEqual({ level: 'one', word: 'un seul', phrase: 'un seul interviewé' });
    expect(quantifier(0, 12, 'fr')).toEqual({ level: 'none', word: 'aucun', phrase: 'aucun interviewé' });
  });

  it('gives the English words', () => {
    expect(quantifier(1, 5, 'en')).toEqual({ level: 'all', word: 'unanimous', phrase: 'all the interviewees' });
    expect(quantifier(0.8, 5, 'en')).toEqual({ level: 'most', word: 'most', phrase: 'most interviewees' });
    expect(quantifier(1 / 5, 5, 'en')).toEqual({ level: 'one', word: 'one', phrase: 'a single interviewee' });
  });

  it('rounds the share to a whole number of respondents', () => {
    // 0.7499… of 12 is 9 respondents, so "most", not "many".
    expect(quantifier(8.99999 / 12, 12, 'en').level).toBe('most');
  });

  it('has every level in both languages', () => {
    expect(Object.keys(QUANTIFIER_WORDS.fr).sort()).toEqual(Object.keys(QUANTIFIER_WORDS.en).sort());
  });
});
