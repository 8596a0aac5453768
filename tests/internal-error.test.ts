/**
 * A bug in Verbatim itself (an exception no command catches) gives one line
 * and where to report it, exit 2, and the stack only with --debug.
 */
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { memoryIo } from '../src/cli/io.js';
import { REPORT_BUGS, run } from '../src/cli/run.js';
import { removeAll, tempProject } from './helpers/project.js';

// `status` is imported lazily by run.ts: this mock stands in for a command with a bug.
vi.mock('../src/cli/commands/status.js', () => ({
  status: async (options: { json?: boolean }, ctx: { io: { env: Record<string, string | undefined> } }) => {
    if (ctx.io.env.BUG === 'eacces-path') throw Object.assign(new Error("EACCES: permission denied, open 'reports/x.md'"), { code: 'EACCES', path: 'reports/x.md' });
    if (ctx.io.env.BUG === 'eacces') throw Object.assign(new Error("EACCES: permission denied, open 'reports/x.md'"), { code: 'EACCES' });
    if (ctx.io.env.BUG === 'lines') throw new Error('first line\nsecond line\nthird line');
    if (options.json) throw 'a thrown string';
    return (undefined as unknown as { boom(): number }).boom();
  },
}));

const dir = tempProject(path.join(import.meta.dirname, 'fixtures/check/_base'));
afterAll(() => removeAll(dir));

describe('internal errors', () => {
  it('print one line and where to report it, exit 2, no stack', async () => {
    const io = memoryIo(dir);
    expect(await run(['status'], io)).toBe(2);
    const lines = io.err.trimEnd().split('\n');
    expect(lines).toEqual([expect.stringMatching(/^verbatim: internal error: Cannot read properties of undefined \(reading 'boom'\)$/), REPORT_BUGS]);
    expect(io.out).toBe('');
  });

  it('print the stack with --debug', async () => {
    const io = memoryIo(dir);
    expect(await run(['status', '--debug'], io)).toBe(2);
    expect(io.err).toMatch(/^verbatim: internal error: Cannot read properties of undefined/);
    expect(io.err).toContain(REPORT_BUGS);
    expect(io.err).toMatch(/\n\s+at .+/);
    // --debug is a global option: before the command too.
    const before = memoryIo(dir);
    expect(await run(['--debug', 'status'], before)).toBe(2);
    expect(before.err).toMatch(/\n\s+at .+/);
  });

  it('handle a thrown value that is not an Error', async () => {
    const io = memoryIo(dir);
    expect(await run(['status', '--json'], io)).toBe(2);
    expect(io.err).toBe(`verbatim: internal error: a thrown string\n${REPORT_BUGS}\n`);
  });

  it('user mistakes are not internal errors: no bug report line', async () => {
    const io = memoryIo(dir);
    expect(await run(['quotes', 'no.such.code'], io)).toBe(2);
    expect(io.err).not.toContain(REPORT_BUGS);
    expect(io.err).not.toMatch(/\n\s+at /);
  });

  it('print only the first line of a message of several lines', async () => {
    const io = memoryIo(dir, { BUG: 'lines' });
    expect(await run(['status'], io)).toBe(2);
    expect(io.err.trimEnd().split('\n')).toEqual(['verbatim: internal error: first line', REPORT_BUGS]);
  });

  it('report a permission or disk problem as such, not as a bug, exit 1', async () => {
    const io = memoryIo(dir, { BUG: 'eacces' });
    expect(await run(['status'], io)).toBe(1);
    expect(io.err).toBe("verbatim: permission denied (EACCES: permission denied, open 'reports/x.md').\n");
    const withPath = memoryIo(dir, { BUG: 'eacces-path' });
    expect(await run(['status'], withPath)).toBe(1);
    expect(withPath.err).toBe('verbatim: reports/x.md: permission denied.\n');
  });
});
