/**
 * The record cache: a second run codes nothing again, an edit re-codes only
 * what changed, a codebook edit re-codes everything, and a cache file that is
 * corrupt or foreign is ignored; the results are those of a run without it.
 */
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkProject } from '../src/check/check-project.js';
import { memoryIo } from '../src/cli/io.js';
import { run } from '../src/cli/run.js';
import { CACHE_FOLDER } from '../src/engine/cache.js';
import { codeCorpus } from '../src/engine/corpus.js';
import { collectDiagnostics } from '../src/engine/diagnostics.js';
import { loadFrame } from '../src/engine/load-project.js';
import { removeAll, tempProject } from './helpers/project.js';

const root = path.join(import.meta.dirname, '..');
const temps: string[] = [];
afterAll(() => temps.forEach(removeAll));

function demo(): string {
  const dir = tempProject(path.join(root, 'corpus/..'));
  rmSync(path.join(dir, '.verbatim/cache'), { recursive: true, force: true });
  rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
  temps.push(dir);
  return dir;
}

/** Codes the project (records), runs the corpus-wide rules, and gives what a command would show. */
function coded(dir: string, cache = true): { cached?: { hits: number; misses: number }; diagnostics: unknown; codings: unknown; transcripts: unknown; facts: unknown } {
  const corpus = codeCorpus(loadFrame(dir), 'records', { cache });
  checkProject(corpus);
  return { ...(corpus.cached ? { cached: { ...corpus.cached } } : {}), diagnostics: collectDiagnostics(corpus), codings: corpus.codings, transcripts: corpus.transcripts, facts: corpus.facts };
}

const without = (r: ReturnType<typeof coded>): unknown => ({ ...r, cached: undefined });

async function cli(dir: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(dir);
  const code = await run(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('the record cache', { timeout: 60_000 }, () => {
  const dir = demo();
  const n = readdirSync(path.join(dir, 'corpus')).filter((f) => /^E\d+\.md$/.test(f)).length;

  it('is filled by a first run, and gives every transcript on the second, with the same results', () => {
    const first = coded(dir);
    expect(first.cached).toEqual({ hits: 0, misses: n });
    const second = coded(dir);
    expect(second.cached).toEqual({ hits: n, misses: 0 });
    expect(without(second)).toEqual(without(first));
    expect(without(second)).toEqual(without(coded(dir, false)));
    // It ignores itself in git.
    expect(readFileSync(path.join(dir, CACHE_FOLDER, '.gitignore'), 'utf8')).toContain('*');
  });

  it('re-codes only the transcript that was edited', () => {
    coded(dir);
    appendFileSync(path.join(dir, 'corpus/E03.md'), '\n**R :** Le financement manque, et les collectivités hésitent.\n');
    const after = coded(dir);
    expect(after.cached).toEqual({ hits: n - 1, misses: 1 });
    expect(without(after)).toEqual(without(coded(dir, false)));
  });

  it('trusts the size and date of a file written well before its entry, and its bytes otherwise', () => {
    const file = path.join(dir, 'corpus/E05.md');
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(file, old, old);
    coded(dir);
    // Rewritten with the same bytes (a checkout): a new date, the same content: no coding again.
    writeFileSync(file, readFileSync(file));
    expect(coded(dir).cached).toEqual({ hits: n, misses: 0 });
    // Other bytes of the same size, with the date the entry vouches for: trusted, as git trusts its index.
    const text = readFileSync(file, 'utf8');
    utimesSync(file, old, old);
    coded(dir);
    writeFileSync(file, text.replace('Le ', 'Un '));
    utimesSync(file, old, old);
    expect(coded(dir).cached).toEqual({ hits: n, misses: 0 });
    // The same edit with a recent date: read again.
    writeFileSync(file, text.replace('Le ', 'La '));
    expect(coded(dir).cached).toEqual({ hits: n - 1, misses: 1 });
  });

  it('re-codes everything after a codebook edit', () => {
    coded(dir);
    const codebook = path.join(dir, 'codebooks/alliances.yaml');
    writeFileSync(codebook, `${readFileSync(codebook, 'utf8')}\n`);
    expect(coded(dir).cached).toEqual({ hits: 0, misses: n });
  });

  it.each([
    ['not JSON', () => '{"format": "verbatim-rec', 'shard'],
    ['JSON of another shape', () => '[1, 2, 3]', 'shard'],
    ['of another context (another program, codebook or panel)', (text: string) => text.replace(/"context":"[0-9a-f]+"/, `"context":"${'0'.repeat(64)}"`), 'shard'],
    ['an entry of other bytes of the same size and date', (text: string) => text.replace(/"content":"[0-9a-f]+"/, `"content":"${'0'.repeat(64)}"`).replace(/"written":\d+/, '"written":1'), 'entry'],
    ['an entry with a field of the wrong type', (text: string) => text.replace(/"segmentCount":\d+/, '"segmentCount":"many"'), 'entry'],
    ['an entry with a diagnostic of a rule that does not exist', (text: string) => text.replace('"messages":[]', '"messages":[{"file":"corpus/E01.md","line":1,"column":1,"severity":"warning","ruleId":"no-such-rule","message":"?"}]'), 'entry'],
  ])('ignores a cache file that is %s, and replaces it', (_what, spoil, scope) => {
    coded(dir);
    const folder = path.join(dir, CACHE_FOLDER, 'transcripts');
    const target = readdirSync(folder).filter((f) => f.endsWith('.json'))[0] as string;
    const text = readFileSync(path.join(folder, target), 'utf8');
    const entries = (text.match(/"path":/g) ?? []).length;
    const spoilt = spoil(text);
    expect(spoilt).not.toBe(text);
    writeFileSync(path.join(folder, target), spoilt);
    const after = coded(dir);
    // A spoilt file is not read at all; a spoilt entry is one transcript coded again.
    const misses = scope === 'shard' ? entries : 1;
    expect(after.cached).toEqual({ hits: n - misses, misses });
    expect(without(after)).toEqual(without(coded(dir, false)));
    expect(coded(dir).cached).toEqual({ hits: n, misses: 0 });
  });

  it('writes its files as the run goes and completes them at the end: a run stopped midway leaves the cache as it was, and no temporary file', () => {
    const other = demo();
    coded(other);
    const folder = path.join(other, CACHE_FOLDER, 'transcripts');
    const snapshot = (): Record<string, string> => Object.fromEntries(readdirSync(folder).sort().map((f) => [f, readFileSync(path.join(folder, f), 'utf8')]));
    const before = snapshot();
    for (const name of ['E02.md', 'E03.md', 'E09.md']) appendFileSync(path.join(other, 'corpus', name), '\n**R :** Le financement manque.\n');
    let seen = 0;
    const stop = (done: number): void => {
      seen = done;
      if (done === n - 1) throw new Error('stopped');
    };
    expect(() => codeCorpus(loadFrame(other), 'records', { onProgress: stop })).toThrow('stopped');
    expect(seen).toBe(n - 1);
    expect(snapshot()).toEqual(before);
    // The next whole run codes the three again, keeps the other entries, and the one after codes nothing.
    expect(coded(other).cached).toEqual({ hits: n - 3, misses: 3 });
    expect(coded(other).cached).toEqual({ hits: n, misses: 0 });
    expect(Object.keys(snapshot())).toEqual(Object.keys(before));
  });

  it('forgets a transcript that is gone', () => {
    const other = demo();
    coded(other);
    const folder = path.join(other, CACHE_FOLDER, 'transcripts');
    const all = (): string => readdirSync(folder).map((f) => readFileSync(path.join(folder, f), 'utf8')).join('\n');
    expect(all()).toContain('"path":"corpus/E07.md"');
    rmSync(path.join(other, 'corpus/E07.md'));
    expect(coded(other).cached).toEqual({ hits: n - 1, misses: 0 });
    expect(all()).not.toContain('"path":"corpus/E07.md"');
  });

  it('is safe to delete, and --no-cache neither reads nor writes it', async () => {
    const fresh = demo();
    const a = await cli(fresh, 'status', '--no-cache');
    expect(existsSync(path.join(fresh, CACHE_FOLDER))).toBe(false);
    const b = await cli(fresh, 'status');
    expect(existsSync(path.join(fresh, CACHE_FOLDER))).toBe(true);
    const c = await cli(fresh, 'status');
    rmSync(path.join(fresh, '.verbatim/cache'), { recursive: true });
    const d = await cli(fresh, 'check');
    expect([b, c]).toEqual([a, a]);
    expect(d.code).toBe(0);
  });
});
