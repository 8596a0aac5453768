import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/corpus.js';
import { compileMatcher, unicodeBoundaries } from '../../src/coding/matcher.js';
import { scanGeneral, scanWords, TokenBuffer } from '../../src/coding/scanner.js';
import { buildTrie } from '../../src/coding/trie.js';
import { createStemmer } from '../../src/coding/stem.js';
import { tokenize } from '../../src/coding/tokenize.js';
import { fold } from '../../src/coding/normalize.js';
import { stemSlack } from '../../src/coding/trie.js';
import { loadProject } from '../../src/engine/load-project.js';
import { SourceFile } from '../../src/core/source-file.js';
import { parseCodebook } from '../../src/project/codebook.js';
import type { Codebook } from '../../src/project/model.js';
import { referenceMatch, referenceTokens } from '../helpers/reference-tagger.js';
import { dedent } from '../helpers/source.js';

function codebook(yaml: string): Codebook {
  return parseCodebook(new SourceFile('codebooks/c.yaml', dedent(yaml)))!;
}

const spans = (m: Map<string, { start: number; end: number }[]>): Record<string, string[]> =>
  Object.fromEntries([...m].map(([k, v]) => [k, v.map((e) => `${e.start}-${e.end}`).sort()]));

describe('tokenize', () => {
  it('splits French elisions (both apostrophes) and keeps offsets', () => {
    const t = tokenize("L'État, qu’il jusqu'ici lorsqu'on puisqu'elle d'aujourd'hui", 'fr');
    expect(t.map((x) => x.text)).toEqual(['État', 'il', 'ici', 'on', 'elle', "aujourd'hui"]);
    expect(t.map((x) => [x.start, x.end])).toEqual([[2, 6], [11, 13], [20, 23], [31, 33], [41, 45], [48, 59]]);
  });

  it('splits hyphenated words and keeps words with inner apostrophes', () => {
    expect(tokenize("co-construction, quelqu'un, prud'hommes", 'fr').map((x) => x.text)).toEqual(['co', 'construction', "quelqu'un", "prud'hommes"]);
  });

  it('keeps digits and combining marks in words, drops an English possessive', () => {
    expect(tokenize('cafe\u0301 2030 x2', 'fr').map((x) => x.text)).toEqual(['cafe\u0301', '2030', 'x2']);
    expect(tokenize("the state's role, don't", 'en').map((x) => x.text)).toEqual(['the', 'state', 'role', "don't"]);
  });

  it('finds the same tokens as the reference regular expression (property)', () => {
    const alphabet = fc.constantFrom(...'aeéèçœlLdDqu’\'- ,.Ét\u0301𝐀0'.split(''), 'qu', "l'", 'jusqu', ' ');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }).map((a) => a.join('')), fc.constantFrom('fr' as const, 'en' as const), (text, lang) => {
        expect(tokenize(text, lang).map((t) => [t.text, t.start, t.end])).toEqual(referenceTokens(text, lang).map((t) => [t.text, t.start, t.end]));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the two scanners', () => {
  it('the fast scanner and the general one give the same words and candidate flags (property)', () => {
    const cb = codebook(`
      codes:
        - id: a
          label: A
          keywords: [technostructure, "donneur d'ordre", centralis*, "=commune", "à lui seul", œuvre, état]
    `);
    const m = compileMatcher(cb, 'fr');
    const trie = buildTrie(m.keywords, 'fr');
    const alphabet = fc.constantFrom(...'aeéèçœlLdDqu’\'- ,.Ét\u0301'.split(''), 'techno', 'structure', 'donneur', "d'ordre", 'commune', 'état', 'œuvre', 'centralisé', 'lui', 'seul', ' ');
    const fast = new TokenBuffer();
    const general = new TokenBuffer();
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }).map((a) => a.join('')), fc.constantFrom('fr' as const, 'en' as const), (text, lang) => {
        scanWords(text, lang, fast, trie);
        scanGeneral(text, lang, general, trie, 0, text.length);
        const view = (b: TokenBuffer): number[][] => Array.from({ length: b.count }, (_, i) => [b.starts[i]!, b.ends[i]!, b.candidate[i]!]);
        expect(view(fast)).toEqual(view(general));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the trie invariant: a folded stem is a prefix of the folded word but for its slack', () => {
  it.each(['fr', 'en'] as const)('%s (property, random words)', (lang) => {
    const stem = createStemmer(lang);
    const letters = 'abcdeéèêfghiïjklmnopqrstuûvwxyzçœ'.split('');
    // Every suffix that natural's French stemmer replaces (porter_stemmer_fr.js), in both numbers, and English ones.
    const suffixes = [
      'ication', 'ications', 'icateur', 'icatrice', 'icatif', 'icatives', 'emment', 'amment', 'ence', 'ences', 'euse', 'euses', 'eusement', 'aux', 'eaux',
      'abilité', 'abilités', 'icité', 'icités', 'ier', 'ière', 'ièrement', 'Ièrement', 'logie', 'logies', 'ution', 'usions', 'ement', 'issement', 'ativement',
      'atif', 'ative', 'ité', 'ay', 'oy', 'uy', 'ys', 'ç', 'enne', 'ette', 'eille', 'guë', 'ization', 'ational', 'biliti', 'ies', 'y', 'ness', 'ing', 'ed', '',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...letters), { minLength: 1, maxLength: 9 }), fc.constantFrom(...suffixes), (chars, suffix) => {
        const word = chars.join('') + suffix;
        const s = stem(word);
        const prefix = s.slice(0, Math.max(0, s.length - stemSlack(s, lang)));
        expect(fold(word).startsWith(prefix), `${word} → ${s}`).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });
});

describe('the trie invariant on real words', () => {
  it('holds for every word of the demo corpus (fr)', () => {
    const stem = createStemmer('fr');
    const words = new Set<string>();
    for (const t of loadProject(path.join(import.meta.dirname, '../..')).transcripts) for (const w of tokenize(t.plain, 'fr')) words.add(w.text);
    expect(words.size).toBeGreaterThan(2000);
    for (const word of words) {
      const s = stem(word);
      const prefix = s.slice(0, Math.max(0, s.length - stemSlack(s, 'fr')));
      expect(fold(word).startsWith(prefix), `${word} → ${s}`).toBe(true);
    }
  });
});

describe('keyword forms', () => {
  const cb = codebook(`
    codes:
      - id: etat
        label: État
        keywords: [technostructure, "donneur d'ordre", centralis*, "=commune", "co-construction"]
        unless: [football]
      - id: motif
        label: Motif
        patterns: ['\\bà la française\\b']
  `);
  const m = compileMatcher(cb, 'fr');
  it('single stems, phrases over elisions, prefixes, exact forms, hyphens', () => {
    const text = "Les technostructures, des donneurs d'ordres centralisés ; la commune, le commun ; la coconstruction, la co-construction.";
    const found = m.match(text);
    expect([...found.keys()]).toEqual(['etat']);
    expect(found.get('etat')!.map((e) => [e.keyword, e.text])).toEqual([
      ['technostructure', 'technostructures'],
      ["donneur d'ordre", "donneurs d'ordres"],
      ['centralis*', 'centralisés'],
      ['=commune', 'commune'],
      ['co-construction', 'co-construction'],
    ]);
  });
  it('unless vetoes the code in the paragraph', () => {
    expect(m.match('La technostructure du football.').has('etat')).toBe(false);
  });
  it('rejects patterns that backtrack catastrophically, nested or in a row', () => {
    const bad = compileMatcher(codebook(`
      codes:
        - id: p
          label: P
          patterns: ['(a+)+b', '\\w*\\w*\\w*x', '\\bsous les radars?\\b']
    `), 'fr');
    expect(bad.problems.map((p) => [p.ruleId, p.index])).toEqual([
      ['unsafe-pattern', 0],
      ['unsafe-pattern', 1],
    ]);
    expect(bad.match('Ça passe sous les radars.').get('p')!.map((e) => e.text)).toEqual(['sous les radars']);
  });
  it('patterns are case-insensitive and give evidence', () => {
    expect(m.match('Un jardin À la française.').get('motif')!.map((e) => e.text)).toEqual(['À la française']);
  });
});

describe('equivalence with the plain reference', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'verbatim-bench-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the same matches as the reference on the benchmark corpus (small)', () => {
    generateCorpus({ dir, megabytes: 0.6, files: 30, seed: 7 });
    const project = loadProject(dir);
    const matcher = compileMatcher(project.codebook!, 'fr');
    let segments = 0;
    let matches = 0;
    for (const t of project.transcripts) {
      for (const s of t.segments) {
        const fast = spans(matcher.match(s.text));
        const ref = Object.fromEntries(referenceMatch(project.codebook!, 'fr', s.text));
        expect(fast, `${t.id}:${s.segment}`).toEqual(ref);
        segments++;
        matches += Object.keys(ref).length;
      }
    }
    expect(segments).toBeGreaterThan(300);
    expect(matches).toBeGreaterThan(300);
  });

  it('gives the same matches as the reference on the demo corpus', () => {
    const project = loadProject(path.join(import.meta.dirname, '../..'));
    const matcher = compileMatcher(project.codebook!, 'fr');
    for (const t of project.transcripts) {
      for (const s of t.segments) expect(spans(matcher.match(s.text)), `${t.id}:${s.segment}`).toEqual(Object.fromEntries(referenceMatch(project.codebook!, 'fr', s.text)));
    }
  });
});

describe('\\b in patterns', () => {
  const W = '[\\p{L}\\p{M}\\p{N}_]';
  it('becomes a single lookaround next to letters or groups of words (keeps the search fast)', () => {
    expect(unicodeBoundaries('\\b(faire|agir) autrement\\b')).toBe(`(?<!${W})(faire|agir) autrement(?!${W})`);
    expect(unicodeBoundaries('\\bà la (française|rigueur)\\b')).toBe(`(?<!${W})à la (française|rigueur)(?!${W})`);
    expect(unicodeBoundaries('\\b(a+|b)\\b')).toContain('(?:(?<!');
    expect(unicodeBoundaries('[\\b]x\\\\b')).toBe('[\\b]x\\\\b');
  });
  it.each([
    ['\\b(faire|agir) autrement\\b', 'Il faut agir autrement.', 'agir autrement'],
    ['\\bété\\b', "l'été dernier", 'été'],
    ['\\bété\\b', 'les étés', null],
    ['\\bà la française\\b', 'À la française, oui', 'À la française'],
  ] as const)('%s on %s', (re, text, want) => {
    expect(new RegExp(unicodeBoundaries(re), 'iu').exec(text)?.[0] ?? null).toBe(want);
  });
});
