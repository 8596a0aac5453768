import { describe, expect, it } from 'vitest';
import { englishTypography, formatInteger, formatPercent, frenchTypography, lowerFirst, quoteMarks, typography } from '../../src/report/typography.js';

const NB = '\u00a0';
const NN = '\u202f';

describe('French typography', () => {
  it.each([
    ['Période: mai', `Période${NB}: mai`],
    ['Période : mai', `Période${NB}: mai`],
    ['**Période :** mai', `**Période${NB}:** mai`],
    ['Vraiment ?', `Vraiment${NB}?`],
    ['Vraiment?! Oui.', `Vraiment${NB}?! Oui.`],
    ['a ; b', `a${NB}; b`],
    ['Stop!', `Stop${NB}!`],
    ['le "temps" long', `le «${NB}temps${NB}» long`],
    ['un « mot » ici', `un «${NB}mot${NB}» ici`],
    ['un «mot» ici', `un «${NB}mot${NB}» ici`],
    ['67%', `67${NN}%`],
    ['67 %', `67${NN}%`],
  ])('%j → %j', (input, expected) => {
    expect(frenchTypography(input)).toBe(expected);
  });

  it.each([
    ['à 12:30 précises'],
    ['le segment E07:12 est codé'],
    ['voir https://example.org/a?b=1:2 ici'],
    ['voir [la charte](https://example.org/x?y=1) ici'],
    ['du code `a: b ?` ici'],
    ['![image](x.png)'],
    ['une question (?) ouverte'],
    ['<!-- note: rien ? -->'],
    ['```\nclé: valeur ?\n```'],
  ])('leaves %j alone', (input) => {
    expect(frenchTypography(input)).toBe(input);
  });

  it('is idempotent', () => {
    const text = 'Le « temps » : un "enjeu" ; vraiment ? Oui ! 50 % des cas: voir https://x.org/?a=1.';
    const once = frenchTypography(text);
    expect(frenchTypography(once)).toBe(once);
    expect(once).toBe(`Le «${NB}temps${NB}»${NB}: un «${NB}enjeu${NB}»${NB}; vraiment${NB}? Oui${NB}! 50${NN}% des cas${NB}: voir https://x.org/?a=1.`);
  });
});

describe('English typography', () => {
  it('curls double quotes and adds no space', () => {
    expect(englishTypography('Note: they said "yes" ?')).toBe('Note: they said “yes” ?');
    expect(typography('a: b', 'en')).toBe('a: b');
  });
});

describe('quoteMarks', () => {
  it('wraps French verbatims in « » with no-break spaces, inner quotes curly', () => {
    expect(quoteMarks(' Il a dit "non" ! ', 'fr')).toBe(`«${NB}Il a dit “non”${NB}!${NB}»`);
  });
  it('wraps English verbatims in “ ”, inner quotes single', () => {
    expect(quoteMarks('it is "fine"', 'en')).toBe('“it is ‘fine’”');
  });
});

describe('figures', () => {
  it('groups thousands with a narrow no-break space in French, a comma in English', () => {
    expect(formatInteger(12345, 'fr')).toBe(`12${NN}345`);
    expect(formatInteger(1234567, 'en')).toBe('1,234,567');
    expect(formatInteger(999, 'fr')).toBe('999');
  });
  it('rounds percentages and writes the French space before %', () => {
    expect(formatPercent(2, 3, 'fr')).toBe(`67${NN}%`);
    expect(formatPercent(1, 3, 'en')).toBe('33%');
    expect(formatPercent(1, 0, 'fr')).toBe('–');
  });
  it('lowers the first letter of a label, not of an acronym', () => {
    expect(lowerFirst('Décideurs politiques')).toBe('décideurs politiques');
    expect(lowerFirst('AMF')).toBe('AMF');
    expect(lowerFirst('Sphère d’action')).toBe('sphère d’action');
  });
});
