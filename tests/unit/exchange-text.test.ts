import { describe, expect, it } from 'vitest';
import { escapeMarkers, normalizeBreaks, paragraphMode, prepareBody } from '../../src/exchange/body.js';
import { foldDescription, unfoldDescription } from '../../src/exchange/description.js';
import { guidFor, normalizeGuid } from '../../src/exchange/guid.js';
import { choosePolicy, edgeScore, policyForOrigin, unitTable } from '../../src/exchange/offsets.js';
import { createRedactor } from '../../src/core/redact.js';
import { maskedText } from '../../src/exchange/export-common.js';
import { IdAllocator, slugCodeId, slugTranscriptId } from '../../src/exchange/slug.js';
import { detectSpeakers, genericLabel, leadingLabel } from '../../src/exchange/speakers.js';
import { codePointIndex, normalizeNewlines } from '../../src/exchange/text-map.js';

describe('guidFor', () => {
  it('computes RFC 4122 version 5 UUIDs', () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org')
    expect(guidFor('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
    // Taguette's codebook GUIDs are uuid5(51B2B2B7-…, tag path): the sample file's values.
    const taguette = '51B2B2B7-27EB-4ECB-9D56-E75B0A0496C2';
    expect(guidFor('interesting', taguette)).toBe('0d62985d-b147-5d01-a9b5-cae5dcd98342');
    expect(guidFor('interesting\\places', taguette)).toBe('55bb6892-6f30-5129-8cb8-557a1b12137b');
  });

  it('is stable and distinct per name', () => {
    expect(guidFor('code:freins.etat')).toBe(guidFor('code:freins.etat'));
    expect(guidFor('code:freins.etat')).not.toBe(guidFor('code:freins'));
    expect(guidFor('code:x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('normalises braces and case', () => {
    expect(normalizeGuid('{D7AA29DA-519B-4946-9B90-253B6DB8FD0A}')).toBe('d7aa29da-519b-4946-9b90-253b6db8fd0a');
  });
});

describe('slugs', () => {
  it('turns code names into local ids', () => {
    expect(slugCodeId('1. Oltás típusa')).toBe('1-oltas-tipusa');
    expect(slugCodeId('Œuvre & Co')).toBe('oeuvre-co');
    expect(slugCodeId('rq1_definition')).toBe('rq1_definition');
    expect(slugCodeId('"rushed"')).toBe('rushed');
    expect(slugCodeId('Ελληνικά')).toBe('');
    expect(slugCodeId('a very long code name that goes on and on well past the limit of ids')).toBe('a-very-long-code-name-that-goes-on-and-on-well');
  });

  it('keeps case in transcript ids and drops the extension', () => {
    expect(slugTranscriptId('Mabêl 2ième.txt')).toBe('Mabel-2ieme');
    expect(slugTranscriptId('E07')).toBe('E07');
    expect(slugTranscriptId('interview 3.VTT')).toBe('interview-3');
  });

  it('dedupes among siblings, case-insensitively', () => {
    const ids = new IdAllocator(['taken']);
    expect([ids.take('a', 'x'), ids.take('a', 'x'), ids.take('A', 'x'), ids.take('', 'code'), ids.take('taken', 'x')]).toEqual(['a', 'a-2', 'A-3', 'code', 'taken-2']);
  });
});

describe('redaction and offset maps', () => {
  it('masks every occurrence, case-insensitively, and maps offsets onto the mask', () => {
    const m = maskedText('Ask Jean Dupont or jean dupont.', createRedactor(['Jean Dupont']));
    expect(m.text).toBe('Ask [·] or [·].');
    expect([m.map(4), m.map(8, 'start'), m.map(8, 'end'), m.map(15), m.map(19), m.map(30), m.map(31)]).toEqual([4, 4, 7, 7, 11, 14, 15]);
  });

  it('prefers the longest secret and finds leaks', () => {
    expect(createRedactor(['Odile', 'Odile Ferrandon']).mask('Odile Ferrandon and Odile')).toBe('[·] and [·]');
    expect(createRedactor(['Sainte-Orlane', 'Paris']).leaks('the mayor of SAINTE-ORLANE said')).toEqual([[13, 26]]);
    expect(createRedactor([]).leaks('nothing here')).toEqual([]);
  });

  it('normalises line breaks, mapping an offset inside CRLF before the LF', () => {
    const m = normalizeNewlines('a\r\nb\rc');
    expect(m.text).toBe('a\nb\nc');
    expect([1, 2, 3, 4, 5, 6].map((o) => m.map(o))).toEqual([1, 1, 2, 3, 4, 5]);
  });

  it('counts code points', () => {
    const cp = codePointIndex('a😀b');
    expect([0, 1, 2, 3, 4].map(cp)).toEqual([0, 1, 1, 2, 3]);
  });
});

describe('offset units', () => {
  const text = 'a😀b\r\nc';
  it('reads code points, UTF-16 units, and CRLF as one', () => {
    const cp = unitTable(text, 'code-points', false);
    expect([cp.length, cp.toUtf16(2), cp.toUtf16(5), cp.toUtf16(6)]).toEqual([6, 3, 6, 7]);
    const u16 = unitTable(text, 'utf16', false);
    expect([u16.length, u16.toUtf16(3), u16.toUtf16(99)]).toEqual([7, 3, 7]);
    const atlas = unitTable(text, 'code-points', true);
    expect([atlas.length, atlas.toUtf16(3), atlas.toUtf16(4)]).toEqual([5, 4, 6]);
  });

  it('chooses by producing tool', () => {
    expect(policyForOrigin('NVivo for Windows 12.6')?.unit).toBe('utf16');
    expect(policyForOrigin('ATLAS.ti 8.4.0 573')).toMatchObject({ unit: 'code-points', crlfAsOne: true });
    expect(policyForOrigin('Verbatim 0.1.0')).toMatchObject({ unit: 'code-points', crlfAsOne: false });
    expect(policyForOrigin('MAXQDA 24.7.0')).toBeUndefined();
  });

  it('detects UTF-16 offsets from where selections fall when the tool is unknown', () => {
    const t = '😀😀 alpha beta gamma';
    // "alpha" and "beta" in UTF-16 units; read as code points they would start inside words.
    const ranges = [{ start: 5, end: 10 }, { start: 11, end: 15 }];
    expect(edgeScore(t, ranges, unitTable(t, 'utf16', false))).toBe(4);
    expect(edgeScore(t, ranges, unitTable(t, 'code-points', false))).toBeLessThan(4);
    expect(choosePolicy('SomeTool 1.0', [{ text: t, ranges }]).unit).toBe('utf16');
    expect(choosePolicy('SomeTool 1.0', [{ text: t, ranges: [{ start: 3, end: 8 }] }]).unit).toBe('code-points');
    expect(choosePolicy(undefined, [{ text: 'plain ascii', ranges }]).reason).toMatch(/no character where the readings differ/);
  });
});

describe('descriptions', () => {
  it('folds and unfolds everything Verbatim knows about a code', () => {
    const code = {
      definition: 'When the respondent trusts.\nSecond line.',
      include: ['trust in people', 'a two-line\ncriterion'],
      exclude: ['distrust'],
      examples: ['"I trust them."'],
      keywords: ['trust*', 'rely on'],
      patterns: ['\\btrust(s|ed)?\\b'],
      unless: ['trust fund'],
      synthesis: '- Trust is local.\n- It is personal.',
      memo: 'Check.',
      id: 'trust.local',
    };
    const folded = foldDescription(code);
    expect(folded).toContain('Include:\n- trust in people\n- a two-line\n  criterion\n');
    expect(folded.endsWith('\n\nVerbatim id: trust.local')).toBe(true);
    expect(unfoldDescription(folded)).toEqual({ ...code, include: ['trust in people', 'a two-line\ncriterion'] });
  });

  it('reads another tool’s description as the definition', () => {
    expect(unfoldDescription('Erősen szkeptikus (piros)\nElfogadó (zöld)')).toEqual({
      definition: 'Erősen szkeptikus (piros)\nElfogadó (zöld)',
      include: [],
      exclude: [],
      examples: [],
      keywords: [],
      patterns: [],
      unless: [],
    });
  });
});

describe('bodies from other tools’ texts', () => {
  it('tells line paragraphs from blank-line paragraphs', () => {
    expect(paragraphMode('line one\nline two\nline three')).toBe('lines');
    expect(paragraphMode('para one\nwrapped\n\npara two\nwrapped')).toBe('blocks');
    expect(paragraphMode('one line')).toBe('blocks');
  });

  it('turns CRLF into LF and single line breaks into blank lines, with the map', () => {
    const raw = 'a\r\nb\r\n\r\nc';
    const b = normalizeBreaks(raw, 'lines');
    expect(b.text).toBe('a\n\nb\n\nc');
    expect([b.map(1), b.map(3), b.map(8)]).toEqual([1, 3, 6]);
    expect(normalizeBreaks(raw, 'blocks').text).toBe('a\nb\n\nc');
  });

  it('escapes what the marker scanner would read, and only that', () => {
    const e = escapeMarkers('a{#b} c\\{#d} e{x} ]{#f}');
    // The backslash of `c\\{#d}` is escaped too, so that the plain text keeps it (the parser reads `\\{` as an escaped `{`).
    expect(e.text).toBe('a\\{#b} c\\\\\\{#d} e{x} ]\\{#f}');
    expect(e.escapes).toBe(4);
    expect([e.map(1), e.map(2)]).toEqual([1, 3]);
    expect(prepareBody('x {>y}\r\nz').text).toBe('x \\{>y}\n\nz');
  });
});

describe('speakers', () => {
  it('finds labels that open turns', () => {
    expect(detectSpeakers('Alice: hi\n\nBob: hello\n\nAlice: bye\n\nBob: ok\n\nNote: once')).toEqual(['Alice', 'Bob', 'Note']);
    expect(detectSpeakers('**Q :** question\n\n**R :** answer\n\n**Q :** again\n\nmore answer\n\n**R :** yes')).toEqual(['Q', 'R']);
    expect(detectSpeakers('Kötelező oltás: x\n\nfoo\n\nbar\n\nbaz')).toEqual([]);
    expect(leadingLabel('[00:01:02] Max Bigman:   Hello')).toBe('Max Bigman');
    expect(leadingLabel('See https://example.org: here')).toBeUndefined();
  });

  it('tells role labels from names', () => {
    expect(['Speaker 12', 'Q', 'Interviewer', '[SPEAKER_00]', 'Moderator'].map(genericLabel)).toEqual([true, true, true, true, true]);
    expect(['Max Bigman', 'Claire', 'admin-1'].map(genericLabel)).toEqual([false, false, false]);
  });
});
