import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/core/source-file.js';
import { prepareBody } from '../../src/exchange/body.js';
import { writeMarkers, type MarkerCoding } from '../../src/exchange/write-markers.js';
import { parseTranscript } from '../../src/project/transcript.js';

const FM = '---\nid: T\nspeakers: {}\n---\n\n';
const BODY = 'One two three.\n\nFour five six.\n';

function write(codings: MarkerCoding[], body = BODY, fm = FM) {
  const r = writeMarkers('corpus/T.md', fm, body, codings);
  const t = parseTranscript(new SourceFile('corpus/T.md', r.text), { language: 'en', speakers: {}, codeInterviewer: false })!;
  return { ...r, body: r.text.slice(fm.length), t, quote: (i: number) => t.plain.slice(r.placed[i]!.start, r.placed[i]!.end) };
}

describe('writeMarkers', () => {
  it('writes a whole-paragraph coding as {#code}', () => {
    const r = write([{ code: 'a', start: 0, end: 14 }]);
    expect(r.body).toBe('One two three. {#a}\n\nFour five six.\n');
    expect(r.placed.map((p) => p.form)).toEqual(['paragraph']);
    expect(r.quote(0)).toBe('One two three.');
  });

  it('writes a span inside a paragraph as [words]{#code}, codes of one range together', () => {
    const r = write([{ code: 'b', start: 4, end: 7 }, { code: 'c', start: 4, end: 7 }]);
    expect(r.body).toBe('One [two]{#b #c} three.\n\nFour five six.\n');
    expect(r.t.codings.map((c) => [c.code, r.t.plain.slice(c.start, c.end)])).toEqual([['b', 'two'], ['c', 'two']]);
  });

  it('keeps nested spans in brackets and turns a crossing span into {>code}…{<code}', () => {
    const r = write([{ code: 'c', start: 0, end: 7 }, { code: 'd', start: 4, end: 13 }, { code: 'e', start: 4, end: 7 }]);
    expect(r.body).toBe('[One {>d}[two]{#e}]{#c} three{<d}.\n\nFour five six.\n');
    expect(r.placed.map((p) => [p.coding.code, p.form, r.t.plain.slice(p.start, p.end)])).toEqual([
      ['c', 'span', 'One two'],
      ['e', 'span', 'two'],
      ['d', 'begin-end', 'two three'],
    ]);
  });

  it('writes a span across paragraphs with begin/end markers', () => {
    const r = write([{ code: 'e', start: 8, end: 20 }]);
    expect(r.body).toBe('One two {>e}three.\n\nFour{<e} five six.\n');
    expect(r.quote(0)).toBe('three.\n\nFour');
  });

  it('moves an edge in the blank lines onto the next paragraph', () => {
    const r = write([{ code: 'f', start: 14, end: 20 }]);
    expect(r.body).toBe('One two three.\n\n[Four]{#f} five six.\n');
    expect(r.placed[0]!.adjusted).toBe('edges moved off the blank lines between paragraphs');
  });

  it('moves an edge off a speaker label, which must stay first in its paragraph', () => {
    const fm = '---\nid: T\nspeakers:\n  Alice: respondent\n---\n\n';
    const r = write([{ code: 'a', start: 0, end: 19 }, { code: 'b', start: 0, end: 12 }], 'Alice: hello there.\n', fm);
    expect(r.body).toBe('Alice: [hello]{#b} there. {#a}\n');
    expect(r.placed.map((p) => p.adjusted)).toEqual(['edges moved off a speaker label, timestamp or heading', 'edges moved off a speaker label, timestamp or heading']);
    expect(r.t.paragraphs[0]!.speaker).toBe('Alice');
  });

  it('avoids brackets around text that has brackets of its own', () => {
    const r = write([{ code: 'a', start: 0, end: 10 }], 'See [note] here.\n');
    expect(r.body).toBe('{>a}See [note]{<a} here.\n');
    expect(r.quote(0)).toBe('See [note]');
  });

  it('codes every paragraph for a whole-source coding', () => {
    const r = write([{ code: 'w', start: 0, end: 0, whole: true }]);
    expect(r.body).toBe('{>w}One two three.\n\nFour five six.{<w}\n');
    expect(r.quote(0)).toBe('One two three.\n\nFour five six.');
  });

  it('drops what cannot be written, and says why', () => {
    const body = 'One two.\n\nThree four.\n\nFive six.\n';
    const r = write(
      [
        { code: 'a', start: 0, end: 3 },
        { code: 'a', start: 0, end: 3 },
        { code: 'b', start: 5, end: 5 },
        { code: 'c', start: 8, end: 10 },
        { code: 'd', start: 4, end: 15 },
        { code: 'd', start: 10, end: 25 },
      ],
      body,
    );
    expect(r.dropped.map((d) => [d.coding.code, d.reason])).toEqual([
      ['a', 'the same code on the same text is already written (a duplicate coding)'],
      ['b', 'the selection is empty'],
      ['c', 'the selection covers no paragraph text (only blank lines, a speaker label, a timestamp or a heading)'],
      ['d', 'it overlaps another coding of the same code without containing it'],
    ]);
    expect(r.placed.map((p) => [p.coding.code, r.t.plain.slice(p.start, p.end)])).toEqual([
      ['a', 'One'],
      ['d', 'two.\n\nThree'],
    ]);
  });

  // Any text of words, spaces and line breaks: every coding that covers words is written and read back exactly.
  it('round-trips random codings through the transcript parser', () => {
    const word = fc.constantFrom('alpha', 'beta', 'γάμμα', '😀', 'x.', 'ok,');
    const sep = fc.constantFrom(' ', ' ', '  ', '\n', '\n\n', '\n\n\n');
    const body = fc.array(fc.tuple(word, sep), { minLength: 1, maxLength: 30 }).map((parts) => `${parts.map(([w, s]) => w + s).join('')}\n`);
    fc.assert(
      fc.property(body, fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('a', 'b', 'c.d')), { maxLength: 12 }), (text, raw) => {
        const codings = raw.map(([x, y, code]) => ({ code, start: Math.min(x, y) % text.length, end: Math.max(x, y) % (text.length + 1) }));
        const r = writeMarkers('corpus/T.md', FM, text, codings);
        const t = parseTranscript(new SourceFile('corpus/T.md', r.text), { language: 'en', speakers: {}, codeInterviewer: false })!;
        expect(t.plain).toBe(`\n${text}`);
        const got = t.codings.map((c) => `${c.code}@${c.start}-${c.end}`).sort();
        expect(got).toEqual(r.placed.map((p) => `${p.coding.code}@${p.start}-${p.end}`).sort());
        for (const p of r.placed) {
          const quote = t.plain.slice(p.start, p.end);
          if (!p.adjusted) expect(quote).toBe(text.slice(p.coding.start, p.coding.end));
          // An adjusted coding lost only blank space (and keeps its words).
          else expect(text.slice(p.coding.start, p.coding.end).replace(/\s+/g, '')).toContain(quote.replace(/\s+/g, ''));
        }
        const allowed = /duplicate|empty|no paragraph text|same code without containing/;
        for (const d of r.dropped) expect(d.reason).toMatch(allowed);
        expect(r.placed.length + r.dropped.length).toBe(codings.length);
      }),
      { numRuns: 1000 },
    );
  });

  it('never changes the text, whatever it holds (escaped first)', () => {
    const ch = fc.constantFrom('a', ' ', '\n', '[', ']', '{', '}', '#', '<', '>', '!', '\\', '😀', '*', ':');
    fc.assert(
      fc.property(fc.array(ch, { minLength: 1, maxLength: 60 }), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 8 }), (chars, raw) => {
        const prepared = prepareBody(chars.join(''), 'blocks').text;
        const codings = raw.map(([x, y], i) => ({ code: `k${i % 3}`, start: Math.min(x, y) % (prepared.length + 1), end: Math.max(x, y) % (prepared.length + 1) }));
        const r = writeMarkers('corpus/T.md', FM, prepared, codings);
        const t = parseTranscript(new SourceFile('corpus/T.md', r.text), { language: 'en', speakers: {}, codeInterviewer: false })!;
        // The escapes the importer added are undone: the plain text is the source text.
        expect(t.plain.slice(1)).toBe(chars.join(''));
        const got = t.codings.map((c) => `${c.code}@${c.start}-${c.end}`).sort();
        expect(got).toEqual(r.placed.map((p) => `${p.coding.code}@${p.start}-${p.end}`).sort());
      }),
      { numRuns: 1000 },
    );
  });
});
