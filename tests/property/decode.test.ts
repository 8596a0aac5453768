/**
 * Property tests of the byte decoder: any bytes give text or a refusal with a
 * byte offset, never mojibake (no C1 controls from Windows-1252, no lossy
 * UTF-8), and Windows-1252 text comes back character for character.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, firstInvalidUtf8 } from '../../src/core/decode.js';
import { RUNS, TRANSCRIPTS } from './helpers.js';

/** Windows-1252 encoder for the test (the decoder's inverse), from the WHATWG table. */
const CP1252: Record<string, number> = Object.fromEntries(
  [0x20ac, -1, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, -1, 0x017d, -1, -1, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, -1, 0x017e, 0x0178]
    .map((cp, i) => [cp, 0x80 + i] as const)
    .filter(([cp]) => cp > 0)
    .map(([cp, b]) => [String.fromCharCode(cp), b]),
);
function encode1252(text: string): Uint8Array {
  return Uint8Array.from([...text].map((c) => CP1252[c] ?? (c.charCodeAt(0) as number)));
}

/** What French text typed in Word holds: letters, accents, typographic quotes and dashes. */
const frenchChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz ,.;:?!\'\n0123456789éèêëàâçôöùûüîïÉÈÀÇŒœ’‘“”«»–—…€°\u00a0'.split(''));
const frenchText = fc.array(frenchChar, { minLength: 1, maxLength: 300 }).map((cs) => cs.join(''));

describe('decode (property)', () => {
  it('any bytes: text or a refusal, with an offset inside the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const d = decode(bytes);
        expect(d.text !== undefined || d.problem !== undefined).toBe(true);
        if (d.problem) {
          expect(d.problem.offset).toBeGreaterThanOrEqual(0);
          expect(d.problem.offset).toBeLessThanOrEqual(bytes.length);
          expect(d.problem.message).toMatch(/\S/);
        }
        if (d.text === undefined) {
          expect(['binary', 'invalid']).toContain(d.problem?.kind);
          if (d.problem?.kind === 'invalid') expect(d.problem.message).toContain(`byte ${d.problem.offset}`);
        } else if (d.encoding === 'utf-8') {
          // Valid UTF-8 is read as is: encoding the text again gives the same bytes.
          expect(Buffer.from(d.text, 'utf8').equals(Buffer.from(bytes.subarray(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0)))).toBe(true);
        } else if (d.encoding === 'windows-1252') {
          // Never an invisible C1 control: those bytes are letters and punctuation in Windows-1252.
          expect(d.text).not.toMatch(/[\u0080-\u009f]/);
          expect(d.text.length).toBe(bytes.length);
          expect(d.problem?.kind).toBe('legacy');
        }
      }),
      { numRuns: RUNS.random * 2 },
    );
  });

  it('Windows-1252 French text is read back exactly, with a warning at the first non-UTF-8 byte, or refused: never garbled', () => {
    fc.assert(
      fc.property(frenchText, (text) => {
        const bytes = encode1252(text);
        // Bytes that are also valid UTF-8 (`Ç‘` is C7 91, i.e. `Ǒ`) are UTF-8 for every decoder: out of scope.
        fc.pre(firstInvalidUtf8(bytes) < bytes.length);
        const d = decode(bytes);
        if (d.text === undefined) {
          // Refused only when the bytes happen to look like UTF-8 sequences as well.
          expect(d.problem?.kind).toBe('invalid');
          return;
        }
        expect(d.text).toBe(text);
        if (d.encoding === 'windows-1252') expect(d.problem?.offset).toBe(firstInvalidUtf8(bytes));
      }),
      { numRuns: RUNS.random * 2 },
    );
  });

  it('UTF-8 text with a pasted Windows-1252 byte is refused with its offset, not half garbled', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TRANSCRIPTS.filter((t) => /[é’à]/.test(t))), fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0x92, 0x93, 0xe9, 0x85), (text, at, byte) => {
        const utf8 = Buffer.from(text, 'utf8');
        // Insert the stray byte between two characters (never inside a UTF-8 sequence).
        let i = Math.floor(at * utf8.length);
        while (i < utf8.length && ((utf8[i] as number) & 0xc0) === 0x80) i++;
        const bytes = Buffer.concat([utf8.subarray(0, i), Buffer.from([byte]), utf8.subarray(i)]);
        const d = decode(bytes);
        expect(d.text).toBeUndefined();
        expect(d.problem).toMatchObject({ kind: 'invalid', offset: i });
      }),
      { numRuns: RUNS.slow },
    );
  });

  it('UTF-16 with a BOM: text or a refusal', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), fc.boolean(), fc.boolean(), (text, le, damage) => {
        const body = Buffer.from(text, 'utf16le');
        if (!le) body.swap16();
        const bytes = Buffer.concat([Buffer.from(le ? [0xff, 0xfe] : [0xfe, 0xff]), damage ? body.subarray(0, Math.max(0, body.length - 1)) : body]);
        const d = decode(bytes);
        if (d.text !== undefined) {
          expect(d.encoding).toBe(le ? 'utf-16le' : 'utf-16be');
          if (!damage) expect(d.text).toBe(text);
        } else {
          expect(d.problem?.kind).toBe('invalid');
          expect(d.problem?.message).toContain(`byte ${d.problem?.offset}`);
        }
      }),
      { numRuns: RUNS.slow },
    );
  });

  it('invalid UTF-16 is refused at its first bad code unit (found by the property above: FE FF 00)', () => {
    const cases: [number[], number][] = [
      [[0xfe, 0xff, 0x00], 2], // a last odd byte
      [[0xff, 0xfe, 0x00, 0xd8], 2], // a high surrogate at the end (little-endian D800)
      [[0xfe, 0xff, 0x00, 0x41, 0xd8, 0x00, 0x00, 0x41], 4], // a high surrogate followed by a letter
      [[0xfe, 0xff, 0xdc, 0x00], 2], // a lone low surrogate
    ];
    for (const [bytes, offset] of cases) {
      const d = decode(Uint8Array.from(bytes));
      expect(d.text).toBeUndefined();
      expect(d.problem?.offset).toBe(offset);
      expect(d.problem?.message).toContain(`byte ${offset}`);
    }
  });

  /** Bytes biased towards the edges of UTF-8: lead bytes, continuation bytes, surrogates, overlong forms. */
  const edgy = fc.array(fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.constantFrom(0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff)), { maxLength: 60 }).map((b) => Uint8Array.from(b));

  it('a UTF-8 refusal points at a byte inside the file, after a valid prefix, and names that byte (found by the probe: CESU-8 was "byte 185 (0x00)" of 185)', () => {
    fc.assert(
      fc.property(edgy, (bytes) => {
        const offset = firstInvalidUtf8(bytes);
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          valid = false;
        }
        // The same verdict as the platform's decoder, and a valid prefix before the offset.
        expect(offset === bytes.length).toBe(valid);
        expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, offset))).not.toThrow();
        const d = decode(bytes);
        if (d.problem?.kind === 'invalid') {
          expect(d.problem.offset).toBeLessThan(bytes.length);
          expect(d.problem.message).toContain(`byte ${offset} (0x${(bytes[offset] as number).toString(16).toUpperCase().padStart(2, '0')})`);
        }
      }),
      { numRuns: RUNS.random * 2 },
    );
  });

  it('CESU-8 (a character outside the BMP as two 3-byte surrogates) is refused at the first surrogate', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.integer({ min: 0x10000, max: 0x10ffff }), fc.string({ maxLength: 30 }), (before, astral, after) => {
        const head = Buffer.from(before.replace(/[\u0080-\uffff]/gu, 'x'), 'utf8');
        const unit = (u: number): number[] => [0xe0 | (u >> 12), 0x80 | ((u >> 6) & 0x3f), 0x80 | (u & 0x3f)];
        const c = astral - 0x10000;
        const bytes = Buffer.concat([head, Buffer.from([...unit(0xd800 + (c >> 10)), ...unit(0xdc00 + (c & 0x3ff))]), Buffer.from(after.replace(/[\u0080-\uffff]/gu, 'x'), 'utf8')]);
        const d = decode(bytes);
        expect(d.text).toBeUndefined();
        expect(d.problem).toMatchObject({ kind: 'invalid', offset: head.length });
        expect(d.problem?.message).toContain(`byte ${head.length} (0xED)`);
      }),
      { numRuns: RUNS.slow },
    );
  });

  it('UTF-32 with a BOM (little- or big-endian) is read back exactly, with a legacy warning; damaged, it is refused at the bad unit', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.boolean(), fc.integer({ min: 0, max: 2 }), (text, le, damage) => {
        const points = [...text].map((ch) => ch.codePointAt(0) as number);
        const bytes = Buffer.alloc(4 + 4 * points.length);
        bytes.writeUInt32LE(0xfeff, 0);
        points.forEach((cp, i) => bytes.writeUInt32LE(cp, 4 + 4 * i));
        if (!le) for (let i = 0; i < bytes.length; i += 4) bytes.subarray(i, i + 4).reverse();
        // 0: intact; 1: a last partial unit; 2: a unit past U+10FFFF appended.
        const extra = damage === 1 ? Buffer.from([0x41]) : damage === 2 ? Buffer.from(le ? [0, 0, 0x11, 0] : [0, 0x11, 0, 0]) : Buffer.alloc(0);
        const all = Buffer.concat([bytes, extra]);
        const d = decode(all);
        if (damage === 0) {
          expect(d.text).toBe(text);
          expect(d.encoding).toBe(le ? 'utf-32le' : 'utf-32be');
          expect(d.problem?.kind).toBe('legacy');
        } else {
          expect(d.text).toBeUndefined();
          expect(d.problem).toMatchObject({ kind: 'invalid', offset: bytes.length });
          expect(d.problem?.message).toContain(`byte ${bytes.length}`);
        }
      }),
      { numRuns: RUNS.slow },
    );
  });
});

