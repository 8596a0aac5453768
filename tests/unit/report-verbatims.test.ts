import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/analysis/dataset.js';
import { createRedactor } from '../../src/core/redact.js';
import type { Transcript } from '../../src/project/model.js';
import { cleanQuote, countWords, cutSentence, sentenceRanges, sentenceWindows, spanWindows, VerbatimPicker, windowText } from '../../src/report/verbatims.js';
import { loadProject } from '../../src/engine/load-project.js';
import { codeProject } from '../../src/engine/pipeline.js';
import { codedFixture, DEMO_ROOT } from '../helpers/analysis-fixture.js';

const slices = (text: string, ranges: { start: number; end: number }[]): string[] => ranges.map((r) => text.slice(r.start, r.end));

describe('words and sentences', () => {
  it('counts elided and hyphenated words once', () => {
    expect(countWords("Aujourd'hui, la co-construction marche. 12 fois !")).toBe(6);
  });

  it('splits sentences, not after titles or before lower case', () => {
    const text = 'Bonjour. M. Dupont est là ! Il dit… bon, ça va. (rire) Fin';
    expect(slices(text, sentenceRanges(text))).toEqual(['Bonjour.', 'M. Dupont est là !', 'Il dit… bon, ça va.', '(rire) Fin']);
  });

  it('works on a part of a text, with offsets in the whole text', () => {
    const text = 'AAA. Un. Deux. BBB';
    const r = sentenceRanges(text, 5, 14);
    expect(slices(text, r)).toEqual(['Un.', 'Deux.']);
    expect(r[0]).toEqual({ start: 5, end: 8 });
  });
});

describe('cleanQuote', () => {
  it('drops stage directions, fillers and emphasis', () => {
    expect(cleanQuote("Alors… euh, à la base (rire) c'est *très* simple.")).toBe("Alors… à la base c'est très simple.");
    expect(cleanQuote('Oui, euh… oui (Rires). Bon.')).toBe('Oui, oui. Bon.');
  });
  it('capitalises a sentence start only', () => {
    expect(cleanQuote('et voilà.')).toBe('Et voilà.');
    expect(cleanQuote('et voilà.', false)).toBe('et voilà.');
  });
  it('escapes Markdown specials', () => {
    expect(cleanQuote('a_b <c>')).toBe('A\\_b \\<c>');
  });
});

describe('cutting', () => {
  const words = (n: number, from = 1): string => Array.from({ length: n }, (_, i) => `W${i + from}`).join(' ');

  it('cuts an over-long sentence at its last comma before the limit', () => {
    const text = `${words(50)}, ${words(50, 51)}.`;
    const end = cutSentence(text, { start: 0, end: text.length });
    expect(text.slice(0, end)).toBe(words(50));
  });

  it('cuts at a semicolon right after a dash between spaces', () => {
    // The dash's place takes the space after it; the semicolon's place starts right after that space.
    expect(cutSentence('w — ;w\nw', { start: 0, end: 9 }, 1, 2)).toBe(4);
    expect(cutSentence('w —  ;w\nw', { start: 0, end: 10 }, 1, 2)).toBe(4);
  });

  it('cuts after the 80th word when there is no comma', () => {
    const text = `${words(100)}.`;
    expect(text.slice(0, cutSentence(text, { start: 0, end: text.length }))).toBe(words(80));
  });

  it('makes runs of whole sentences between the limits', () => {
    const text = `${words(10)}. ${words(10, 11)}. ${words(70, 21)}.`;
    const s = sentenceRanges(text);
    const w = sentenceWindows(text, s).map((x) => [countWords(text.slice(x.start, x.end)), x.cutEnd]);
    // 10 alone is too short; 10+10 = 20; 10+70 = 80; 70 alone; 10+10+70 = 90 is too long.
    expect(w).toEqual([
      [20, false],
      [80, false],
      [70, false],
    ]);
  });
});

describe('spanWindows', () => {
  const text = 'Premier point du jour. Nous voulons un jardin ouvert à tous les habitants du quartier sans exception aucune, vraiment. Merci.';
  const s = sentenceRanges(text);
  const at = (words: string) => ({ start: text.indexOf(words), end: text.indexOf(words) + words.length });

  it('grows a short span to its whole sentence', () => {
    const w = spanWindows(text, s, at('un jardin ouvert à tous'));
    expect(w.map((x) => [text.slice(x.start, x.end), x.cutStart, x.cutEnd])).toEqual([[text.slice(s[1]?.start, s[1]?.end), false, false]]);
  });

  it('then to the next sentences, then the previous ones', () => {
    const w = spanWindows(text, s, at('un jardin ouvert à tous'), 20, 80);
    expect(w.map((x) => text.slice(x.start, x.end))).toEqual([text]);
  });

  it('keeps a span starting and ending inside a sentence, with […] at both ends', () => {
    const w = spanWindows(text, s, at('jardin ouvert à tous les habitants'), 5, 80);
    expect(w).toHaveLength(1);
    expect(windowText(text, w[0] as never)).toBe('[…] jardin ouvert à tous les habitants […]');
  });

  it('takes the final full stop a span stops short of', () => {
    const w = spanWindows(text, s, at('Nous voulons un jardin ouvert à tous les habitants du quartier sans exception aucune, vraiment'), 5, 80);
    expect(w.map((x) => [text.slice(x.start, x.end), x.cutStart, x.cutEnd])).toEqual([[text.slice(s[1]?.start, s[1]?.end), false, false]]);
  });

  it("shortens a long span to runs of sentences, saying where (the 15-word sentence is cut after its 10th word)", () => {
    const span = { start: 0, end: (s[1] as { end: number }).end };
    const w = spanWindows(text, s, span, 3, 10);
    expect(w.map((x) => windowText(text, x))).toEqual(['Premier point du jour. […]', '[…] Nous voulons un jardin ouvert à tous les habitants du […]']);
  });
});

describe('VerbatimPicker', () => {
  const project = codedFixture('report');
  const demo = codeProject(loadProject(DEMO_ROOT));
  const secrets = project.transcripts.flatMap((t) => t.redact);

  it('quotes manual spans first, then other respondents, one each', () => {
    const picker = new VerbatimPicker(project, { redactor: createRedactor(secrets), language: 'fr' });
    const v = picker.pick(project, 'accueil.ouverture', 5);
    expect(v.map((x) => x.tier).slice(0, 2)).toEqual([0, 0]);
    expect(new Set(v.slice(0, 2).map((x) => x.transcript))).toEqual(new Set(['A1', 'A5']));
    // Five respondents carry the code: five different ones are quoted.
    expect(new Set(v.map((x) => x.transcript)).size).toBe(5);
    for (const x of v) {
      expect(x.words).toBeGreaterThanOrEqual(15);
      expect(x.words).toBeLessThanOrEqual(80);
      expect(x.text).not.toMatch(/\{[#!]|\]\{/u);
    }
  });

  it('masks redacted strings and never quotes an excerpt twice', () => {
    const picker = new VerbatimPicker(project, { redactor: createRedactor(secrets), language: 'fr' });
    const first = picker.pick(project, 'accueil.ouverture', 3);
    const a5 = first.find((x) => x.transcript === 'A5');
    expect(a5?.text).toContain('jardin de [·] à des personnes');
    expect(first.map((x) => x.text).join(' ')).not.toMatch(/Saint-Brisson|Vidalenc/iu);
    const again = picker.pick(project, 'accueil.ouverture', 3);
    for (const x of again) for (const y of first) expect(x.transcript === y.transcript && x.start < y.end && y.start < x.end).toBe(false);
  });

  it('is deterministic', () => {
    const a = new VerbatimPicker(project, { language: 'fr' }).pick(project, 'accueil.ecoute', 3);
    const b = new VerbatimPicker(project, { language: 'fr' }).pick(project, 'accueil.ecoute', 3);
    expect(a).toEqual(b);
    expect(a).toHaveLength(3);
  });

  it('chooses what ranking every excerpt chooses, when the manual codings decide and when they do not', () => {
    for (const ds of [project, codedFixture('analysis'), demo]) {
      const codes = [...new Set(ds.codings.map((c) => c.code))].sort();
      const mixed = codes.filter((code) => ds.codings.some((c) => c.code === code && c.origin === 'manual') && ds.codings.some((c) => c.code === code && c.origin === 'auto'));
      expect(mixed.length).toBeGreaterThan(0);
      for (const n of [1, 2, 4]) {
        const fast = new VerbatimPicker(ds, { redactor: createRedactor(secrets), language: 'fr' });
        const slow = new VerbatimPicker(ds, { redactor: createRedactor(secrets), language: 'fr', shortcut: false });
        // In order, as a report asks: what one code quotes is not quoted again for the next.
        for (const code of codes) expect(fast.pick(ds, code, n), `${code}, ${n}`).toEqual(slow.pick(ds, code, n));
      }
    }
  });

  it('has nothing for a code without codings, or when asked for none', () => {
    const picker = new VerbatimPicker(project, { language: 'fr' });
    expect(picker.pick(project, 'accueil', 3)).toEqual([]);
    expect(picker.pick(project, 'accueil.ecoute', 0)).toEqual([]);
  });
});

describe('a cut through a redacted name', () => {
  // One sentence of 100 words whose 80th and 81st words are a redacted name: the cut after
  // the 80th word would leave the first name visible.
  const words = Array.from({ length: 79 }, (_, i) => `W${i + 1}`).join(' ');
  const plain = `${words} Odile Ferrandon ${Array.from({ length: 19 }, (_, i) => `w${i + 82}`).join(' ')}.`;
  const t = { id: 'T1', label: 'T', attributes: {}, language: 'fr', plain, redact: [], segments: [{ index: 0, segment: 1, start: 0, end: plain.length, text: plain }] } as unknown as Transcript;
  const ds: Dataset<Transcript> = { transcripts: [t], codings: [{ transcript: 'T1', segment: 1, code: 'x', origin: 'manual', start: 0, end: plain.length, span: false }] };

  it('widens the excerpt to the whole name, which the mask then hides', () => {
    const [v] = new VerbatimPicker(ds, { redactor: createRedactor(['Odile Ferrandon']), language: 'fr' }).pick(ds, 'x', 1);
    expect(v?.text.endsWith('W79 [·] […]')).toBe(true);
    expect(v?.text).not.toMatch(/Odile|Ferrandon/u);
  });

  it('would leave the first name without a redactor', () => {
    const [v] = new VerbatimPicker(ds, { language: 'fr' }).pick(ds, 'x', 1);
    expect(v?.text.endsWith('W79 Odile […]')).toBe(true);
  });
});
