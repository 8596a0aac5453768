/**
 * `verbatim codes move` and `verbatim codes merge`: the codebook's entries are
 * cut and pasted line by line, markers and plans follow, and nothing else
 * changes. The expected files are written out by hand, byte for byte.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryIo } from '../src/cli/io.js';
import { run } from '../src/cli/run.js';
import { projectWith, removeAll } from './helpers/project.js';

const base = path.join(import.meta.dirname, 'fixtures/check/_base');
const temps: string[] = [];
afterEach(() => {
  temps.splice(0).forEach(removeAll);
});

const CODEBOOK = `id: base
title: Base codebook
language: en
codes:
  - id: info
    label: Information
    definition: What respondents say about information.
    children:
      - id: lack
        label: Lack of information
        definition: The respondent was not informed.
        keywords: [nobody told]
      # Meetings, public or not.
      - id: meeting
        label: Meetings
        definition: A meeting is mentioned.
        keywords: [public meeting]
  - id: ties
    label: Ties between neighbours
    definition: Relations between residents.
    keywords: [neighbours]
`;

const LACK = `      - id: lack
        label: Lack of information
        definition: The respondent was not informed.
        keywords: [nobody told]
`;
const MEETING = `      # Meetings, public or not.
      - id: meeting
        label: Meetings
        definition: A meeting is mentioned.
        keywords: [public meeting]
`;
const TIES = `  - id: ties
    label: Ties between neighbours
    definition: Relations between residents.
    keywords: [neighbours]
`;

// A BOM, CRLF line ends, every kind of marker; the last paragraph names both codes a merge will make one.
const A2 =
  '\uFEFF---\r\nid: A2\r\nlabel: An elected member\r\nattributes:\r\n  role: elected\r\n---\r\n\r\n**Q:** And you?\r\n\r\n' +
  '**R:** {>info.lack}We held a [public meeting]{#info.meeting}. {!ties}\r\n\r\nThe neighbours came.{<info.lack} {#ties #info.lack}\r\n\r\n' +
  'Nobody told us about the public meeting. {#info.lack #info.meeting}\r\n\r\nNobody came to the meeting.\r\n{#info.lack}\r\n{#info.meeting}\r\n';
const PLAN = 'title: "Report"\nsections:\n  - kind: themes\n    codes: [info, "info.lack", ties]\n  - kind: matrix\n    by: role\n    codes:\n      - info.lack\n      - info.meeting\n';

function project(codebook = CODEBOOK): string {
  const dir = projectWith(base, { 'codebooks/codebook.yaml': codebook, 'corpus/A2.md': A2, 'reports/report.plan.yaml': PLAN });
  temps.push(dir);
  return dir;
}

async function verbatim(dir: string, ...argv: string[]): Promise<{ out: string; err: string; status: number }> {
  const io = memoryIo(dir, { NO_COLOR: '1' });
  const status = await run(argv, io);
  return { out: io.out, err: io.err, status };
}

const text = (dir: string, file: string): string => readFileSync(path.join(dir, file), 'utf8');
const bytes = (dir: string, file: string): Buffer => readFileSync(path.join(dir, file));
const indent = (block: string, n: number): string => block.replace(/^(?=.)/gmu, ' '.repeat(n));
const crlf = (s: string): string => s.replaceAll('\n', '\r\n');

async function checkPasses(dir: string, warnings = '1 warning'): Promise<void> {
  const check = await verbatim(dir, 'check', '--no-cache');
  // The fixture's own stale `{!ties}` is the one warning, before and after; no unknown code, no error.
  expect(check.out).not.toMatch(/unknown-code/);
  expect(check.out).toContain(`(0 errors, ${warnings})`);
  expect(check.status).toBe(0);
}

describe('verbatim codes move', () => {
  it('moves a leaf to the top level: its entry, its markers and the plans, and no other byte', async () => {
    const dir = project();
    const a1 = text(dir, 'corpus/A1.md');
    const r = await verbatim(dir, 'codes', 'move', 'info.lack', '.');
    expect(r.err).toBe('info.lack → top level: 10 edits in 4 files: written.\n');
    expect(r.status).toBe(0);
    expect(text(dir, 'codebooks/codebook.yaml')).toBe(CODEBOOK.replace(LACK, '') + LACK.replace(/^ {4}/gmu, ''));
    expect(text(dir, 'corpus/A1.md')).toBe(a1.replace('{#info.lack}', '{#lack}'));
    expect(bytes(dir, 'corpus/A2.md').equals(Buffer.from(A2.replaceAll('info.lack', 'lack'), 'utf8'))).toBe(true);
    expect(text(dir, 'reports/report.plan.yaml')).toBe(PLAN.replaceAll('info.lack', 'lack'));
    await checkPasses(dir);
  });

  it('keeps a BOM and CRLF line ends in the codebook', async () => {
    const dir = project(`\uFEFF${crlf(CODEBOOK)}`);
    const r = await verbatim(dir, 'codes', 'move', 'info.lack', '.');
    expect(r.status).toBe(0);
    const expected = `\uFEFF${crlf(CODEBOOK.replace(LACK, '') + LACK.replace(/^ {4}/gmu, ''))}`;
    expect(bytes(dir, 'codebooks/codebook.yaml').equals(Buffer.from(expected, 'utf8'))).toBe(true);
    await checkPasses(dir);
  });

  it('gives a leaf parent its first `children:`, its comment moving with the entry', async () => {
    const dir = project();
    const r = await verbatim(dir, 'codes', 'move', 'info.meeting', 'ties');
    expect(r.status).toBe(0);
    expect(text(dir, 'codebooks/codebook.yaml')).toBe(`${CODEBOOK.replace(MEETING, '')}    children:\n${MEETING}`);
    expect(bytes(dir, 'corpus/A2.md').equals(Buffer.from(A2.replaceAll('info.meeting', 'ties.meeting'), 'utf8'))).toBe(true);
    await checkPasses(dir);
  });

  it('takes the sub-codes with their parent, re-indented', async () => {
    const dir = project();
    const r = await verbatim(dir, 'codes', 'move', 'info', 'ties');
    expect(r.status).toBe(0);
    const info = CODEBOOK.slice(CODEBOOK.indexOf('  - id: info'), CODEBOOK.indexOf(TIES));
    expect(text(dir, 'codebooks/codebook.yaml')).toBe(`${CODEBOOK.replace(info, '')}    children:\n${indent(info, 4)}`);
    expect(bytes(dir, 'corpus/A2.md').equals(Buffer.from(A2.replaceAll('info.', 'ties.info.'), 'utf8'))).toBe(true);
    expect(text(dir, 'reports/report.plan.yaml')).toBe(PLAN.replace('[info,', '[ties.info,').replaceAll('info.', 'ties.info.').replaceAll('ties.ties.', 'ties.'));
    await checkPasses(dir);
  });

  it('removes a `children:` key left empty', async () => {
    const dir = project();
    expect((await verbatim(dir, 'codes', 'move', 'info.lack', 'ties')).status).toBe(0);
    expect((await verbatim(dir, 'codes', 'move', 'info.meeting', 'ties')).status).toBe(0);
    const codebook = text(dir, 'codebooks/codebook.yaml');
    expect(codebook).toBe(`${CODEBOOK.replace(LACK, '').replace(MEETING, '').replace('    children:\n', '')}    children:\n${LACK}${MEETING}`);
    // `info`, now without sub-codes or keywords, codes nothing: said, as it should be.
    await checkPasses(dir, '2 warnings');
  });

  it('prints the diff with --dry-run and writes nothing', async () => {
    const dir = project();
    const r = await verbatim(dir, 'codes', 'move', 'info.lack', 'ties', '--dry-run');
    expect(r.status).toBe(0);
    expect(r.out).toContain('--- a/codebooks/codebook.yaml\n+++ b/codebooks/codebook.yaml\n');
    expect(r.out).toContain('-**R:** {>info.lack}We held');
    expect(r.err).toMatch(/dry run: nothing written/);
    expect(text(dir, 'codebooks/codebook.yaml')).toBe(CODEBOOK);
    expect(bytes(dir, 'corpus/A2.md').equals(Buffer.from(A2, 'utf8'))).toBe(true);
  });

  it.each([
    [['info.lack', 'info'], /already under `info`/],
    [['info', '.'], /already at the top level/],
    [['info', 'info.lack'], /cannot be moved under itself/],
  ])('refuses %j and writes nothing (exit 1)', async (args, message) => {
    const dir = project();
    const r = await verbatim(dir, 'codes', 'move', ...args);
    expect(r.err).toMatch(message);
    expect(r.status).toBe(1);
    expect(text(dir, 'codebooks/codebook.yaml')).toBe(CODEBOOK);
    expect(bytes(dir, 'corpus/A2.md').equals(Buffer.from(A2, 'utf8'))).toBe(true);
  });

  it('refuses a move that would make two codes of one id', async () => {
    const dir = project(CODEBOOK.replace(TIES, `${TIES}    children:\n${LACK}`));
    const r = await verbatim(dir, 'codes', 'move', 'info.lack', 'ties');
    expect(r.err).toMatch(/already has a code `ties.lack`.*codes merge info.lack ties.lack/);
    expect(r.status).toBe(1);
  });

  it('refuses a codebook whose children are written in flow style, without reformatting it', async () => {
    const flow = CODEBOOK.replace(TIES, `${TIES}    children: [{id: near, label: Near neighbours}]\n`);
    const dir = project(flow);
    const r = await verbatim(dir, 'codes', 'move', 'info.lack', 'ties');
    expect(r.err).toMatch(/flow style/);
    expect(r.status).toBe(1);
    expect(text(dir, 'codebooks/codebook.yaml')).toBe(flow);
  });

  it('an unknown code is a usage error with a suggestion (exit 2)', async () => {
    const r = await verbatim(project(), 'codes', 'move', 'info.lack', 'tie');
    expect(r.err).toContain('did you mean `ties`?');
    expect(r.status).toBe(2);
  });
});

describe('verbatim codes merge', () => {
  it('renames the markers, removes the repeats it makes, appends the keywords and removes the entry', async () => {
    const dir = project();
    const a1 = text(dir, 'corpus/A1.md');
    const r = await verbatim(dir, 'codes', 'merge', 'info.lack', 'info.meeting');
    expect(r.status).toBe(0);
    expect(text(dir, 'codebooks/codebook.yaml')).toBe(CODEBOOK.replace(LACK, '').replace('[public meeting]', '[public meeting, "nobody told"]'));
    expect(text(dir, 'corpus/A1.md')).toBe(a1.replace('{#info.lack}', '{#info.meeting}'));
    const a2 = A2.replace('{>info.lack}', '{>info.meeting}')
      .replace('{<info.lack} {#ties #info.lack}', '{<info.meeting} {#ties #info.meeting}')
      .replace('{#info.lack #info.meeting}', '{#info.meeting}')
      .replace('\r\n{#info.lack}\r\n', '\r\n');
    expect(bytes(dir, 'corpus/A2.md').toString('utf8')).toBe(a2);
    expect(text(dir, 'reports/report.plan.yaml')).toBe(PLAN.replace('"info.lack"', '"info.meeting"').replace('      - info.lack\n', ''));
    await checkPasses(dir);
    // The merged keywords still code what `info.lack` coded: "Nobody told us anything" in A1.
    const tag = await verbatim(dir, 'tag', 'A1', '--json', '--no-cache');
    expect(tag.out).toMatch(/"code":\s*"info\.meeting"[^}]*"origin":\s*"auto"|"origin":\s*"auto"[^}]*"code":\s*"info\.meeting"/u);
  });

  it('moves the sub-codes under the code merged into, and keeps one entry of a plan section', async () => {
    const dir = project();
    const r = await verbatim(dir, 'codes', 'merge', 'info', 'ties');
    expect(r.status).toBe(0);
    expect(text(dir, 'codebooks/codebook.yaml')).toBe(`${CODEBOOK.slice(0, CODEBOOK.indexOf('  - id: info'))}${TIES}    children:\n${LACK}${MEETING}`);
    expect(text(dir, 'reports/report.plan.yaml')).toBe(PLAN.replace('[info, "info.lack", ties]', '["ties.lack", ties]').replaceAll('info.', 'ties.'));
    expect(bytes(dir, 'corpus/A2.md').toString('utf8')).toBe(A2.replaceAll('info.', 'ties.'));
    await checkPasses(dir);
  });

  it.each([
    [['info', 'info.lack'], /its own sub-code/],
    [['ties', 'ties'], /into itself/],
  ])('refuses %j and writes nothing (exit 1)', async (args, message) => {
    const dir = project();
    const r = await verbatim(dir, 'codes', 'merge', ...args);
    expect(r.err).toMatch(message);
    expect(r.status).toBe(1);
    expect(text(dir, 'codebooks/codebook.yaml')).toBe(CODEBOOK);
  });

  it('refuses when both codes have a sub-code of one id', async () => {
    const dir = project(CODEBOOK.replace(TIES, `${TIES}    children:\n${LACK}`));
    const r = await verbatim(dir, 'codes', 'merge', 'info', 'ties');
    expect(r.err).toMatch(/Both codes have a sub-code `lack`/);
    expect(r.status).toBe(1);
  });
});
