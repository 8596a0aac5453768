/** The Redactor: normalised matching, masking in the original characters, cuts, leak views. */
import { describe, expect, it } from 'vitest';
import { MASK, createRedactor, normalisedForm } from '../../src/core/redact.js';

const mask = (secrets: string[], text: string): string => createRedactor(secrets).mask(text);

describe('normalised matching', () => {
  it.each([
    ['decomposed (NFD)', ['Hélène Müller'], 'said He\u0301le\u0300ne Mu\u0308ller.', `said ${MASK}.`],
    ['decomposed secret, composed text', ['He\u0301le\u0300ne'], 'Hélène came', `${MASK} came`],
    ['case', ['Jean Dupont'], 'JEAN DUPONT and jean dupont', `${MASK} and ${MASK}`],
    ['ß and SS', ['Strauß'], 'STRAUSS, Strauss, STRAUẞ', `${MASK}, ${MASK}, ${MASK}`],
    ['SS in the secret, ß in the text', ['STRASSE'], 'die Straße', `die ${MASK}`],
    ['curly apostrophes', ["O'Brien"], 'O’Brien, o‘brien, Oʼbrien, O`Brien', `${MASK}, ${MASK}, ${MASK}, ${MASK}`],
    ['a curly apostrophe in the secret', ['O’Brien'], "O'Brien", MASK],
    ['dashes', ['Jean-Pierre'], 'Jean–Pierre, Jean‑Pierre, Jean−Pierre', `${MASK}, ${MASK}, ${MASK}`],
    ['a soft hyphen inside', ['Villeneuve'], 'Ville\u00adneuve.', `${MASK}.`],
    ['zero-width and bidi characters inside', ['Villeneuve'], 'Vil\u200ble\u200d\u2060neu\u200eve\ufeff!', `${MASK}\ufeff!`],
    ['a line wrap after a hyphen', ['Villeneuve'], 'in Ville-\nneuve.', `in ${MASK}.`],
    ['a hyphenated name wrapped at its hyphen', ['Jean-Pierre'], 'Jean-\r\n  Pierre came', `${MASK} came`],
    ['a soft hyphen at a line end', ['Villeneuve'], 'Ville\u00ad\nneuve', MASK],
    ['a name across a line break', ['Jean Dupont'], 'Jean\n   Dupont', MASK],
    ['no-break and narrow spaces', ['Jean Dupont'], 'Jean\u00a0Dupont, Jean\u202f\tDupont', `${MASK}, ${MASK}`],
    ['not across a paragraph break', ['Jean Dupont'], 'Jean\n\nDupont', 'Jean\n\nDupont'],
    ['not a hyphen that is no wrap', ['Villeneuve'], 'Ville-neuve, Ville- neuve, Ville-\n\nneuve', 'Ville-neuve, Ville- neuve, Ville-\n\nneuve'],
    ['the longest first', ['Jean', 'Jean Dupont'], 'Jean Dupont and Jean', `${MASK} and ${MASK}`],
    ['Markdown characters in a secret', ['jd_75', 'Garage <Dupont>', 'a*b\\c'], 'jd_75, garage <dupont>, A*B\\C', `${MASK}, ${MASK}, ${MASK}`],
    ['final sigma', ['ΟΔΟΣ'], 'οδος and ΟΔΟΣ', `${MASK} and ${MASK}`],
    ['a letter outside the BMP', ['𝐀li'], 'x 𝐀li x', `x ${MASK} x`],
  ])('%s', (_name, secrets, text, expected) => {
    expect(mask(secrets, text)).toBe(expected);
  });

  it('masks the original characters only', () => {
    const r = createRedactor(['Dupont']);
    expect(r.ranges('« Du\u00adpont »')).toEqual([[2, 9]]);
    expect(r.ranges('He said: DUPONT.')).toEqual([[9, 15]]);
  });

  it('is the identity without secrets (or with blank ones)', () => {
    for (const r of [createRedactor([]), createRedactor(['  ', '\u200b'])]) {
      expect(r.isEmpty).toBe(true);
      expect(r.mask('Jean Dupont')).toBe('Jean Dupont');
      expect(r.ranges('Jean Dupont')).toEqual([]);
    }
  });

  it('is built once per set of secrets', () => {
    expect(createRedactor(['a', 'b'])).toBe(createRedactor([' b', 'a', 'a']));
  });

  it('the normalised form', () => {
    expect(normalisedForm('He\u0301LE\u0300NE  O’Brien—Ville-\nneuve STRAßE\u00a0\n x\n\ny')).toBe("hélène o'brien-villeneuve strasse x\ny");
  });
});

describe('slicer', () => {
  it('never shows half a name', () => {
    const text = 'said Jean Dupont to them';
    const slice = createRedactor(['Jean Dupont']).slicer(text);
    expect(slice(0, 8)).toBe(`said ${MASK}`);
    expect(slice(12, 24)).toBe(`${MASK} to them`);
    expect(slice(0, text.length)).toBe(`said ${MASK} to them`);
    expect(slice(5, 5)).toBe('');
  });
});

describe('leaks in decoded views', () => {
  const r = createRedactor(['Hélène', 'jd_75', 'Paul Bert', 'O"Neil']);
  it.each([
    ['json', '{"a": "H\\u00e9l\\u00e8ne"}', [[7, 23]]],
    ['json', '{"a": "Paul\\nBert"}', [[7, 17]]],
    ['markdown', 'wrote jd\\_75.', [[6, 12]]],
    ['markdown', 'H&eacute;l&#232;ne and *Paul* Bert', [[0, 18], [24, 34]]],
    ['xml', '<a n="H&#233;l&#xE8;ne"/>', [[6, 22]]],
    ['csv', 'a,"O""Neil"', [[3, 10]]],
    ['text', 'H\\u00e9l\\u00e8ne', []],
  ] as const)('%s: %s', (kind, text, expected) => {
    expect(r.leaks(text, kind)).toEqual(expected);
  });

  it('a leak found in the text and in its view is one', () => {
    expect(r.leaks('Hélène and H&eacute;l&egrave;ne', 'markdown')).toEqual([[0, 6], [11, 31]]);
  });
});

describe('a very long list of names', () => {
  it('60,000 names of 50 characters (3 MB of pattern) are all found, first and last', () => {
    const names = Array.from({ length: 60_000 }, (_, i) => `Prénom${i.toString(36)} Nom${(i * 7919).toString(36)} de la Fontaine-Dupont-${i}`);
    const r = createRedactor(names);
    const text = `Avec ${names[0] as string}, puis ${names[59_999] as string} et ${names[30_000] as string}.`;
    expect(r.mask(text)).toBe(`Avec ${MASK}, puis ${MASK} et ${MASK}.`);
  }, 60_000);
});
