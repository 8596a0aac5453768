/**
 * Messages that point at the cause (issue 19): undeclared speaker labels are
 * said, and the usual interviewer labels are the interviewer's; a broken file
 * is reported once, with the checks that depend on it skipped and named.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { projectWith, removeAll } from '../helpers/project.js';

const base = path.join(import.meta.dirname, '../fixtures/check/_base');
const temps: string[] = [];
afterAll(() => temps.forEach(removeAll));

interface Shown {
  file: string;
  line: number;
  column: number;
  endColumn?: number;
  severity: string;
  ruleId: string;
  message: string;
  note?: string;
}

function project(files: Record<string, string | null>): string {
  const dir = projectWith(base, files);
  temps.push(dir);
  return dir;
}

async function check(dir: string): Promise<{ code: number; diagnostics: Shown[]; out: string; err: string }> {
  const r = await cli(dir, 'check', '--format', 'json');
  return { code: r.code, diagnostics: JSON.parse(r.out || r.err) as Shown[], out: r.out, err: r.err };
}

function transcript(body: string, speakers = ''): string {
  return `---\nid: B1\nlabel: A shopkeeper\nattributes:\n  role: resident\ndate: 2024-02-01\n${speakers}---\n\n${body}`;
}

async function tagged(dir: string): Promise<{ segment: number; code: string }[]> {
  const r = await cli(dir, 'tag', '--json');
  return (JSON.parse(r.out) as { transcript: string; segment: number; code: string }[]).filter((c) => c.transcript === 'B1').map((c) => ({ segment: c.segment, code: c.code }));
}

describe('undeclared speaker labels', () => {
  it('an undeclared `**Interviewer:**` is the interviewer, not coded, with a warning on its label', async () => {
    const dir = project({
      'corpus/B1.md': transcript('**Interviewer:** Do the neighbours talk about the public meeting?\n\n**R:** Nobody told us anything at first.\n\n**Interviewer:** And later?\n\n**R:** Later it was fine.\n'),
    });
    const { diagnostics } = await check(dir);
    const speakers = diagnostics.filter((d) => d.ruleId === 'unknown-speaker');
    // One warning per label, at its first use, on the label itself.
    expect(speakers).toHaveLength(1);
    expect(speakers[0]).toMatchObject({ file: 'corpus/B1.md', line: 9, column: 1, endColumn: 17, severity: 'warning' });
    expect(speakers[0]?.message).toContain('`Interviewer` is not declared: it is taken as the interviewer');
    expect(speakers[0]?.note).toContain('2 paragraphs start with this label');
    // The question's keywords (neighbours, public meeting) code nothing; the answers are segments 1 and 2.
    expect(await tagged(dir)).toEqual([{ segment: 1, code: 'info.lack' }]);
  });

  it('accents and case do not matter: `**Enquêtrice :**`, `**MODÉRATEUR :**`, `Animateur :`', async () => {
    for (const label of ['**Enquêtrice :**', '**MODÉRATEUR :**', 'Animateur :', '**Intervieweuse** :', '**Enqueteur:**']) {
      const dir = project({ 'corpus/B1.md': transcript(`${label} The neighbours, the public meeting?\n\n**R :** Nobody told us anything.\n`) });
      const { diagnostics } = await check(dir);
      expect(diagnostics.filter((d) => d.ruleId === 'unknown-speaker').map((d) => [d.line, d.column]), label).toEqual([[9, 1]]);
      expect(await tagged(dir), label).toEqual([{ segment: 1, code: 'info.lack' }]);
    }
  });

  it('any other bold label is reported, whatever its length; bold words without a colon are not labels', async () => {
    const dir = project({
      'corpus/B1.md': transcript('**Q :** How was it?\n\n**Madame Lefèvre :** Nobody told us anything.\n\n**Really** nobody, and **this:** is not at the start.\n'),
    });
    const { diagnostics } = await check(dir);
    const speakers = diagnostics.filter((d) => d.ruleId === 'unknown-speaker');
    expect(speakers.map((d) => [d.line, d.column, d.endColumn])).toEqual([[11, 1, 21]]);
    expect(speakers[0]?.message).toContain("`Madame Lefèvre` is not declared: its paragraphs are read as the text of `Q` before it, label included");
  });

  it('a declared label is not reported, even when it is a usual interviewer label', async () => {
    const dir = project({ 'corpus/B1.md': transcript('**Enquêteur :** How was it?\n\n**Habitant :** Nobody told us anything.\n', 'speakers: {Enquêteur: interviewer, Habitant: respondent}\n') });
    const { code, diagnostics } = await check(dir);
    expect(diagnostics).toEqual([]);
    expect(code).toBe(0);
  });

  it('`Interviewer: respondent` is kept as written but warned about, in the front matter and in verbatim.yaml', async () => {
    const dir = project({
      'corpus/B1.md': transcript('**Interviewer :** Nobody told us anything.\n', 'speakers:\n  Interviewer: respondent\n'),
      'verbatim.yaml': 'language: en\nspeakers:\n  Q: interviewer\n  R: respondent\n  Moderator: respondent\n',
    });
    const { diagnostics } = await check(dir);
    const warned = diagnostics.filter((d) => d.ruleId === 'invalid-value').map((d) => [d.file, d.line, d.severity]);
    expect(warned).toEqual([
      ['corpus/B1.md', 8, 'warning'],
      ['verbatim.yaml', 5, 'warning'],
    ]);
    // As declared: the paragraph is a segment.
    expect(await tagged(dir)).toEqual([{ segment: 1, code: 'info.lack' }]);
  });
});

describe('a broken file is reported once, and what it stops is named', () => {
  const answers = (id: string, role: string): string => `---\nid: ${id}\nlabel: A respondent ${id}\nattributes:\n  role: ${role}\n  tenure: owner\ndate: 2024-02-01\n---\n\n**Q:** How was it?\n\n**R:** Nobody told us anything.\n`;
  const corpus = { 'corpus/B1.md': answers('B1', 'resident'), 'corpus/B2.md': answers('B2', 'elected'), 'corpus/B3.md': answers('B3', 'resident') };
  const plan = 'title: Report\nsections:\n  - kind: matrix\n    codes: [info]\n    by: tenure\n  - kind: themes\n    title: Findings\n    codes: [info, ties]\n';
  const panelOf = (tenure: string): string => `attributes:\n  role:\n    label: Role\n    values:\n      resident: Residents\n      elected: Elected members\n${tenure}`;

  // Where the error is pointed at is the business of the YAML hints below.
  const only = (diagnostics: Shown[]): string[][] => diagnostics.map((d) => [d.file, d.severity, d.ruleId]);

  it('a mis-indented panel gives its error and one skipped-checks line, not an undeclared attribute per transcript', async () => {
    const dir = project({ ...corpus, 'reports/report.plan.yaml': plan, 'corpus/panel.yaml': panelOf('  tenure:\n    label: Tenure\n     values:\n      owner: Owners\n') });
    const { code, diagnostics } = await check(dir);
    expect(code).toBe(1);
    expect(only(diagnostics)).toEqual([
      ['corpus/panel.yaml', 'error', 'yaml-syntax'],
      ['corpus/panel.yaml', 'info', 'skipped-checks'],
    ]);
    expect(diagnostics[1]?.message).toContain('not checked against it (undeclared attributes and values, missing values)');
  });

  it('an attribute indented out of `attributes` is the same one mistake', async () => {
    const dir = project({ ...corpus, 'reports/report.plan.yaml': plan, 'corpus/panel.yaml': panelOf('tenure:\n  label: Tenure\n  values:\n    owner: Owners\n') });
    const { diagnostics } = await check(dir);
    expect(only(diagnostics)).toEqual([
      ['corpus/panel.yaml', 'error', 'unknown-key'],
      ['corpus/panel.yaml', 'info', 'skipped-checks'],
    ]);
  });

  it('the same project with the panel right is clean (the fixture is sound)', async () => {
    const dir = project({ ...corpus, 'reports/report.plan.yaml': plan, 'corpus/panel.yaml': panelOf('  tenure:\n    label: Tenure\n    values:\n      owner: Owners\n') });
    const { code, diagnostics } = await check(dir);
    expect(only(diagnostics).filter((d) => d[1] === 'error')).toEqual([]);
    expect(code).toBe(0);
  });

  it('a codebook that cannot be read says what waits for it', async () => {
    const dir = project({ ...corpus, 'codebooks/codebook.yaml': 'id: base\nlanguage: en\ncodes:\n  - id: info\n    label: Information\n   children: []\n' });
    const { diagnostics } = await check(dir);
    const onCodebook = diagnostics.filter((d) => d.file === 'codebooks/codebook.yaml');
    expect(onCodebook.map((d) => [d.severity, d.ruleId])).toEqual([
      ['error', 'yaml-syntax'],
      ['info', 'skipped-checks'],
    ]);
    expect(onCodebook[1]?.message).toContain('the markers, plans and keywords are not checked against its codes');
    expect(diagnostics.filter((d) => d.ruleId === 'unknown-code')).toEqual([]);
  });

  it('a verbatim.yaml that cannot be read does not make its corpus folder "missing"', async () => {
    const dir = project({ 'verbatim.yaml': 'language: en\ncorpus: interviews\n  panel: interviews/panel.yaml\n', 'corpus/A1.md': null, 'corpus/panel.yaml': null, 'interviews/B1.md': answers('B1', 'resident') });
    const { diagnostics } = await check(dir);
    expect(only(diagnostics)).toEqual([
      ['verbatim.yaml', 'error', 'yaml-syntax'],
      ['verbatim.yaml', 'info', 'skipped-checks'],
    ]);
  });
});

describe("the YAML parser's puzzling messages get a hint at the line at fault", () => {
  const yamlErrors = (diagnostics: Shown[]): Shown[] => diagnostics.filter((d) => d.ruleId === 'yaml-syntax');

  it('a line indented under a key that has a value: on that line, not on the value above', async () => {
    const dir = project({ 'verbatim.yaml': 'language: en\ncorpus: corpus\n  panel: corpus/panel.yaml\n' });
    const [e] = yamlErrors((await check(dir)).diagnostics);
    expect(e).toMatchObject({ file: 'verbatim.yaml', line: 3, column: 1, severity: 'error' });
    expect(e?.message).toContain('Line 3 (`panel`) is indented deeper than line 2 (`corpus`)');
    expect(e?.note).toBe('The YAML parser says: Nested mappings are not allowed in compact mappings.');
  });

  it('a missing space after `:`: at the colon', async () => {
    const dir = project({ 'corpus/panel.yaml': 'attributes:\n  role:\n    label:Role\n    values:\n      resident: Residents\n' });
    const [e] = yamlErrors((await check(dir)).diagnostics);
    expect(e).toMatchObject({ file: 'corpus/panel.yaml', line: 3, column: 10 });
    expect(e?.message).toContain('A space is missing after `:` on line 3 (`label:Role`)');
    expect(e?.message).toContain('Write `label: Role`');
  });

  it('a key indented less than the one above it, and a missing space after `-`', async () => {
    const panel = project({ 'corpus/panel.yaml': 'attributes:\n  role:\n    label: Role\n   values:\n      resident: Residents\n' });
    const [e] = yamlErrors((await check(panel)).diagnostics);
    expect(e).toMatchObject({ file: 'corpus/panel.yaml', line: 4, column: 1 });
    expect(e?.message).toContain('Line 4 (`values`) is indented 3 spaces and line 3 above it (`label`) 4');
    const codebook = project({ 'codebooks/codebook.yaml': 'id: base\nlanguage: en\ncodes:\n  -id: info\n    label: Information\n' });
    const [d] = yamlErrors((await check(codebook)).diagnostics);
    expect(d).toMatchObject({ file: 'codebooks/codebook.yaml', line: 4, column: 3 });
    expect(d?.message).toContain('A space is missing after `-` on line 4');
  });

  it('in a front matter, lines count from the top of the transcript', async () => {
    const dir = project({ 'corpus/B1.md': '---\nid: B1\nlabel: A shopkeeper\n  date: 2024-02-01\n---\n\n**R:** Nobody told us anything.\n' });
    const [e] = yamlErrors((await check(dir)).diagnostics);
    expect(e).toMatchObject({ file: 'corpus/B1.md', line: 4, column: 1 });
    expect(e?.message).toContain('Line 4 (`date`) is indented deeper than line 3 (`label`)');
  });
});
