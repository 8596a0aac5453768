/**
 * Property tests of redaction: for random secrets, every way of writing them
 * (decomposed, in another case, with other apostrophes and dashes, with
 * invisible characters inside, wrapped after a hyphen, with other white
 * space) is masked, and nothing outside the name changes; cuts never show
 * part of a name; and through the CLI, no output shows one.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { MASK, createRedactor, normalisedForm } from '../../src/core/redact.js';
import { removeAll, tempProject } from '../helpers/project.js';
import { ROOT, RUNS } from './helpers.js';

/** Letters of secrets: accented (NFD differs), `ß` (SS), and letters no filler word has. */
const SECRET_LETTERS = ['é', 'è', 'ü', 'ö', 'ç', 'å', 'ñ', 'ø', 'þ', 'ß', 'Ł', 'ğ'];
/** Letters of the text around them: plain ASCII, so a filler never matches by chance. */
const FILLER = fc.array(fc.stringMatching(/^[a-z0-9]{1,8}$/), { minLength: 0, maxLength: 12 }).map((w) => w.join(' '));

const word = fc.array(fc.constantFrom(...SECRET_LETTERS), { minLength: 3, maxLength: 7 }).map((l) => l.join(''));
/** A secret: words joined by a space, a hyphen or an apostrophe. */
const secret = fc
  .tuple(word, fc.array(fc.tuple(fc.constantFrom(' ', '-', "'"), word), { maxLength: 2 }))
  .map(([first, rest]) => first + rest.map(([sep, w]) => sep + w).join(''));

const APOSTROPHES = ["'", '’', '‘', 'ʼ', '′', '´', '`'];
const DASHES = ['-', '‐', '‑', '‒', '–', '—', '―', '−', '﹣', '－'];
const INVISIBLES = ['\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u200e', '\u200f', '\u202a', '\u202c', '\u2066', '\u2069'];
const SPACES = [' ', '  ', '\u00a0', '\u202f', '\t', '\n', ' \n ', '\r\n', '\u2009'];

/** A written form of `s`: choices drawn by `pick` for each place where the writing may vary. */
function variant(s: string, pick: (n: number) => number): string {
  const clusters = [...s];
  let out = '';
  clusters.forEach((ch, i) => {
    let c = ch;
    if (c === "'") c = APOSTROPHES[pick(APOSTROPHES.length)] as string;
    else if (c === '-') {
      // A dash, or a hyphen that ends a line (the word goes on on the next).
      const k = pick(DASHES.length + 2);
      c = k < DASHES.length ? (DASHES[k] as string) : k === DASHES.length ? '-\n' : '-\r\n  ';
    } else if (c === ' ') c = SPACES[pick(SPACES.length)] as string;
    else {
      if (pick(2) === 1) c = c.toUpperCase();
      if (pick(2) === 1) c = c.normalize('NFD');
    }
    out += c;
    // Between two letters: sometimes an invisible character, sometimes a hyphen or soft hyphen at a line end.
    const next = clusters[i + 1];
    if (next !== undefined && /\p{L}/u.test(ch) && /\p{L}/u.test(next)) {
      const k = pick(10);
      if (k === 0) out += INVISIBLES[pick(INVISIBLES.length)] as string;
      else if (k === 1 && !s.includes('-')) out += pick(2) === 0 ? '-\n' : '\u00ad\n';
    }
  });
  return out;
}

/** A seed for `variant`'s choices. */
const choices = fc.array(fc.nat({ max: 1_000_000 }), { minLength: 64, maxLength: 64 }).map((seeds) => {
  let k = 0;
  return (n: number): number => (seeds[k++ % seeds.length] as number) % n;
});

describe('every written form of a secret is masked, and nothing else changes', () => {
  it('mask', () => {
    fc.assert(
      fc.property(secret, choices, FILLER, FILLER, (s, pick, before, after) => {
        const written = variant(s, pick);
        const text = `${before} ${written} ${after}`;
        expect(createRedactor([s]).mask(text)).toBe(`${before} ${MASK} ${after}`);
      }),
      { numRuns: RUNS.random * 4 },
    );
  });

  it('the secret itself written in another form masks the original', () => {
    fc.assert(
      fc.property(secret, choices, FILLER, (s, pick, around) => {
        const written = variant(s, pick);
        // A list holds names on one line: no wraps there.
        fc.pre(!/[\n\r]/u.test(written));
        expect(createRedactor([written]).mask(`${around} ${s}.`)).toBe(`${around} ${MASK}.`);
      }),
      { numRuns: RUNS.random * 2 },
    );
  });

  it('slicer: a cut through a name shows the mask, never part of it', () => {
    fc.assert(
      fc.property(secret, choices, FILLER, FILLER, fc.nat(), fc.nat(), (s, pick, before, after, x, y) => {
        const text = `${before} ${variant(s, pick)} ${after}`;
        const [range] = createRedactor([s]).ranges(text);
        expect(range).toBeDefined();
        const [ms, me] = range as [number, number];
        const a = x % (text.length + 1);
        const b = a + (y % (text.length - a + 1));
        const expected = b <= a ? '' : b <= ms || a >= me ? text.slice(a, b) : `${text.slice(a, Math.max(a, ms))}${MASK}${text.slice(Math.min(b, me), b)}`;
        expect(createRedactor([s]).slicer(text)(a, b)).toBe(expected);
      }),
      { numRuns: RUNS.random * 2 },
    );
  });

  it('any piece of any text, taken as a secret, is masked wherever it is', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), fc.constantFrom('a', 'B', 'e\u0301', 'ß', 'SS', 'İ', 'Σ', 'ς', ...APOSTROPHES, ...DASHES, ...INVISIBLES, ...SPACES, '\n\n', '-\n', '𝐀')), { minLength: 1, maxLength: 80 }), fc.nat(), fc.nat(), (graphemes, x, y) => {
        const a = x % graphemes.length;
        const b = a + 1 + (y % Math.min(8, graphemes.length - a));
        const piece = graphemes.slice(a, b).join('');
        const r = createRedactor([piece]);
        const n = normalisedForm(piece).trim();
        // Nothing to find (white space, invisible characters), a lone mark (it composes with what is before it), or the mask's own characters.
        // A secret of dashes only is matched as written (never as the hyphen of a wrap).
        fc.pre(n !== '' && !/^\p{M}/u.test(n) && !/[[\]·]/u.test(n) && !/^-+$/u.test(n));
        const text = graphemes.join('');
        expect(r.ranges(text).length).toBeGreaterThan(0);
        const pattern = new RegExp(n.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&').replace(/-/gu, '-?'), 'u');
        expect(normalisedForm(r.mask(text))).not.toMatch(pattern);
      }),
      { numRuns: RUNS.random * 4 },
    );
  });

  it('text without a secret is never changed', () => {
    fc.assert(
      fc.property(fc.array(secret, { minLength: 1, maxLength: 4 }), fc.string({ unit: 'grapheme', maxLength: 300 }), (secrets, text) => {
        const r = createRedactor(secrets);
        const ranges = r.ranges(text);
        const masked = r.mask(text);
        // Outside the ranges, the text is kept as it is.
        let pos = 0;
        let rebuilt = '';
        for (const [s, e] of ranges) {
          rebuilt += `${text.slice(pos, s)}${MASK}`;
          pos = e;
        }
        expect(masked).toBe(rebuilt + text.slice(pos));
        if (ranges.length === 0) expect(masked).toBe(text);
      }),
      { numRuns: RUNS.random * 2 },
    );
  });
});

describe('through the CLI, no output shows a written form of a secret', () => {
  const temps: string[] = [];
  afterAll(() => temps.forEach(removeAll));
  const base = path.join(ROOT, 'tests/fixtures/check/_base');
  /** The letters of a text as a reader sees them: composed, lower case, `ß` as `ss`, nothing but the secrets' letters. */
  const letters = (text: string): string =>
    text
      .normalize('NFC')
      .toLowerCase()
      .replace(/ß/gu, 'ss')
      .replace(/[^éèüöçåñøþłğs]/gu, '');

  it('quotes, search, tag --json, export json|csv, report', async () => {
    await fc.assert(
      fc.asyncProperty(secret, choices, async (s, pick) => {
        const dir = tempProject(base);
        temps.push(dir);
        const written = variant(s, pick);
        const files: Record<string, string> = {
          '.verbatim/redact.txt': `${s}\n`,
          'corpus/A1.md': `---\nid: A1\nlabel: A resident\nattributes:\n  role: resident\n---\n\n**R:** Nobody told us anything at all, said ${written} to the neighbours, and the whole street stayed angry about the works for months. {#info.lack}\n`,
        };
        for (const [name, content] of Object.entries(files)) {
          mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
          writeFileSync(path.join(dir, name), content);
        }
        const secretLetters = letters(s);
        for (const argv of [['quotes', 'info', '--json'], ['search', 'neighbours', '--context', '100', '--json'], ['tag', '--json'], ['export', 'json'], ['export', 'csv'], ['report']]) {
          const io = memoryIo(dir);
          const code = await run(argv, io);
          expect(code, `${argv.join(' ')}: ${io.err}`).toBe(0);
          const out = argv[0] === 'report' ? readFileSync(path.join(dir, 'reports/report.md'), 'utf8') : io.out;
          expect(out, argv.join(' ')).toContain(MASK);
          expect(letters(out), `${argv.join(' ')} shows ${JSON.stringify(written)}`).not.toContain(secretLetters);
        }
      }),
      { numRuns: 8 },
    );
  });
});
