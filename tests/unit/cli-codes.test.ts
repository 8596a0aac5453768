/**
 * `verbatim codes`: the tree with full ids and counts computed by hand on a
 * two-transcript project (tests/fixtures/check/_base plus A2 below).
 *
 * A1, respondent segments: 1 "Nobody told us anything. The neighbours
 * helped. {#info.lack}" (info.lack by hand and by keyword, ties by keyword),
 * 2 "There was a public meeting later." (info.meeting).
 * A2: 1 "We held a public meeting. {!info.meeting}" (rejected: nothing),
 * 2 "The neighbours came." (ties).
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { projectWith, removeAll } from '../helpers/project.js';

const base = path.join(import.meta.dirname, '../fixtures/check/_base');
const A2 = `---
id: A2
label: An elected member
attributes:
  role: elected
---

**Q:** And you?

**R:** We held a public meeting. {!info.meeting}

The neighbours came.
`;
const dir = projectWith(base, { 'corpus/A2.md': A2 });
afterAll(() => removeAll(dir));

async function codes(...argv: string[]): Promise<{ out: string; err: string; status: number }> {
  const io = memoryIo(dir);
  const status = await run(['codes', ...argv], io);
  return { out: io.out, err: io.err, status };
}

describe('verbatim codes', () => {
  it('gives every code with its parent, depth and counts (--json)', async () => {
    const r = await codes('--json', '--no-cache');
    expect(r.status).toBe(0);
    const entries = JSON.parse(r.out) as { id: string; parent: string | null; depth: number; segments: number; respondents: number; codings: number; label: string; definition?: string }[];
    expect(entries.map((e) => [e.id, e.parent, e.depth, e.segments, e.respondents])).toEqual([
      ['info', null, 0, 2, 1],
      ['info.lack', 'info', 1, 1, 1],
      ['info.meeting', 'info', 1, 1, 1],
      ['ties', null, 0, 2, 2],
    ]);
    expect(entries.find((e) => e.id === 'info')?.codings).toBe(0);
    expect(entries.find((e) => e.id === 'ties')?.codings).toBe(2);
    expect(entries[1]).toMatchObject({ label: 'Lack of information', definition: 'The respondent was not informed.' });
  });

  it('is what `codes list` prints, and filters respondents with --where', async () => {
    expect((await codes('list', '--json')).out).toBe((await codes('--json')).out);
    const r = await codes('--json', '--where', 'role=elected');
    expect((JSON.parse(r.out) as { id: string; segments: number; respondents: number }[]).map((e) => [e.id, e.segments, e.respondents])).toEqual([
      ['info', 0, 0],
      ['info.lack', 0, 0],
      ['info.meeting', 0, 0],
      ['ties', 1, 1],
    ]);
  });

  it('prints a subtree', async () => {
    const r = await codes('info', '--flat');
    expect(r.out).toBe('info\tInformation\t2\t1\ninfo.lack\tLack of information\t1\t1\ninfo.meeting\tMeetings\t1\t1\n');
  });

  it('prints the tree indented, with full ids', async () => {
    const r = await codes();
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/^4 codes\.\n/);
    expect(r.out).toMatch(/│ {3}info\.lack +│ Lack of information +│ +1 │ +1 of 2 │/);
    expect(r.out).toMatch(/│ ties +│ Ties between neighbours +│ +2 │ +2 of 2 │/);
  });

  it('an unknown code is a usage error with a suggestion', async () => {
    const r = await codes('info.lak');
    expect(r.status).toBe(2);
    expect(r.err).toContain('did you mean `info.lack`?');
  });

  it('writes CSV with a header', async () => {
    const r = await codes('--csv');
    expect(r.out.split(/\r?\n/)[0]).toBe('id,label,parent,depth,segments,respondents,codings');
  });
});
