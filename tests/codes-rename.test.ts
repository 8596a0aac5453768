/**
 * `verbatim codes rename`: the codebook, every marker (`{#}`, `{!}`, `]{#}`,
 * `{>}` and `{<}`) and every plan naming the code or a sub-code change, and
 * nothing else: the files are compared byte for byte with what is expected.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

// A BOM, CRLF line ends, and every kind of marker, one of them naming two codes.
const A2 = '\uFEFF---\r\nid: A2\r\nlabel: An elected member\r\nattributes:\r\n  role: elected\r\n---\r\n\r\n**Q:** And you?\r\n\r\n**R:** {>info.lack}We held a [public meeting]{#info.meeting}. {!ties}\r\n\r\nThe neighbours came.{<info.lack} {#ties #info.lack}\r\n';
const PLAN = 'title: "Report"\nsections:\n  - kind: themes\n    codes: [info, "info.lack", ties]\n  - kind: matrix\n    by: role\n    codes:\n      - info.lack\n';

function project(): string {
  const dir = projectWith(base, { 'corpus/A2.md': A2, 'reports/report.plan.yaml': PLAN });
  temps.push(dir);
  return dir;
}

async function verbatim(dir: string, ...argv: string[]): Promise<{ out: string; err: string; status: number }> {
  const io = memoryIo(dir, { NO_COLOR: '1' });
  const status = await run(argv, io);
  return { out: io.out, err: io.err, status };
}

const read = (dir: string, file: string): Buffer => readFileSync(path.join(dir, file));

describe('verbatim codes rename', () => {
  it('renames a leaf in the codebook, every marker and the plans, and changes no other byte', async () => {
    const dir = project();
    const codebook = read(dir, 'codebooks/codebook.yaml').toString('utf8');
    const a1 = read(dir, 'corpus/A1.md').toString('utf8');
    const r = await verbatim(dir, 'codes', 'rename', 'info.lack', 'info.silence');
    expect(r.err).toBe('info.lack → info.silence: 7 edits in 4 files: written.\n');
    expect(r.status).toBe(0);
    expect(read(dir, 'codebooks/codebook.yaml').toString('utf8')).toBe(codebook.replace('      - id: lack\n', '      - id: silence\n'));
    expect(read(dir, 'corpus/A1.md').toString('utf8')).toBe(a1.replace('{#info.lack}', '{#info.silence}'));
    expect(read(dir, 'corpus/A2.md').equals(Buffer.from(A2.replaceAll('info.lack', 'info.silence'), 'utf8'))).toBe(true);
    expect(read(dir, 'reports/report.plan.yaml').toString('utf8')).toBe(PLAN.replaceAll('info.lack', 'info.silence'));
    // The same diagnostics as before the rename (the fixture's own stale `{!ties}` warning), none about an unknown code.
    const check = await verbatim(dir, 'check', '--no-cache');
    expect(check.out).not.toMatch(/unknown-code/);
    expect(check.out).toMatch(/0 errors, 1 warning/);
    expect(check.status).toBe(0);
  });

  it('takes the sub-codes with their parent', async () => {
    const dir = project();
    const r = await verbatim(dir, 'codes', 'rename', 'info', 'information');
    expect(r.status).toBe(0);
    expect(read(dir, 'corpus/A2.md').equals(Buffer.from(A2.replaceAll('info.', 'information.'), 'utf8'))).toBe(true);
    expect(read(dir, 'reports/report.plan.yaml').toString('utf8')).toBe(PLAN.replace('[info,', '[information,').replaceAll('info.lack', 'information.lack'));
    expect((await verbatim(dir, 'check', '--no-cache')).status).toBe(0);
  });

  it('prints the diff with --dry-run and writes nothing', async () => {
    const dir = project();
    const r = await verbatim(dir, 'codes', 'rename', 'ties', 'links', '--dry-run');
    expect(r.status).toBe(0);
    expect(r.out).toContain('--- a/codebooks/codebook.yaml\n+++ b/codebooks/codebook.yaml\n');
    expect(r.out).toContain('-  - id: ties\n+  - id: links\n');
    expect(r.err).toMatch(/dry run: nothing written/);
    expect(read(dir, 'corpus/A2.md').equals(Buffer.from(A2, 'utf8'))).toBe(true);
    expect(read(dir, 'reports/report.plan.yaml').toString('utf8')).toBe(PLAN);
  });

  it.each([
    [['info.lack', 'ties.lack'], /not a sibling/],
    [['info.lack', 'info.meeting'], /already has a code `info.meeting`/],
    [['info.lack', 'info.with space'], /not a valid code id/],
  ])('refuses %j and writes nothing (exit 1)', async (args, message) => {
    const dir = project();
    const r = await verbatim(dir, 'codes', 'rename', ...args);
    expect(r.err).toMatch(message);
    expect(r.status).toBe(1);
    expect(read(dir, 'corpus/A2.md').equals(Buffer.from(A2, 'utf8'))).toBe(true);
  });

  it('an unknown code is a usage error with a suggestion (exit 2)', async () => {
    const r = await verbatim(project(), 'codes', 'rename', 'info.lak', 'info.x');
    expect(r.err).toContain('did you mean `info.lack`?');
    expect(r.status).toBe(2);
  });

  it('writes no file when the last of them cannot be written', async () => {
    // The plan, written last, is a link: Verbatim never writes through one, so the codebook and transcripts written before it must not change either.
    const dir = project();
    const outside = mkdtempSync(path.join(tmpdir(), 'verbatim-plan-'));
    temps.push(outside);
    writeFileSync(path.join(outside, 'report.plan.yaml'), PLAN);
    rmSync(path.join(dir, 'reports/report.plan.yaml'));
    symlinkSync(path.join(outside, 'report.plan.yaml'), path.join(dir, 'reports/report.plan.yaml'));
    const r = await verbatim(dir, 'codes', 'rename', 'info.lack', 'info.silence');
    expect(r.err).toMatch(/report\.plan\.yaml.*symbolic link/);
    expect(r.status).toBe(1);
    expect(read(dir, 'corpus/A2.md').equals(Buffer.from(A2, 'utf8'))).toBe(true);
    expect(read(dir, 'codebooks/codebook.yaml').toString('utf8')).toContain('- id: lack\n');
    expect(readFileSync(path.join(outside, 'report.plan.yaml'), 'utf8')).toBe(PLAN);
    expect(readdirSync(path.join(dir, 'corpus')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a corpus with a transcript it cannot read, so that no marker is left behind', async () => {
    const dir = project();
    writeFileSync(path.join(dir, 'corpus/A3.md'), Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0xfe, 0x0a]));
    const r = await verbatim(dir, 'codes', 'rename', 'info.lack', 'info.silence');
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/A3\.md/);
    expect(read(dir, 'corpus/A2.md').equals(Buffer.from(A2, 'utf8'))).toBe(true);
  });
});
