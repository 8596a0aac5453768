/**
 * The commands that run in a worker thread (src/cli/worker-io.ts): the bin's
 * output, byte for byte, and its exit code are those of the same command run
 * in place, however much it prints; a reader that stops early is no error.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../bench/corpus.js';
import { removeAll } from './helpers/project.js';
import { run } from '../src/cli/run.js';
import { memoryIo } from '../src/cli/io.js';

const repo = path.join(import.meta.dirname, '..');
const bin = path.join(repo, 'bin/verbatim.js');

async function inPlace(argv: string[], cwd = repo): Promise<{ out: string; err: string; status: number }> {
  const io = memoryIo(cwd, { NO_COLOR: '1' });
  const status = await run(argv, io);
  return { out: io.out, err: io.err, status };
}

function throughBin(argv: string[], cwd = repo): { out: string; err: string; status: number | null } {
  const r = spawnSync(process.execPath, [bin, ...argv], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
  return { out: r.stdout, err: r.stderr, status: r.status };
}

describe('a command in a worker thread', () => {
  it.each([
    [['check', '--format', 'json']],
    [['status', '--json']],
    [['matrix', '--by', 'sphere']],
    [['matrix', '--binary', '--unit', 'segments', '--csv']],
    [['cooc', '--csv']],
  ])('prints what it prints in place: %j', async (argv) => {
    const here = await inPlace(argv);
    const there = throughBin(argv);
    expect(there.out).toBe(here.out);
    expect(there.err).toBe(here.err);
    expect(there.status).toBe(here.status);
  });

  // A generated project whose segments × codes table is larger than the 4 MB ring, and than a pipe's buffer.
  let big = '';
  beforeAll(() => {
    big = mkdtempSync(path.join(tmpdir(), 'verbatim-worker-'));
    generateCorpus({ dir: big, megabytes: 3, files: 12, codes: 400 });
  }, 60_000);
  afterAll(() => removeAll(big));

  it('passes on an output larger than its ring, byte for byte', async () => {
    const argv = ['matrix', '--binary', '--unit', 'segments', '--csv', '--project', big];
    const here = await inPlace(argv);
    expect(here.out.length).toBeGreaterThan(5 * 1024 * 1024);
    const there = throughBin(argv);
    expect(there.out === here.out, 'the same bytes').toBe(true);
    expect(there.status).toBe(here.status);
  });

  it('gives the exit code and diagnostics of a broken project', async () => {
    const argv = ['check', '--format', 'unix', '--project', 'tests/fixtures/check/yaml-syntax/project'];
    const there = throughBin(argv);
    expect(there.status).toBe(1);
    expect(there.out).toBe((await inPlace(argv)).out);
  });

  it('reports a usage error before any worker starts (exit 2)', () => {
    const there = throughBin(['matrix', '--unit', 'words']);
    expect(there.status).toBe(2);
    expect(there.err).toMatch(/--unit/);
  });

  it('stops quietly when the reader closes the pipe early', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" matrix --binary --unit segments --csv --project "${big}" | head -c 10 > /dev/null`], { cwd: repo, encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/internal|EPIPE|Error/);
    expect(r.status).toBe(0);
  });
});
