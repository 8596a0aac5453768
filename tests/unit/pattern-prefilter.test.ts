/**
 * The pattern prefilter: the necessary literals of a codebook pattern
 * (hand-written expectations, the demo codebook, and a soundness property
 * on random patterns and texts), the Aho-Corasick automaton that searches
 * them in bytes (against a naive search), and the Unicode case-folding
 * assumption the byte search relies on.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unicodeBoundaries } from '../../src/coding/matcher.js';
import { literalAutomaton, requiredLiterals } from '../../src/coding/pattern-prefilter.js';
import { buildTrie } from '../../src/coding/trie.js';
import { wasmScanner, type WasmScanner } from '../../src/coding/wasm-scanner.js';
import { skipBecause } from '../helpers/skip.js';
import { SourceFile } from '../../src/core/source-file.js';
import { parseCodebook } from '../../src/project/codebook.js';

/** Lower-cases A-Z only: the case folding of the byte search (not `toLowerCase`, which folds `É` too). */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) | 0x20));
}

/** The pattern compiled as the matcher compiles codebook patterns; undefined when it does not compile. */
function compile(source: string): RegExp | undefined {
  try {
    return new RegExp(unicodeBoundaries(source), 'giu');
  } catch {
    return undefined;
  }
}

/** The matched strings of `re` in `text` (every match, as `matchAll` finds them). */
function matches(re: RegExp, text: string): string[] {
  re.lastIndex = 0;
  return [...text.matchAll(re)].map((m) => m[0]);
}

/** Checks the shape of a result: unique, non-empty, lower-case printable ASCII strings. */
function expectWellFormed(literals: readonly string[]): void {
  expect(literals.length).toBeGreaterThan(0);
  expect(new Set(literals).size).toBe(literals.length);
  for (const l of literals) {
    expect(l.length).toBeGreaterThan(0);
    expect(l).toMatch(/^[\x20-\x40\x5b-\x7e]+$/); // printable ASCII without A-Z
  }
}

describe('requiredLiterals', () => {
  // Each expectation follows the module's rules: runs of literal ASCII, ended by anything
  // else; required plain/non-capturing/named groups give their alternatives; the candidate
  // whose shortest string has the most letters and digits wins (the first on ties).
  const cases: [string, string[] | undefined, string[]][] = [
    // [pattern, expected literals, texts the pattern matches]
    ['\\bà la (française|rigueur)\\b', [' la fran', ' la rigueur'], ['à la française', 'À LA RIGUEUR', 'dit-il à la Française.']],
    // The run before a group goes on into each branch's leading run; a quantified character ends it.
    ['\\b(?:les|des) (biens|communs)\\b', [' biens', ' communs'], ['les biens', 'DES COMMUNS']],
    ['cré(ation|dit)', ['ation', 'dit'], ['création', 'crédit']],
    ['co-(op|ab?c)', ['co-op', 'co-a'], ['co-op', 'co-ac', 'co-abc']],
    ['\\bpeu(t|vent) [^.]{0,30}\\bseul(e|s|es)?\\b', ['seul'], ['il peut réussir seul', 'Ils PEUVENT agir seules']],
    ['\\b(les|des|aux) communs\\b', [' communs'], ['les communs', 'aux Communs !']],
    ['\\bmille-?feuilles?\\b', ['feuille'], ['mille-feuille', 'millefeuilles', 'Mille-Feuilles']],
    ['\\ble courant (ne )?passe\\b', ['le courant '], ['le courant passe', 'Le courant ne passe pas']],
    ['a|b', ['a', 'b'], ['a', 'B', 'xbx']],
    ['(?-i:Abc)d', ['d'], []], // a modifier group is not looked into
    ['x\\p{L}yz', ['yz'], ['xéyz', 'XAYZ']],
    ['ab+cd', ['ab'], ['abcd', 'abbbcd']], // `ab` and `cd` tie: the first wins
    ['(?<n>hello)|world', ['hello', 'world'], ['Hello', 'world']],
    ['colou?r', ['colo'], ['color', 'colour']],
    ['(ab)*c', ['c'], ['c', 'ababc']],
    ['[abc]def', ['def'], ['adef', 'CDEF']],
    ['\\d+ euros', [' euros'], ['12 euros', '3 EUROS']],
    ['.*', undefined, ['', 'x']],
    ['(?=abc)', undefined, ['abc']],
    ['^$', undefined, ['']],
    ['\\u0041bc', ['bc'], ['abc', 'ABC']],
    ['(a|)bc', ['bc'], ['abc', 'bc']], // an empty alternative: the group is not required
    ['x{0,2}yz', ['yz'], ['yz', 'xxyz']],
    ['x{2}yz', ['yz'], ['xxyz']], // `x{2}` gives `x` (at least once), which scores below `yz`
    ['\\b(faire|travailler|agir|fonctionner) autrement\\b', [' autrement'], ['agir autrement']],
  ];

  it.each(cases)('%s', (source, expected, texts) => {
    const literals = requiredLiterals(source);
    if (expected === undefined) {
      expect(literals).toBeUndefined();
      return;
    }
    expect(literals).toEqual(expected);
    expectWellFormed(expected);
    // Sound on the examples: each match holds one of the literals.
    const re = compile(source);
    if (re === undefined) return; // `(?-i:…)` needs a newer V8: nothing to run
    for (const text of texts) {
      const found = matches(re, text);
      expect(found.length, `${source} on ${text}`).toBeGreaterThan(0);
      for (const m of found) expect(expected.some((l) => asciiLower(m).includes(l)), `${source}: match ${JSON.stringify(m)}`).toBe(true);
    }
  });

  it('gives undefined on what it cannot read', () => {
    expect(requiredLiterals('')).toBeUndefined();
    expect(requiredLiterals('abc|')).toBeUndefined(); // an empty branch matches anywhere
    expect(requiredLiterals('[abc')).toBeUndefined(); // unclosed class
    expect(requiredLiterals('(abc')).toBeUndefined(); // unclosed group
    expect(requiredLiterals('é+ç')).toBeUndefined(); // no ASCII at all
  });

  it('finds literals in every pattern of the demo codebook', () => {
    const file = fileURLToPath(new URL('../../codebooks/alliances.yaml', import.meta.url));
    const codebook = parseCodebook(new SourceFile('codebooks/alliances.yaml', readFileSync(file, 'utf8')));
    expect(codebook).toBeDefined();
    const patterns = [...codebook!.codes.values()].flatMap((c) => c.patterns);
    expect(patterns.length).toBeGreaterThanOrEqual(5);
    for (const p of patterns) {
      const literals = requiredLiterals(p);
      expect(literals, p).toBeDefined();
      expectWellFormed(literals!);
      expect(compile(p), p).toBeDefined();
    }
  });
});

// ─── Soundness on random patterns ──────────────────────────────────────────────

/** A pattern's syntax tree, with what each node matches, to sample matching texts. */
type Node =
  | { k: 'lit'; s: string }
  | { k: 'atom'; src: string; samples: string[] }
  | { k: 'zero'; src: string }
  | { k: 'group'; open: string; alts: Node[][]; look: boolean }
  | { k: 'quant'; node: Node; q: string };

const QUANTS: Record<string, [number, number]> = { '?': [0, 1], '??': [0, 1], '*': [0, 3], '*?': [0, 3], '+': [1, 3], '+?': [1, 3], '{0,2}': [0, 2], '{1,3}': [1, 3], '{2}': [2, 2], '{2,}': [2, 3], '{1,3}?': [1, 3] };
/** Quantifiers with a small bound, the only ones allowed inside repeated groups (no catastrophic backtracking). */
const BOUNDED = ['?', '??', '{0,2}', '{1,3}', '{2}', '{1,3}?'];
const UNBOUNDED = ['*', '+', '{2,}', '*?', '+?'];

const ATOMS: [string, string[]][] = [
  ['.', ['a', ' ', 'é']],
  ['\\d', ['1', '7']],
  ['\\w', ['a', '_', '3']],
  ['\\W', [' ', '.', 'é']],
  ['\\s', [' ']],
  ['\\S', ['b']],
  ['\\.', ['.']],
  ['\\?', ['?']],
  ['\\(', ['(']],
  ['\\-', ['-']], // invalid with `u` outside a class: such patterns are skipped
  ['\\u0041', ['a']],
  ['\\x62', ['b']],
  ['\\u{e9}', ['é']],
  ['\\p{L}', ['a', 'é']],
  ['\\P{L}', [' ', '1']],
  ['[abc]', ['a', 'c']],
  ['[^x]', ['a', ' ', 'é']],
  ['[a-c]', ['b']],
  ['[A-Z]', ['a', 'S']],
  ['[0-9]', ['4']],
  ['[éa]', ['é', 'a']],
  ['[\\-.]', ['-', '.']],
  ['[^.]', ['a', ' ', 'b']],
  ['[|(]', ['|', '(']],
  ['[\\]s]', [']', 's']],
  ['\\1', ['']], // backreferences (an error without enough groups: skipped)
  ['\\k<n0>', ['']],
];
const ZEROS = ['\\b', '\\B', '^', '$'];
const ASCII_CHARS = 'abcesk ABS1'.split('');
const OTHER_CHARS = ['é', 'à', 'ç', 'É', 'ö'];

const asciiRun = fc.array(fc.constantFrom(...ASCII_CHARS), { minLength: 1, maxLength: 4 }).map((cs): Node => ({ k: 'lit', s: cs.join('') }));
const oneChar = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ASCII_CHARS) }, { weight: 1, arbitrary: fc.constantFrom(...OTHER_CHARS) }).map((s): Node => ({ k: 'lit', s }));
const atom = fc.constantFrom(...ATOMS).map(([src, samples]): Node => ({ k: 'atom', src, samples }));
const zero = fc.constantFrom(...ZEROS).map((src): Node => ({ k: 'zero', src }));
const GROUP_OPENS = ['(', '(', '(?:', '(?:', '(?<n>'];
const LOOK_OPENS = ['(?=', '(?!', '(?<=', '(?<!'];

function alternativesArb(depth: number, repeated: boolean): fc.Arbitrary<Node[][]> {
  return fc.array(sequenceArb(depth, repeated), { minLength: 1, maxLength: 3 });
}

function sequenceArb(depth: number, repeated: boolean): fc.Arbitrary<Node[]> {
  return fc.array(itemArb(depth, repeated), { minLength: 1, maxLength: 4 });
}

function itemArb(depth: number, repeated: boolean): fc.Arbitrary<Node> {
  const quant = fc.constantFrom(...(repeated ? BOUNDED : [...BOUNDED, ...UNBOUNDED]));
  const items: fc.WeightedArbitrary<Node>[] = [
    { weight: 6, arbitrary: asciiRun },
    { weight: 2, arbitrary: oneChar },
    { weight: 3, arbitrary: fc.tuple(oneChar, quant).map(([node, q]): Node => ({ k: 'quant', node, q })) },
    { weight: 2, arbitrary: atom },
    { weight: 2, arbitrary: fc.tuple(atom, quant).map(([node, q]): Node => ({ k: 'quant', node, q })) },
    { weight: 2, arbitrary: zero },
  ];
  if (depth > 0) {
    const group = (inRepeat: boolean): fc.Arbitrary<Node> =>
      fc.tuple(fc.constantFrom(...GROUP_OPENS), alternativesArb(depth - 1, inRepeat)).map(([open, alts]): Node => ({ k: 'group', open, alts, look: false }));
    items.push(
      { weight: 3, arbitrary: group(repeated) },
      // Repeated groups get small bounds only, and hold only small-bounded repetitions.
      { weight: 2, arbitrary: fc.tuple(group(true), fc.constantFrom(...BOUNDED)).map(([node, q]): Node => ({ k: 'quant', node, q })) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...LOOK_OPENS), alternativesArb(depth - 1, repeated)).map(([open, alts]): Node => ({ k: 'group', open, alts, look: true })) },
    );
  }
  return fc.oneof(...items);
}

/** The pattern source (named groups numbered, so that their names are unique). */
function render(alts: Node[][]): string {
  let names = 0;
  const node = (n: Node): string => {
    switch (n.k) {
      case 'lit':
        return n.s;
      case 'atom':
      case 'zero':
        return n.src;
      case 'group':
        return (n.open === '(?<n>' ? `(?<n${names++}>` : n.open) + alternatives(n.alts) + ')';
      case 'quant':
        return node(n.node) + n.q;
    }
  };
  const alternatives = (as: Node[][]): string => as.map((seq) => seq.map(node).join('')).join('|');
  return alternatives(alts);
}

/** A small deterministic generator (mulberry32). */
function prng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

/** A string the tree (most likely) matches, ignoring zero-width assertions. */
function sample(alts: Node[][], rand: (n: number) => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)] as T;
  const node = (n: Node): string => {
    switch (n.k) {
      case 'lit':
        return n.s;
      case 'atom':
        return pick(n.samples);
      case 'zero':
        return '';
      case 'group':
        return n.look ? '' : alternatives(n.alts);
      case 'quant': {
        const [min, max] = QUANTS[n.q] as [number, number];
        let s = '';
        for (let i = min + rand(max - min + 1); i > 0; i--) s += node(n.node);
        return s;
      }
    }
  };
  const alternatives = (as: Node[][]): string => pick(as).map(node).join('');
  return alternatives(alts);
}

/** The literal pieces of a tree: runs, single characters and what atoms match. */
function pieces(alts: Node[][]): string[] {
  const out: string[] = [];
  const node = (n: Node): void => {
    if (n.k === 'lit') out.push(n.s);
    else if (n.k === 'atom') out.push(...n.samples);
    else if (n.k === 'group') n.alts.forEach((seq) => seq.forEach(node));
    else if (n.k === 'quant') node(n.node);
  };
  alts.forEach((seq) => seq.forEach(node));
  return out;
}

/** Noise: never `ſ` (U+017F) nor the Kelvin sign (U+212A), which callers treat as matching. */
const NOISE = [' ', ' ', '.', ',', 'x', 'z', 'é', 'É', '1', '-', "'", 'à', 'S', 'k'];

function randomCase(s: string, rand: (n: number) => number): string {
  return [...s].map((c) => (rand(2) === 0 ? c.toLowerCase() : c.toUpperCase())).join('');
}

/** A text from the tree: a sampled match in noise, or a mix of the tree's pieces and noise, in random case. */
function text(alts: Node[][], seed: number): string {
  const rand = prng(seed);
  const noise = (max: number): string => Array.from({ length: rand(max + 1) }, () => NOISE[rand(NOISE.length)]).join('');
  let out: string;
  if (rand(3) > 0) out = noise(3) + sample(alts, rand) + noise(3);
  else {
    const ps = pieces(alts);
    out = Array.from({ length: 1 + rand(6) }, () => (rand(4) === 0 ? noise(2) : (ps[rand(ps.length)] as string))).join('');
  }
  out = randomCase(out, rand).slice(0, 40);
  // `toUpperCase` never gives ſ or K (Kelvin), but make sure.
  expect(/[\u017f\u212a]/u.test(out)).toBe(false);
  return out;
}

describe('requiredLiterals (property)', () => {
  it('every match of a random pattern holds one of its literals (ASCII case ignored)', () => {
    let compiled = 0;
    let withLiterals = 0;
    let matched = 0;
    fc.assert(
      fc.property(alternativesArb(2, false), fc.array(fc.integer(), { minLength: 1, maxLength: 4 }), (alts, seeds) => {
        const source = render(alts);
        const re = compile(source);
        if (re === undefined) return; // not a valid pattern with `giu`
        compiled++;
        const literals = requiredLiterals(source);
        if (literals === undefined) return;
        withLiterals++;
        expectWellFormed(literals);
        for (const seed of seeds) {
          const t = text(alts, seed);
          const found = matches(re, t);
          if (found.length === 0) continue;
          matched++;
          const lower = asciiLower(t);
          expect(literals.some((l) => lower.includes(l)), `pattern ${JSON.stringify(source)} matches ${JSON.stringify(t)} but holds none of ${JSON.stringify(literals)}`).toBe(true);
          // Stronger, as the module documents it: each match itself holds a literal.
          for (const m of found) expect(literals.some((l) => asciiLower(m).includes(l)), `pattern ${JSON.stringify(source)}: match ${JSON.stringify(m)} of ${JSON.stringify(t)} holds none of ${JSON.stringify(literals)}`).toBe(true);
        }
      }),
      { numRuns: 600 },
    );
    // The property is not vacuous: most patterns compile, many get literals, and texts match.
    expect(compiled).toBeGreaterThan(300);
    expect(withLiterals).toBeGreaterThan(150);
    expect(matched).toBeGreaterThan(150);
  });
});

// ─── The Aho-Corasick automaton ────────────────────────────────────────────────

/** Runs the automaton over bytes: the offsets just after each byte where a literal ends. */
function runAutomaton(automaton: { table: Uint16Array; final: Uint8Array }, bytes: Uint8Array): number[] {
  const out: number[] = [];
  let state = 0;
  for (let i = 0; i < bytes.length; i++) {
    state = automaton.table[state * 256 + (bytes[i] as number)] as number;
    if (automaton.final[state] === 1) out.push(i + 1);
  }
  return out;
}

/** The same, naively: every end offset where some literal occurs, ASCII case ignored. */
function naiveEnds(literals: readonly string[], bytes: Uint8Array): number[] {
  const lower = (b: number): number => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b);
  const out: number[] = [];
  for (let end = 1; end <= bytes.length; end++) {
    const hit = literals.some((l) => {
      if (l.length > end) return false;
      for (let j = 0; j < l.length; j++) if (lower(bytes[end - l.length + j] as number) !== lower(l.charCodeAt(j))) return false;
      return true;
    });
    if (hit) out.push(end);
  }
  return out;
}

const LITERAL_CHARS = 'abAB1 .-!z'.split('');
const TEXT_CHARS = [...LITERAL_CHARS, 'é', 'É', '€', '😀', 'Z', '\n'];

describe('literalAutomaton', () => {
  it('finds the classic Aho-Corasick example, in any ASCII case', () => {
    const automaton = literalAutomaton(['he', 'she', 'his', 'hers']);
    expect(automaton.table.length % 256).toBe(0);
    expect(automaton.final.length).toBe(automaton.table.length / 256);
    expect(automaton.final[0]).toBe(0);
    const bytes = new TextEncoder().encode('uSHErs hIs é');
    expect(runAutomaton(automaton, bytes)).toEqual([4, 6, 10]);
    expect(runAutomaton(automaton, bytes)).toEqual(naiveEnds(['he', 'she', 'his', 'hers'], bytes));
  });

  it('reports exactly where some literal ends (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom(...LITERAL_CHARS), { minLength: 1, maxLength: 5 }).map((cs) => cs.join('')), { minLength: 1, maxLength: 6 }),
        fc.array(fc.constantFrom(...TEXT_CHARS), { maxLength: 60 }).map((cs) => cs.join('')),
        (literals, t) => {
          const bytes = new TextEncoder().encode(t);
          expect(runAutomaton(literalAutomaton(literals), bytes)).toEqual(naiveEnds(literals, bytes));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe.skipIf(
  skipBecause('the WebAssembly scanner tests', wasmScanner() ? undefined : 'dist/wasm/scan.wasm is not built (`npm run build`) or WebAssembly is unavailable') !== undefined,
)('the WebAssembly scanner runs the automaton', () => {
  it('reports the same ends as the naive search, over any range, by first and last bytes, or with few or many bytes that begin a literal and with or without the second-byte filter (property)', () => {
    const scanner = wasmScanner() as WasmScanner;
    const trie = buildTrie([], 'fr');
    const paths = { edges: 0, few: 0, pairs: 0, many: 0 };
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom(...LITERAL_CHARS), { minLength: 1, maxLength: 5 }).map((cs) => cs.join('')), { minLength: 1, maxLength: 12 }),
        // Filler that begins no literal, literal characters, and (by index) whole literals, in any case.
        fc.array(fc.oneof(fc.constantFrom('x', 'y', 'é', '€', '\n', 'xyxy', ...TEXT_CHARS.filter((c) => c !== '😀')), fc.nat(), fc.nat()), { maxLength: 120 }),
        fc.nat(),
        fc.nat(),
        (literals, pieces, a, b) => {
          const t = pieces.map((p) => (typeof p === 'string' ? p : p % 2 ? (literals[p % literals.length] as string).toUpperCase() : (literals[p % literals.length] as string))).join('');
          const bytes = Buffer.from(t, 'utf8');
          const automaton = literalAutomaton(literals);
          // The bytes that begin a literal are those that leave the start state.
          expect(automaton.firsts).toEqual(Array.from({ length: 256 }, (_, byte) => byte).filter((byte) => automaton.table[byte] !== 0));
          // The path findLiterals takes (see src/wasm/scan.ts).
          if (literals.length <= 4) paths.edges++;
          else if (automaton.firsts.length > 8) paths.many++;
          else if (automaton.seconds && automaton.seconds.length <= 8) paths.pairs++;
          else paths.few++;
          scanner.useLiterals(automaton);
          scanner.useTrie(trie);
          expect(scanner.scan(bytes, 0, bytes.length, true)).toBeDefined();
          const from = Math.min(a, b) % (bytes.length + 1);
          const to = Math.max(from, Math.max(a, b) % (bytes.length + 1));
          const expected = naiveEnds(literals, bytes.subarray(from, to)).map((end) => end + from);
          expect([...(scanner.findLiterals(automaton, from, to) ?? [])]).toEqual(expected);
        },
      ),
      { numRuns: 500, seed: 0x11e },
    );
    expect(paths.edges).toBeGreaterThan(50);
    expect(paths.few).toBeGreaterThan(20);
    expect(paths.pairs).toBeGreaterThan(20);
    expect(paths.many).toBeGreaterThan(50);
  });
});

// ─── The case-folding assumption ───────────────────────────────────────────────

describe('Unicode case folding', () => {
  it('with `iu`, only ſ (U+017F) and the Kelvin sign (U+212A) match an ASCII letter outside ASCII', () => {
    const letter = /^[a-z]$/iu;
    // Literals also hold digits, spaces and punctuation: nothing outside ASCII matches those either.
    const printable = /^[\x20-\x7e]$/iu;
    const letters: number[] = [];
    const others: number[] = [];
    for (let cp = 0x80; cp <= 0x10ffff; cp++) {
      if (cp === 0xd800) cp = 0xe000; // no surrogates
      const ch = String.fromCodePoint(cp);
      if (letter.test(ch)) letters.push(cp);
      if (printable.test(ch) && !letter.test(ch)) others.push(cp);
    }
    expect(letters).toEqual([0x17f, 0x212a]);
    expect(others).toEqual([]);
  });
});
