/**
 * The report's text functions on hostile text, in time linear in its length:
 * one long word, one long run of a character, many sentences. Each case times
 * two sizes (see helpers/scaling.ts); the inputs are built before anything is
 * timed, and a case repeats its call so that linear work takes long enough to
 * be timed steadily.
 */
import { describe, expect, it } from 'vitest';
import { englishTypography, frenchTypography, quoteMarks } from '../../src/report/typography.js';
import { cleanQuote, cutSentence, sentenceRanges } from '../../src/report/verbatims.js';
import { describeScaling, scaling } from '../helpers/scaling.js';

/**
 * Asserts that `make(4n)` runs within `limit` ms and less than eight times
 * slower than `make(n)`.
 *
 * @param make
 *   Builds the input of a size and returns the work on it.
 * @param reps
 *   Calls of the work per timed run.
 */
async function linear(what: string, n: number, limit: number, make: (size: number) => () => unknown, reps = 1): Promise<void> {
  const work = new Map([Math.max(1, Math.floor(n / 4)), n, 4 * n].map((size) => [size, make(size)]));
  const s = await scaling(
    (size) => {
      const f = work.get(size) as () => unknown;
      const started = performance.now();
      // Slow code stops after the call that goes over the limit (a call on the larger size may take minutes).
      for (let i = 0; i < reps && performance.now() - started <= limit; i++) f();
    },
    n,
    limit,
  );
  const message = describeScaling(what, n, s);
  expect(s.large, message).toBeLessThan(limit);
  expect(s.large / s.small, message).toBeLessThan(8);
}

describe('sentences of a long paragraph (F8)', () => {
  it('a word of 100,000 letters before a full stop', async () => {
    await linear('letters', 25_000, 2_000, (n) => {
      const text = `Nobod${'a'.repeat(n)}y told us anything. The end.`;
      return () => expect(sentenceRanges(text)).toHaveLength(2);
    }, 400);
  });

  it('20,000 sentences', async () => {
    await linear('sentences', 5_000, 2_000, (n) => {
      const text = 'There was a public meeting later. '.repeat(n);
      return () => expect(sentenceRanges(text)).toHaveLength(n);
    }, 5);
  });

  it.each(['.', '!', '?', '…'])('a run of 100,000 %j', async (mark) => {
    await linear('marks', 25_000, 2_000, (n) => {
      const text = `It was${mark.repeat(n)}strange. The end.`;
      return () => expect(sentenceRanges(text)).toHaveLength(2);
    }, 100);
  });

  it('still finds abbreviations and initials before a full stop, and words of any script', () => {
    const text = 'Voir M. Dupont et J. Martin. Puis cf. Le texte. Ensuite Mlles. Ce fut 𝐀𝐁. Alors X. La fin. Très longtemps. Fin';
    expect(sentenceRanges(text).map((r) => text.slice(r.start, r.end))).toEqual(['Voir M. Dupont et J. Martin.', 'Puis cf. Le texte.', 'Ensuite Mlles. Ce fut 𝐀𝐁.', 'Alors X. La fin.', 'Très longtemps.', 'Fin']);
  });
});

describe('quotes with a long run of white space (F9)', () => {
  it.each([' ', '\t', '\u00a0', ' \n '])('cleanQuote on 100,000 × %j', async (space) => {
    await linear('spaces', 25_000, 2_000, (n) => {
      const text = `Nobody told us${space.repeat(n / space.length)}anything (rires) at all.`;
      return () => expect(cleanQuote(text)).toBe('Nobody told us anything at all.');
    }, 150);
  });

  it('cutSentence on a sentence of 100 words with 100,000 spaces inside', async () => {
    const words = Array.from({ length: 100 }, (_, i) => `w${i}`);
    await linear('spaces', 25_000, 2_000, (n) => {
      const text = `${words.slice(0, 50).join(' ')}${' '.repeat(n)}${words.slice(50).join(' ')}.`;
      return () => expect(cutSentence(text, { start: 0, end: text.length })).toBe(text.indexOf(' w80'));
    }, 60);
  });
});

describe('typography of a long quote or label', () => {
  const NB = '\u00a0';

  it.each(['!', '?', ';'])('a run of 100,000 %j inside a word', async (mark) => {
    await linear('marks', 25_000, 2_000, (n) => {
      const text = `a${mark.repeat(n)}b`;
      return () => expect(frenchTypography(text)).toBe(text);
    }, 100);
  });

  it('a run of 100,000 spaces', async () => {
    await linear('spaces', 25_000, 2_000, (n) => {
      const text = `a${' '.repeat(n)}b »`;
      return () => expect(frenchTypography(text)).toBe(`a${' '.repeat(n)}b${NB}»`);
    }, 100);
  });

  // What looks like the start of a link target, an HTML tag or a URL, again and again, and never ends.
  it.each([
    ['](', 'link targets'],
    ['<', 'tags'],
    ['a-', 'URL schemes'],
    ['a.', 'URL schemes'],
  ])('100,000 characters of %j (%s)', async (piece) => {
    await linear('pieces', 25_000, 2_000, (n) => {
      const text = `x ${piece.repeat(n / piece.length)} y`;
      return () => {
        expect(frenchTypography(text)).toBe(text);
        expect(englishTypography(text)).toBe(text);
        expect(quoteMarks(text, 'fr')).toBe(`«${NB}${text}${NB}»`);
      };
    }, 15);
  });
});
