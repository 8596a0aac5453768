/**
 * Property tests of the WebAssembly word scanner (src/wasm/scan.ts, loaded by
 * src/coding/wasm-scanner.ts) against the string scanner of
 * src/coding/scanner.ts: on the UTF-8 bytes of a text, it must find the same
 * words (byte offsets, converted back to UTF-16 offsets) and flag the same
 * candidates, on the whole text and on any range of it; give up on characters
 * outside the Basic Multilingual Plane; and give equal word forms, and only
 * those, the same form id. Skipped when dist/wasm/scan.wasm has not been built.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMatcher } from '../../src/coding/matcher.js';
import { scanWords, TokenBuffer, type ScanTrie } from '../../src/coding/scanner.js';
import { buildTrie } from '../../src/coding/trie.js';
import { wasmScanner, type WasmScanner } from '../../src/coding/wasm-scanner.js';
import { skipBecause } from '../helpers/skip.js';
import { SourceFile } from '../../src/core/source-file.js';
import { parseCodebook } from '../../src/project/codebook.js';
import type { Codebook, Language } from '../../src/project/model.js';
import { dedent } from '../helpers/source.js';
import { ROOT } from './helpers.js';

const scanner = wasmScanner();
skipBecause('the WebAssembly scanner properties', scanner ? undefined : 'dist/wasm/scan.wasm is not built (`npm run build`) or WebAssembly is unavailable');
const LANGUAGES = ['fr', 'en'] as const;

function codebook(yaml: string): Codebook {
  return parseCodebook(new SourceFile('codebooks/c.yaml', dedent(yaml)))!;
}

/** Keywords whose trie prefixes hold accents, ligatures, ß, ſ, apostrophes, Greek, Cyrillic and CJK. */
const KEYWORDS = codebook(`
  codes:
    - id: a
      label: A
      keywords: [technostructure, "donneur d'ordre", centralis*, "=commune", "à lui seul", œuvre, état, "aujourd'hui", "prud'hommes", "kilo*", straße, cœur, élan, ėlektra, ķēde, союз, αλληλεγγύη, ſtate, co-construction, alliance, "don't", stakeholder, "=中文"]
      unless: [football]
`);
/** The demo codebook: a realistic trie of a few hundred keywords. */
const ALLIANCES = parseCodebook(new SourceFile('codebooks/alliances.yaml', readFileSync(path.join(ROOT, 'codebooks/alliances.yaml'), 'utf8')))!;
/** An English keyword whose stem is shorter than the stem slack: the trie's root is terminal, every word is a candidate. */
const ROOT_TERMINAL = codebook(`
  codes:
    - id: o
      label: O
      keywords: [ox]
`);

/** The tries to scan with, per language: the keywords above, the demo codebook's, and an empty one (no candidates). */
function triesFor(language: Language): { keywords: ScanTrie; alliances: ScanTrie; empty: ScanTrie } {
  return { keywords: compileMatcher(KEYWORDS, language).parts.trie, alliances: compileMatcher(ALLIANCES, language).parts.trie, empty: buildTrie([], language) };
}
const TRIES = { fr: triesFor('fr'), en: triesFor('en') };
const KEYWORD_TRIE: Record<Language, ScanTrie> = { fr: TRIES.fr.keywords, en: TRIES.en.keywords };
const ROOT_TRIE = compileMatcher(ROOT_TERMINAL, 'en').parts.trie;

// ─── Texts ───────────────────────────────────────────────────────────────────

/** A word with each character in upper or lower case at random. */
function anyCase(word: string): fc.Arbitrary<string> {
  const chars = [...word];
  return fc.array(fc.boolean(), { minLength: chars.length, maxLength: chars.length }).map((up) => chars.map((c, i) => (up[i] ? c.toUpperCase() : c)).join(''));
}

const SEPARATORS = [' ', ' ', ' ', '  ', '\t', '\n', '\n\n', ',', '.', ';', ':', '!', '?', '(', ')', '-', '_', '«', '»', '"', '*', ' ; ', '\u00a0', '\u202f', '×', '÷', '·', '…', '–'];
const APOSTROPHES = ["'", '’'];
const ASCII_WORD_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split('');
/**
 * Letters and marks of every UTF-8 length: ė (C4 97), ķ (C4 B7), ŗ (C5 97),
 * ŷ (C5 B7), η, з, ї… end with the bytes of × (C3 97) and ÷ (C3 B7); ſ and
 * the Kelvin sign fold to s and k, the ohm sign to ω; İ folds to i; œ and æ
 * to two letters.
 */
const OTHER_WORD_CHARS = [
  'é', 'è', 'ê', 'à', 'ç', 'ô', 'î', 'ù', 'û', 'ë', 'ï', 'œ', 'Œ', 'æ', 'É', 'À', 'Ç', 'ß', 'ſ', '\u212a', 'İ', 'ė', 'ķ', 'ŗ', 'ŷ', 'ª', 'ñ',
  '\u0301', '\u0301', '\u0327', 'α', 'Ω', 'ς', 'λ', 'η', 'Η', 'ж', 'Я', 'ю', 'з', 'З', 'ї', 'ѷ', '中', '文', '字', 'ḗ', 'ẞ', '\u2126', 'ʼ', 'µ', 'º', '¹', '½', '٣', 'א',
];
/** Words of the keywords, inflected, in any case, with either apostrophe: they make candidates. */
const KEYWORD_WORDS = [
  'technostructure', 'technostructures', 'donneur', 'donneurs', 'ordre', 'ordres', 'centralisé', 'centralisation', 'commune', 'communes', 'seul', 'seule',
  'œuvre', 'oeuvres', 'état', 'États', "aujourd'hui", 'aujourd’hui', "prud'hommes", 'prud’homme', 'kilomètre', '\u212ailo', 'straße', 'STRASSE', 'cœur', 'coeurs',
  'élan', 'ėlektra', 'ķēde', 'союз', 'союзы', 'αλληλεγγύη', 'ſtate', 'state', 'construction', 'co-construction', 'alliance', 'alliances', "don't", 'don’t',
  'stakeholder', "stakeholder's", 'stakeholders', '中文', 'Paul', "Paul's", 'Paul’s', 'réussir', 'acteur', 'acteurs', 'intérêt', 'incontournable', 'coin',
  'e\u0301tat', 'cafe\u0301', 'football', 's', 'S',
];
const ELISIONS = ['l', 'd', 'j', 'n', 's', 'c', 'm', 't', 'qu', 'jusqu', 'lorsqu', 'puisqu', 'quoiqu', 'quelqu', 'aujourd', 'x'];

const keywordWord = fc.constantFrom(...KEYWORD_WORDS).chain((w) => fc.oneof({ weight: 3, arbitrary: fc.constant(w) }, { weight: 1, arbitrary: anyCase(w) }));
const elision = fc.tuple(fc.constantFrom(...ELISIONS).chain(anyCase), fc.constantFrom(...APOSTROPHES)).map(([e, a]) => e + a);
const asciiRun = fc.array(fc.constantFrom(...ASCII_WORD_CHARS), { minLength: 1, maxLength: 8 }).map((cs) => cs.join(''));

/** Any character of the Basic Multilingual Plane but the surrogates, for what the lists above miss. */
const bmpChar = fc.integer({ min: 0, max: 0xffff - 0x800 }).map((c) => String.fromCharCode(c < 0xd800 ? c : c + 0x800));

/** One piece of a text, from everything above. */
const piece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...SEPARATORS) },
  { weight: 2, arbitrary: fc.constantFrom(...APOSTROPHES) },
  { weight: 4, arbitrary: fc.constantFrom(...ASCII_WORD_CHARS) },
  { weight: 3, arbitrary: asciiRun },
  { weight: 4, arbitrary: fc.constantFrom(...OTHER_WORD_CHARS) },
  { weight: 5, arbitrary: keywordWord },
  { weight: 3, arbitrary: elision },
  { weight: 1, arbitrary: fc.constantFrom("'s", '’s', "'S", "s'", "'s'") },
  { weight: 2, arbitrary: bmpChar },
);
/** Texts of the Basic Multilingual Plane. */
const bmpText = fc.array(piece, { maxLength: 60, size: 'max' }).map((ps) => ps.join(''));

const ASTRAL = ['😀', '𝔸', '𝐀', '𠀀', '🇫🇷'];
/** Texts with, now and then, characters outside the Basic Multilingual Plane. */
const anyText = fc
  .array(fc.oneof({ weight: 30, arbitrary: piece }, { weight: 1, arbitrary: fc.constantFrom(...ASTRAL) }), { maxLength: 60, size: 'max' })
  .map((ps) => ps.join(''));

// ─── Both scanners, side by side ─────────────────────────────────────────────

/** A text's UTF-8 bytes, with the UTF-16 offset of each character boundary (-1 inside a character) and the boundaries. */
interface Encoded {
  text: string;
  bytes: Buffer;
  unitAt: Int32Array;
  /** [UTF-16 offset, byte offset] of each character boundary, end included. */
  boundaries: [number, number][];
}

function encode(text: string): Encoded {
  const bytes = Buffer.from(text, 'utf8');
  const unitAt = new Int32Array(bytes.length + 1).fill(-1);
  const boundaries: [number, number][] = [];
  let b = 0;
  let u = 0;
  for (const ch of text) {
    unitAt[b] = u;
    boundaries.push([u, b]);
    const cp = ch.codePointAt(0) as number;
    b += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    u += ch.length;
  }
  unitAt[b] = u;
  boundaries.push([u, b]);
  expect(b).toBe(bytes.length);
  return { text, bytes, unitAt, boundaries };
}

/** Tokens in UTF-16 offsets, and the indices of the candidates. */
interface Tokens {
  spans: [number, number][];
  candidates: number[];
}

const buffer = new TokenBuffer();

function reference(text: string, language: Language, trie: ScanTrie, from: number, to: number): Tokens {
  scanWords(text, language, buffer, trie, from, to);
  const spans: [number, number][] = [];
  const candidates: number[] = [];
  for (let i = 0; i < buffer.count; i++) {
    spans.push([buffer.starts[i]!, buffer.ends[i]!]);
    if (buffer.candidate[i] === 1) candidates.push(i);
  }
  return { spans, candidates };
}

/** A Wasm scan, copied out of the scanner's memory, with byte offsets. */
interface WasmTokens {
  byteSpans: [number, number][];
  /** (token index, form id) pairs. */
  hits: [number, number][];
  generation: number;
}

function wasm(s: WasmScanner, bytes: Buffer, language: Language, trie: ScanTrie, from: number, to: number): WasmTokens | undefined {
  s.useTrie(trie);
  const r = s.scan(bytes, from, to, language === 'fr');
  if (!r) return undefined;
  const byteSpans: [number, number][] = [];
  for (let i = 0; i < r.count; i++) byteSpans.push([r.starts[i]!, r.ends[i]!]);
  const hits: [number, number][] = [];
  for (let h = 0; h < r.hitCount; h++) hits.push([r.hits[2 * h]!, r.hits[2 * h + 1]!]);
  return { byteSpans, hits, generation: r.generation };
}

/** The token limit of a scan of `n` bytes (`fileRegion` in wasm-scanner.ts): past it, `scan` gives up. */
const maxTokens = (n: number): number => (n >> 2) + 16;

const ASTRAL_RE = /[\u{10000}-\u{10ffff}]/u;

/** A word with its ASCII letters in lower case (form ids ignore their case). */
const asciiLower = (word: string): string => word.replace(/[A-Z]/g, (c) => c.toLowerCase());

interface Outcome {
  /** 'astral' and 'too-many' when the Wasm scanner rightly gave up. */
  kind: 'compared' | 'astral' | 'too-many';
  tokens: number;
  candidates: number;
  scan?: WasmTokens;
}

/**
 * Scans `text` between two character boundaries with both scanners and
 * checks they agree: same tokens, same candidates; or, with an astral
 * character in the range (or more tokens than the limit), no Wasm result.
 */
function compare(s: WasmScanner, e: Encoded, language: Language, trie: ScanTrie, fromBoundary = 0, toBoundary = e.boundaries.length - 1): Outcome {
  const [uFrom, bFrom] = e.boundaries[fromBoundary]!;
  const [uTo, bTo] = e.boundaries[toBoundary]!;
  const ref = reference(e.text, language, trie, uFrom, uTo);
  const got = wasm(s, e.bytes, language, trie, bFrom, bTo);
  const context = `${language} ${JSON.stringify(e.text)} [${uFrom}, ${uTo})`;
  if (ASTRAL_RE.test(e.text.slice(uFrom, uTo))) {
    expect(got, `astral: ${context}`).toBeUndefined();
    return { kind: 'astral', tokens: ref.spans.length, candidates: ref.candidates.length };
  }
  if (ref.spans.length > maxTokens(e.bytes.length)) {
    expect(got, `too many tokens: ${context}`).toBeUndefined();
    return { kind: 'too-many', tokens: ref.spans.length, candidates: ref.candidates.length };
  }
  expect(got, `no Wasm result: ${context}`).toBeDefined();
  const w = got as WasmTokens;
  const spans = w.byteSpans.map(([bs, be]) => [e.unitAt[bs]!, e.unitAt[be]!] as [number, number]);
  const candidates = w.hits.map(([i]) => i);
  // A cheap comparison first (some texts have tens of thousands of tokens); the detailed one on a difference.
  if (JSON.stringify([spans, candidates]) !== JSON.stringify([ref.spans, ref.candidates])) {
    const words = (ss: [number, number][]): string[] => ss.map(([a, b]) => (a < 0 || b < 0 ? `<not a boundary ${a} ${b}>` : e.text.slice(a, b)));
    expect({ words: words(spans), spans }, context).toEqual({ words: words(ref.spans), spans: ref.spans });
    expect(candidates, `candidates: ${context}`).toEqual(ref.candidates);
  }
  return { kind: 'compared', tokens: ref.spans.length, candidates: ref.candidates.length, scan: w };
}

/** A text and a range of it, as two character boundaries (any two numbers, taken modulo the number of boundaries). */
const withRange = (text: fc.Arbitrary<string>): fc.Arbitrary<[string, number, number]> => fc.tuple(text, fc.nat(), fc.nat());

function range(e: Encoded, a: number, b: number): [number, number] {
  const n = e.boundaries.length;
  return [Math.min(a % n, b % n), Math.max(a % n, b % n)];
}

const RUNS = 400;

describe.skipIf(!scanner)('the WebAssembly scanner finds what the string scanner finds (property)', () => {
  const s = scanner as WasmScanner;

  it('the tries are the intended ones', () => {
    for (const language of LANGUAGES) {
      const { keywords, alliances, empty } = TRIES[language];
      expect([keywords.rootTerminal, alliances.rootTerminal, empty.rootTerminal]).toEqual([false, false, false]);
      expect(alliances.next.length).toBeGreaterThan(keywords.next.length);
    }
    expect(ROOT_TRIE.rootTerminal).toBe(true);
  });

  it.each(LANGUAGES)('%s: same tokens and candidates over whole texts', (language) => {
    const stats = { compared: 0, withCandidates: 0, tooMany: 0 };
    fc.assert(
      fc.property(bmpText, fc.integer({ min: 0, max: 9 }), (text, pick) => {
        const e = encode(text);
        // Mostly the keyword trie (most candidates), sometimes the demo codebook's, the empty one or a terminal root.
        const trie = pick < 6 ? KEYWORD_TRIE[language] : pick < 8 ? TRIES[language].alliances : pick < 9 ? TRIES[language].empty : ROOT_TRIE;
        const o = compare(s, e, language, trie);
        if (o.kind === 'compared') stats.compared++;
        if (o.kind === 'too-many') stats.tooMany++;
        if (o.candidates > 0) stats.withCandidates++;
      }),
      { numRuns: RUNS, seed: language === 'fr' ? 0x5ca7 : 0x5ca8 },
    );
    // The texts must exercise the comparison, candidates included.
    expect(stats.compared).toBeGreaterThan(RUNS * 0.8);
    expect(stats.withCandidates).toBeGreaterThan(RUNS * 0.4);
  });

  it.each(LANGUAGES)('%s: short ASCII keyword prefixes (the prefix tables: terminal after one to four letters) and ASCII words of any length', (language) => {
    // Exact forms keep their whole folded value as the trie prefix: terminals at depths 1, 2, 3 and 4, digits included.
    const trie = compileMatcher(codebook(`
      codes:
        - id: p
          label: P
          keywords: ["=b", "=cd", "=ef9", "=ghij", "=k2", "=mno", "=mnpq"]
    `), language).parts.trie;
    const letters = 'bcdefghijkmnopqBCDEFGHMNO29xz'.split('');
    const word = fc.array(fc.constantFrom(...letters), { minLength: 1, maxLength: 20 }).map((cs) => cs.join(''));
    const text = fc.array(fc.oneof({ weight: 8, arbitrary: word }, { weight: 8, arbitrary: fc.constantFrom(' ', ' ', ' ', '  ', '.', ',', '-', "'", '’', 'é', '\u00a0', '\n') }), { maxLength: 40, size: 'max' }).map((ps) => ps.join(''));
    let candidates = 0;
    fc.assert(
      fc.property(withRange(text), ([t, a, b]) => {
        const e = encode(t);
        const [from, to] = range(e, a, b);
        candidates += compare(s, e, language, trie).candidates;
        compare(s, e, language, trie, from, to);
      }),
      { numRuns: RUNS, seed: language === 'fr' ? 0x3e1 : 0x3e2 },
    );
    expect(candidates).toBeGreaterThan(RUNS / 8);
  });

  it.each(LANGUAGES)('%s: several ranges in one call find what one call per range finds, and say where each ends', (language) => {
    let multi = 0;
    fc.assert(
      fc.property(bmpText, fc.array(fc.nat(), { minLength: 2, maxLength: 8 }), (text, cuts) => {
        const e = encode(text);
        // Boundaries in increasing order, paired into ranges (gaps between them are not scanned).
        const at = [...new Set(cuts.map((c) => c % e.boundaries.length))].sort((x, y) => x - y).map((k) => e.boundaries[k]![1]);
        const ranges: number[] = [];
        for (let k = 0; k + 1 < at.length; k += 2) ranges.push(at[k]!, at[k + 1]!);
        if (ranges.length === 0) return;
        const trie = KEYWORD_TRIE[language];
        // One call per range: its tokens and the words of its hits.
        const separate: { spans: string[]; hits: string[] }[] = [];
        for (let k = 0; k < ranges.length; k += 2) {
          const one = wasm(s, e.bytes, language, trie, ranges[k]!, ranges[k + 1]!);
          if (!one) return;
          separate.push({ spans: one.byteSpans.map(([a, b]) => `${a}-${b}`), hits: one.hits.map(([i]) => one.byteSpans[i]!.join('-')) });
        }
        s.useTrie(trie);
        const r = s.scanRanges(e.bytes, ranges, language === 'fr');
        expect(r).toBeDefined();
        const all = r!;
        const together: { spans: string[]; hits: string[] }[] = [];
        for (let k = 0; k < ranges.length / 2; k++) {
          const [t0, h0] = k === 0 ? [0, 0] : [all.rangeEnds[2 * k - 2]!, all.rangeEnds[2 * k - 1]!];
          const [t1, h1] = [all.rangeEnds[2 * k]!, all.rangeEnds[2 * k + 1]!];
          const spans: string[] = [];
          for (let i = t0; i < t1; i++) spans.push(`${all.starts[i]}-${all.ends[i]}`);
          const hits: string[] = [];
          for (let h = h0; h < h1; h++) hits.push(`${all.starts[all.hits[2 * h]!]}-${all.ends[all.hits[2 * h]!]}`);
          together.push({ spans, hits });
        }
        expect(together).toEqual(separate);
        expect(all.rangeEnds[ranges.length - 2]).toBe(all.count);
        expect(all.rangeEnds[ranges.length - 1]).toBe(all.hitCount);
        if (ranges.length > 2) multi++;
      }),
      { numRuns: RUNS, seed: language === 'fr' ? 0x2a9e : 0x2a9f },
    );
    expect(multi).toBeGreaterThan(RUNS / 4);
  });

  it.each(LANGUAGES)('%s: same tokens and candidates over any range between character boundaries', (language) => {
    let compared = 0;
    fc.assert(
      fc.property(withRange(bmpText), ([text, a, b]) => {
        const e = encode(text);
        const [from, to] = range(e, a, b);
        if (compare(s, e, language, KEYWORD_TRIE[language], from, to).kind === 'compared') compared++;
      }),
      { numRuns: RUNS, seed: language === 'fr' ? 0x7a9e : 0x7a9f },
    );
    expect(compared).toBeGreaterThan(RUNS * 0.8);
  });

  it.each(LANGUAGES)('%s: no result when the range holds a character outside the BMP, the same words otherwise', (language) => {
    const kinds = { compared: 0, astral: 0 };
    fc.assert(
      fc.property(withRange(anyText), fc.constantFrom(...ASTRAL), fc.nat(), ([text, a, b], astral, at) => {
        const e = encode(text);
        const [from, to] = range(e, a, b);
        // The whole text, with an astral character put in at a random character boundary.
        const split = e.boundaries[at % e.boundaries.length]![0];
        const withAstral = encode(e.text.slice(0, split) + astral + e.text.slice(split));
        expect(compare(s, withAstral, language, KEYWORD_TRIE[language]).kind).toBe('astral');
        // A random range of a text that may hold some.
        const o = compare(s, e, language, KEYWORD_TRIE[language], from, to);
        if (o.kind === 'compared') kinds.compared++;
        if (o.kind === 'astral') kinds.astral++;
      }),
      { numRuns: RUNS, seed: language === 'fr' ? 0xa57a : 0xa57b },
    );
    expect(kinds.compared).toBeGreaterThan(RUNS * 0.3);
    expect(kinds.astral).toBeGreaterThan(RUNS * 0.05);
  });

  it('a range that stops just before, or starts just after, an astral character is scanned', () => {
    for (const language of LANGUAGES) {
      const e = encode("l'état 😀 aujourd'hui 𝔸lliance, alliance's");
      // The character boundaries at which the two astral characters start.
      const indices = e.boundaries.flatMap(([u], i) => (i + 1 < e.boundaries.length && e.text.codePointAt(u)! > 0xffff ? [i] : []));
      expect(indices.length).toBe(2);
      const [first, second] = indices as [number, number];
      expect(compare(s, e, language, KEYWORD_TRIE[language]).kind).toBe('astral');
      expect(compare(s, e, language, KEYWORD_TRIE[language], 0, first).kind).toBe('compared');
      expect(compare(s, e, language, KEYWORD_TRIE[language], first + 1, second).kind).toBe('compared');
      expect(compare(s, e, language, KEYWORD_TRIE[language], second + 1).kind).toBe('compared');
      expect(compare(s, e, language, KEYWORD_TRIE[language], first, second).kind).toBe('astral');
      expect(compare(s, e, language, KEYWORD_TRIE[language], second, second + 1).kind).toBe('astral');
    }
  });
});

describe.skipIf(!scanner)('form ids (property)', () => {
  const s = scanner as WasmScanner;

  it.each(LANGUAGES)('%s: one id per word form (up to the case of ASCII letters) within a generation; form() and formAt() agree with the hits', (language) => {
    // Across scans: the forms seen in the current generation, both ways.
    let generation = -1;
    const formOf = new Map<string, number>();
    const idOf = new Map<number, string>();
    const record = (form: string, id: number, context: string): void => {
      expect(id, context).toBeGreaterThanOrEqual(0);
      expect(id, context).toBeLessThan(s.formCapacity);
      const known = formOf.get(form);
      if (known !== undefined) expect(id, `${context}: ${JSON.stringify(form)} had id ${known}`).toBe(known);
      const other = idOf.get(id);
      if (other !== undefined) expect(other, `${context}: id ${id} was ${JSON.stringify(other)}`).toBe(form);
      formOf.set(form, id);
      idOf.set(id, form);
    };
    let hits = 0;
    fc.assert(
      fc.property(bmpText, fc.boolean(), (text, rootTrie) => {
        const e = encode(text);
        const o = compare(s, e, language, rootTrie && language === 'en' ? ROOT_TRIE : KEYWORD_TRIE[language]);
        if (!o.scan) return;
        if (o.scan.generation !== generation) {
          generation = o.scan.generation;
          formOf.clear();
          idOf.clear();
        }
        const context = `${language} ${JSON.stringify(text)}`;
        for (const [token, id] of o.scan.hits) {
          const [bs, be] = o.scan.byteSpans[token]!;
          const word = e.text.slice(e.unitAt[bs], e.unitAt[be]);
          // The id's form is the token's bytes but for the case of ASCII letters (forms differing only in it share an id).
          expect(asciiLower(s.form(id)), `${context}: form(${id})`).toBe(asciiLower(word));
          record(asciiLower(word), id, context);
          expect(s.formAt(bs, be), `${context}: formAt ${word}`).toBe(id);
          hits++;
        }
        // formAt on the other tokens gives ids that keep the same one-to-one map; -1 once the table is full, for new forms only.
        for (const [bs, be] of o.scan.byteSpans) {
          const id = s.formAt(bs, be);
          const word = e.text.slice(e.unitAt[bs], e.unitAt[be]);
          if (id === -1) {
            expect(formOf.has(asciiLower(word)), `${context}: formAt ${JSON.stringify(word)} is -1 but the form has id ${formOf.get(asciiLower(word))}`).toBe(false);
            continue;
          }
          expect(asciiLower(s.form(id)), context).toBe(asciiLower(word));
          record(asciiLower(word), id, context);
        }
      }),
      { numRuns: RUNS, seed: language === 'fr' ? 0xf0f0 : 0xf0f1 },
    );
    expect(hits).toBeGreaterThan(RUNS / 2);
  });

  it('forms that differ only in the case of ASCII letters share an id, in both caches (up to 24 bytes and beyond); É is not an ASCII letter', () => {
    const long = 'constitutionnellementaussi';
    const text = `Pour pour POUR pOUR État état ${long} ${long.toUpperCase()} Kilomètre KILOMèTRE`;
    const e = encode(text);
    const scan = wasm(s, e.bytes, 'fr', ROOT_TRIE, 0, e.bytes.length) as WasmTokens;
    const ids = scan.byteSpans.map(([bs, be]) => s.formAt(bs, be));
    expect(new Set(ids.slice(0, 4)).size).toBe(1);
    expect(ids[4]).not.toBe(ids[5]);
    expect(ids[6]).toBe(ids[7]);
    expect(ids[8]).toBe(ids[9]);
    expect(s.form(ids[0]!).toLowerCase()).toBe('pour');
  });

  it('when the form table fills up, a new generation starts and ids are consistent again', () => {
    // Every word is a candidate with a terminal root: two scans of 60 % of the table's capacity in new words each overflow it.
    expect(s.formCapacity).toBe(1 << 15);
    const n = Math.floor(s.formCapacity * 0.6);
    const words = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i.toString(36)}`);
    const first = encode(words('gen-a', n).join(' '));
    const before = compare(s, first, 'en', ROOT_TRIE);
    expect(before.kind).toBe('compared');
    const second = encode(words('gen-b', n).join(' ') + ' gen-b0 gen-b1');
    const after = compare(s, second, 'en', ROOT_TRIE);
    expect(after.kind).toBe('compared');
    const scan = after.scan as WasmTokens;
    expect(scan.generation).toBeGreaterThan(before.scan!.generation);
    // The hyphen splits `gen-b12` into `gen` and `b12`: n + 1 distinct forms, each with one id, `gen` n + 2 times.
    const ids = new Map<string, number>();
    const forms = new Map<number, string>();
    const wrong: string[] = [];
    for (const [token, id] of scan.hits) {
      const [bs, be] = scan.byteSpans[token]!;
      const word = second.bytes.subarray(bs, be).toString('utf8');
      if ((ids.get(word) ?? id) !== id || (forms.get(id) ?? word) !== word) wrong.push(`${word} ${id}`);
      ids.set(word, id);
      forms.set(id, word);
    }
    for (const [id, word] of forms) if (s.form(id) !== word || id < 0 || id >= s.formCapacity) wrong.push(`form(${id}) ${s.form(id)} ≠ ${word}`);
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(scan.hits.length).toBe(2 * n + 4);
    expect(ids.size).toBe(n + 1);
  });

  it('formAt gives -1 for new forms once the table is full, known ones keep their id; the next scan with a new candidate starts a new generation', () => {
    // 70,000 new words that are no candidates (no keyword prefix starts with `zq`), around one that is.
    const many = Array.from({ length: 70_000 }, (_, i) => `zq${i.toString(36)}`);
    const e = encode(`alliance ${many.join(' ')} alliance`);
    const o = compare(s, e, 'en', KEYWORD_TRIE.en);
    expect(o.kind).toBe('compared');
    const scan = o.scan as WasmTokens;
    expect(scan.hits.map(([i]) => i)).toEqual([0, 70_001]);
    const alliance = scan.hits[0]![1];
    expect(scan.hits[1]![1]).toBe(alliance);
    let firstMissing = -1;
    let lastId = -1;
    const wrong: string[] = [];
    const seen = new Set<number>();
    for (let t = 1; t <= 70_000; t++) {
      const [bs, be] = scan.byteSpans[t]!;
      const id = s.formAt(bs, be);
      if (id === -1) {
        if (firstMissing < 0) firstMissing = t;
        continue;
      }
      // Ids are new and right until the table is full, then there are no more.
      if (firstMissing >= 0 || seen.has(id) || id === alliance || s.form(id) !== many[t - 1]) wrong.push(`${many[t - 1]} ${id}`);
      seen.add(id);
      lastId = id;
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(firstMissing).toBeGreaterThan(0);
    expect(seen.size).toBeLessThan(s.formCapacity);
    // Full, but the known forms keep their ids.
    expect(s.formAt(scan.byteSpans[0]![0], scan.byteSpans[0]![1])).toBe(alliance);
    const last = firstMissing - 1;
    if (last >= 1) expect(s.formAt(scan.byteSpans[last]![0], scan.byteSpans[last]![1])).toBe(lastId);
    expect(s.formAt(scan.byteSpans[firstMissing]![0], scan.byteSpans[firstMissing]![1])).toBe(-1);
    // A scan with only known candidates stays in the generation; one with a new candidate starts the next.
    const again = compare(s, encode('alliance, alliance'), 'en', KEYWORD_TRIE.en).scan as WasmTokens;
    expect(again.generation).toBe(scan.generation);
    expect(again.hits.map(([, id]) => id)).toEqual([alliance, alliance]);
    const next = compare(s, encode('alliancezqzq alliance'), 'en', KEYWORD_TRIE.en).scan as WasmTokens;
    expect(next.generation).toBe(scan.generation + 1);
    expect(next.hits.map(([i, id]) => [i, id, s.form(id)])).toEqual([
      [0, 0, 'alliancezqzq'],
      [1, 1, 'alliance'],
    ]);
  });
});

describe.skipIf(!scanner)('examples', () => {
  const s = scanner as WasmScanner;

  /** The words both scanners find, and which of them are candidates (marked with a trailing `*`). */
  function words(text: string, language: Language, trie: ScanTrie = KEYWORD_TRIE[language]): { string: string[]; wasm: string[] } {
    const e = encode(text);
    const ref = reference(text, language, trie, 0, text.length);
    const w = wasm(s, e.bytes, language, trie, 0, e.bytes.length);
    expect(w, `no Wasm result for ${JSON.stringify(text)}`).toBeDefined();
    const hit = new Set(w!.hits.map(([i]) => i));
    return {
      string: ref.spans.map(([a, b], i) => text.slice(a, b) + (ref.candidates.includes(i) ? '*' : '')),
      wasm: w!.byteSpans.map(([a, b], i) => e.bytes.subarray(a, b).toString('utf8') + (hit.has(i) ? '*' : '')),
    };
  }

  const expectWords = (text: string, language: Language, expected: string[], trie?: ScanTrie): void => {
    const found = words(text, language, trie);
    expect(found.string, `string scanner, ${language} ${JSON.stringify(text)}`).toEqual(expected);
    expect(found.wasm, `Wasm scanner, ${language} ${JSON.stringify(text)}`).toEqual(expected);
  };

  it('a run of one-letter words past the token limit gives no Wasm result (the caller then uses the string scanner)', () => {
    const run = (n: number): Encoded => encode(Array.from({ length: n }, (_, i) => 'abc'[i % 3]).join(' '));
    expect(compare(s, run(10), 'fr', KEYWORD_TRIE.fr).kind).toBe('compared');
    expect(compare(s, run(200), 'fr', KEYWORD_TRIE.fr).kind).toBe('too-many');
    // The same run is scanned when it is a small part of a longer text.
    const long = encode(run(200).text + ' ' + 'technostructure '.repeat(100));
    expect(compare(s, long, 'fr', KEYWORD_TRIE.fr).kind).toBe('compared');
  });

  it("English drops a final 's after either apostrophe, and only that", () => {
    expectWords("Paul's book", 'en', ['Paul', 'book']);
    // (The English trie has ſta, not sta, and don: `state` is no candidate, `don’t` is.)
    expectWords('the state’s role, don’t', 'en', ['the', 'state', 'role', 'don’t*']);
    expectWords("PAUL'S stakeholder's don't", 'en', ['PAUL', 'stakeholder*', "don't*"]);
    expectWords("Paul's's it'sx Paul's\u0301 Paul'", 'en', ["Paul's's", "it'sx", "Paul's\u0301", 'Paul']);
    // With a terminal root every word is a candidate, the possessive still dropped.
    expectWords("Paul's book, the state’s", 'en', ['Paul*', 'book*', 'the*', 'state*'], ROOT_TRIE);
  });

  it('French splits off leading elisions, in any case, and keeps inner apostrophes', () => {
    expectWords("l'alliance", 'fr', ['alliance*']);
    expectWords("aujourd'hui", 'fr', ["aujourd'hui*"]);
    expectWords("L’État, qu’il jusqu'ici LORSQU'on Puisqu’elle d'aujourd'hui", 'fr', ['État*', 'il', 'ici', 'on', 'elle', "aujourd'hui*"]);
    expectWords("quelqu'un, prud'hommes, Paul's, l'l'état, l' état", 'fr', ["quelqu'un", "prud'hommes*", "Paul's", 'état*', 'l', 'état*']);
  });

  it('× and ÷ end words, ė ķ ŗ ŷ (same last bytes) do not; the Kelvin sign and ſ fold for the trie', () => {
    expectWords('a×b c÷d ėlektra ķēde ŗŷ', 'fr', ['a', 'b', 'c', 'd', 'ėlektra*', 'ķēde*', 'ŗŷ']);
    expectWords('\u212ailogramme ſtate état×état', 'fr', ['\u212ailogramme*', 'ſtate*', 'état*', 'état*']);
    expectWords('alliance\u00a0alliance\u202falliance', 'en', ['alliance*', 'alliance*', 'alliance*']);
  });
});
