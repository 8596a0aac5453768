import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/engine/load-project.js';
import { codeProject } from '../../src/engine/pipeline.js';
import { codingsCsv, matrixCsv } from '../../src/exchange/csv.js';
import { iramuteqCorpus } from '../../src/exchange/iramuteq.js';
import { projectJson } from '../../src/exchange/json-export.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/exchange/project', import.meta.url));
const p = codeProject(loadProject(FIXTURE));

describe('CSV of codings', () => {
  const rows = parse(codingsCsv(p), { columns: true }) as Record<string, string>[];

  it('has one row per coding with its attributes', () => {
    expect(Object.keys(rows[0]!)).toEqual(['transcript', 'segment', 'code', 'origin', 'start', 'end', 'text', 'group', 'place']);
    expect(rows).toHaveLength(p.codings.length);
    // The keywords' codings of this fixture are all accepted (the paragraph carries the code by hand too): one row, manual.
    expect(rows.filter((r) => r.origin === 'auto')).toEqual([]);
    const byKeywords = parse(codingsCsv(p, { origin: 'auto' }), { columns: true }) as Record<string, string>[];
    expect(byKeywords.map((r) => `${r.transcript}:${r.segment} ${r.code} ${r.origin}`)).toEqual(['A1:1 trust.local manual', 'A1:2 doubt manual']);
  });

  it('masks redactions and counts code points in the masked text', () => {
    // "**Q :** Whom do you trust?" is 26 characters, then a blank line and "**R :** " (8): the answer starts at 36.
    expect(rows[0]).toEqual({ transcript: 'A1', segment: '1', code: 'trust', origin: 'manual', start: '36', end: '81', text: 'I trust my neighbours, and [·] most of all. 😀', group: 'young', place: 'village' });
    expect(rows.find((r) => r.code === 'trust.local' && r.origin === 'manual')).toMatchObject({ start: '63', end: '66', text: '[·]' });
    expect(codingsCsv(p)).not.toMatch(/Jean|Dupont/);
  });

  it('keeps one origin on request', () => {
    const manual = parse(codingsCsv(p, { origin: 'manual' }), { columns: true }) as Record<string, string>[];
    expect(manual.every((r) => r.origin === 'manual')).toBe(true);
    expect(manual).toHaveLength(p.codings.filter((c) => c.origin === 'manual').length);
  });
});

describe('respondent × code matrix', () => {
  it('marks 1 when a segment carries the code or a descendant', () => {
    // Automatic codings only: A1 has trust.local (so trust, its parent) and doubt.
    expect(matrixCsv(p, { origin: 'auto' })).toBe('id,label,group,place,trust,trust.local,trust.state,doubt\nA1,A young villager,young,village,1,1,0,1\nB2,An older townsman,old,town,0,0,0,0\n');
    expect(matrixCsv(p).split('\n').slice(1, 3)).toEqual(['A1,A young villager,young,village,1,1,1,1', 'B2,An older townsman,old,town,1,1,1,1']);
  });
});

describe('IRaMuTeQ corpus', () => {
  it('writes starred variables and the respondent paragraphs only, masked', () => {
    expect(iramuteqCorpus(p)).toBe(
      [
        '**** *id_A1 *group_young *place_village',
        'I trust my neighbours, and [·] most of all. 😀',
        'Then the state, less so. I doubt the mayor.',
        'The end.',
        'No doubt about it.',
        '',
        '**** *id_B2 *group_old *place_town',
        'Nobody 🙃 here. Really, nobody.',
        'Maybe my family.',
        'I trust my [old] friends and that is all.',
        '',
      ].join('\n'),
    );
  });

  it('keeps IRaMuTeQ markup out of names and texts', () => {
    const t = { ...p.transcripts[0]!, attributes: { 'age_group': 'under 30' }, paragraphs: [{ ...p.transcripts[0]!.segments[0]!, text: '**** *bold* text\nwrapped' }] };
    expect(iramuteqCorpus({ ...p, transcripts: [t], panel: undefined })).toBe('**** *id_A1 *age-group_under-30\nbold text wrapped\n');
  });
});

describe('JSON export', () => {
  const doc = JSON.parse(projectJson(p, { generator: 'Verbatim 0.0.0' })) as {
    generator: string;
    transcripts: { id: string; text: string; paragraphs: { segment?: number; start: number; end: number }[] }[];
    codings: { transcript: string; start: number; end: number; text: string; evidence?: { keyword: string; text: string }[] }[];
  };

  it('gives offsets that select the coded text in the exported text', () => {
    expect(doc.generator).toBe('Verbatim 0.0.0');
    for (const c of doc.codings) {
      const t = doc.transcripts.find((x) => x.id === c.transcript)!;
      expect(Array.from(t.text).slice(c.start, c.end).join('')).toBe(c.text);
    }
    const a1 = doc.transcripts[0]!;
    expect(a1.paragraphs.filter((x) => x.segment !== undefined).map((x) => Array.from(a1.text).slice(x.start, x.end).join(''))).toEqual([
      'I trust my neighbours, and [·] most of all. 😀',
      'Then the state, less so. I doubt the mayor.',
      'The end.',
      'No doubt about it.',
    ]);
  });

  it('carries the keywords that fired, and nothing redacted', () => {
    expect(doc.codings.find((c) => c.evidence)?.evidence).toEqual([{ keyword: 'neighbour*', kind: 'keyword', start: 47, end: 57, text: 'neighbours' }]);
    expect(projectJson(p)).not.toMatch(/Jean|Dupont/);
  });
});
