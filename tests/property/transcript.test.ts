/**
 * Property tests of the transcript parser and its marker scanner: random text
 * and mutated real transcripts never throw, give a transcript or errors, and
 * keep the offset invariants every later stage relies on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/core/source-file.js';
import { scanMarkers } from '../../src/project/markers.js';
import { DEFAULT_SPEAKERS, type Transcript } from '../../src/project/model.js';
import { parseTranscript } from '../../src/project/transcript.js';
import { expectDataOrErrors, expectWellFormed, mutated, nastyString, RUNS, TRANSCRIPTS } from './helpers.js';

const options = { language: 'fr' as const, speakers: DEFAULT_SPEAKERS, codeInterviewer: false };

/** The invariants of a parsed transcript (plain comparisons, one `expect`: fast enough for many runs). */
function expectConsistent(t: Transcript, file: SourceFile): void {
  const text = file.text;
  const broken: string[] = [];
  const fail = (what: string): void => {
    if (broken.length < 5) broken.push(what);
  };
  if (t.bodyOffset < 0 || t.bodyOffset > text.length) fail(`bodyOffset ${t.bodyOffset}`);
  // Plain offsets map back to the same characters of the file.
  const step = Math.max(1, Math.floor(t.plain.length / 500));
  for (let o = 0; o < t.plain.length; o += step) {
    const s = t.toSource(o);
    if (s < t.bodyOffset || text[s] !== t.plain[o]) fail(`toSource(${o}) = ${s}`);
  }
  // Paragraphs and segments: their text is the plain text between their offsets, in order.
  let last = 0;
  for (const p of t.paragraphs) {
    if (!(p.start <= p.end && p.start >= last && p.end <= t.plain.length)) fail(`paragraph ${p.index} at ${p.start}-${p.end}`);
    if (p.text !== t.plain.slice(p.start, p.end)) fail(`paragraph ${p.index} text`);
    if (p.sourceStart > p.sourceEnd) fail(`paragraph ${p.index} source range`);
    if (!['interviewer', 'respondent', 'other'].includes(p.role)) fail(`paragraph ${p.index} role ${String(p.role)}`);
    last = p.end;
  }
  t.segments.forEach((s, i) => {
    if (s.segment !== i + 1 || t.paragraphs[s.index] !== s || s.text !== t.plain.slice(s.start, s.end)) fail(`segment ${i + 1}`);
  });
  for (const c of t.codings) {
    if (!(c.start >= 0 && c.start <= c.end && c.end <= t.plain.length)) fail(`coding ${c.code} at ${c.start}-${c.end}`);
    if (!c.paragraphs.every((i) => t.paragraphs[i] !== undefined)) fail(`coding ${c.code} paragraphs`);
    if (!(c.marker[0] <= c.marker[1] && c.marker[1] <= text.length)) fail(`coding ${c.code} marker`);
  }
  expect(broken).toEqual([]);
}

function check(text: string): void {
  const file = new SourceFile('corpus/T.md', text);
  const t = parseTranscript(file, options);
  expectWellFormed(file);
  expectDataOrErrors(t, file);
  if (t) expectConsistent(t, file);
}

/** Words without any character the marker syntax uses. */
const word = fc.stringMatching(/^[a-zA-Zàéèçô'’,.?0-9-]{1,12}$/);

describe('parseTranscript (property)', () => {
  it('random text never throws and gives a consistent transcript or errors', () => {
    fc.assert(fc.property(nastyString, check), { numRuns: RUNS.random });
  });

  it('random text after a valid front matter', () => {
    fc.assert(fc.property(nastyString, (body) => check(`---\nid: T\nlabel: L\n---\n\n**R :** ${body}`)), { numRuns: RUNS.random });
  });

  it('mutated real transcripts never throw and stay consistent', () => {
    fc.assert(fc.property(mutated(TRANSCRIPTS), check), { numRuns: RUNS.mutated });
  });

  it('a speaker label named like a property of Object.prototype is not a speaker', () => {
    const names = Object.getOwnPropertyNames(Object.prototype);
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.constantFrom(':', ' :', ' : '), word, (name, colon, w) => {
        const file = new SourceFile('corpus/T.md', `**R :** Bonjour.\n\n${name}${colon} ${w}\n\n**${name}${colon}** ${w}\n`);
        const t = parseTranscript(file, options)!;
        expect(t.paragraphs.map((p) => p.role)).toEqual(['respondent', 'respondent', 'respondent']);
        expectConsistent(t, file);
      }),
      { numRuns: 40 },
    );
  });

  it('the unmutated fixtures are consistent too', () => {
    for (const text of TRANSCRIPTS) check(text);
  });

  const codeId = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}(\.[a-z][a-z0-9_-]{0,8}){0,2}$/);
  const piece: fc.Arbitrary<string> = fc.oneof(
    { weight: 6, arbitrary: word },
    { weight: 1, arbitrary: fc.array(codeId, { minLength: 1, maxLength: 3 }).map((ids) => `{${ids.map((i) => `#${i}`).join(' ')}}`) },
    { weight: 1, arbitrary: codeId.map((i) => `{!${i}}`) },
    { weight: 1, arbitrary: fc.tuple(fc.array(word, { minLength: 1, maxLength: 4 }), codeId).map(([w, i]) => `[${w.join(' ')}]{#${i}}`) },
  );
  const paragraph = fc.array(piece, { minLength: 1, maxLength: 12 }).map((ps) => ps.join(' '));
  /** A begin/end pair around some paragraphs, well nested by construction. */
  const transcript = fc
    .tuple(fc.array(fc.tuple(fc.constantFrom('**R :** ', '**Q :** ', 'R: ', ''), paragraph), { minLength: 1, maxLength: 8 }), fc.option(fc.tuple(codeId, fc.nat(), fc.nat())))
    .map(([paragraphs, range]) => {
      const parts = paragraphs.map(([speaker, p]) => `${speaker}${p}`);
      if (range) {
        const [id, a, b] = range;
        const from = a % parts.length;
        const to = from + (b % (parts.length - from));
        parts[from] = `{>${id}} ${parts[from]}`;
        parts[to] = `${parts[to]} {<${id}}`;
      }
      return `---\nid: T1\nlabel: Un répondant\n---\n\n${parts.join('\n\n')}\n`;
    });

  it('well-formed markers are all read and none is left in the plain text', () => {
    fc.assert(
      fc.property(transcript, (text) => {
        const file = new SourceFile('corpus/T1.md', text);
        const t = parseTranscript(file, options);
        expect(t).toBeDefined();
        expect(file.messages.filter((d) => d.ruleId === 'marker-syntax')).toEqual([]);
        expect(t!.plain).not.toMatch(/\{[#!<>]|\]\{/);
        expectConsistent(t!, file);
        // Every code named in the text is read back (begin/end pairs count once).
        const named = [...text.matchAll(/\{([#!>])([^}]*)\}|\]\{#([^}]*)\}/g)].flatMap((m) => (m[3] ?? m[2] ?? '').split(' ').map((s) => s.replace(/^[#!>]/, '')));
        // A code repeated on one paragraph is one coding, and each repeat a duplicate-marker warning.
        const repeats = file.messages.filter((d) => d.ruleId === 'duplicate-marker').length;
        expect([...new Set(t!.codings.map((c) => c.code))].sort()).toEqual([...new Set(named.filter((n) => n !== ''))].sort());
        expect(t!.codings.length + repeats).toBe(named.filter((n) => n !== '').length);
      }),
      { numRuns: RUNS.random },
    );
  });
});

describe('scanMarkers (property)', () => {
  it('never throws; cuts are sorted, disjoint and inside the paragraph', () => {
    fc.assert(
      fc.property(nastyString, fc.nat(), fc.nat(), (text, a, b) => {
        const file = new SourceFile('corpus/T.md', text);
        const start = text.length === 0 ? 0 : a % (text.length + 1);
        const end = start + (text.length - start === 0 ? 0 : b % (text.length - start + 1));
        const { markers, cuts } = scanMarkers(file, start, end);
        expectWellFormed(file);
        let last = start;
        for (const [s, e] of cuts) {
          expect(s).toBeGreaterThanOrEqual(last);
          expect(e).toBeGreaterThan(s);
          expect(e).toBeLessThanOrEqual(end);
          last = e;
        }
        for (const m of markers) {
          expect(m.codes.length).toBeGreaterThan(0);
          for (const c of m.codes) expect(c.id).toMatch(/^[\p{L}\p{N}_-]+(?:\.[\p{L}\p{N}_-]+)*$/u);
        }
      }),
      { numRuns: RUNS.random },
    );
  });
});
