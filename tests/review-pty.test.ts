/**
 * `verbatim review` in a real pseudo-terminal (Python's `pty`, from the
 * standard library): the keys are typed into the terminal, the command reads
 * them in raw mode, and the files are compared byte for byte. The script also
 * times each decision, from the key sent to the file written.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ROOT } from './helpers/analysis-fixture.js';
import { skipBecause } from './helpers/skip.js';

const BIN = path.join(DEMO_ROOT, 'bin/verbatim.js');
const DIST = path.join(DEMO_ROOT, 'dist/cli/main.js');

/** A Python 3 with `pty` (POSIX only). */
function python(): string | undefined {
  for (const p of [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((x): x is string => !!x)) {
    if (spawnSync(p, ['-c', 'import pty, select'], { stdio: 'ignore' }).status === 0) return p;
  }
  return undefined;
}

const PY = process.platform === 'win32' ? undefined : python();
let distMissing = false;
try {
  readFileSync(DIST);
} catch {
  distMissing = true;
}
const reason = skipBecause(
  'review in a pseudo-terminal',
  process.platform === 'win32' ? 'no pseudo-terminal on Windows' : !PY ? 'no Python 3 with its pty module' : distMissing ? 'dist/ is not built (npm run build)' : undefined,
);

/** Runs `verbatim review` in a pseudo-terminal in `dir`, typing `keys` one at a time after each prompt; the file whose writes are timed. */
const SCRIPT = String.raw`
import json, os, pty, select, sys, time
dir, bin, keys, watched = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
pid, fd = pty.fork()
if pid == 0:
    os.chdir(dir)
    os.environ['NO_COLOR'] = '1'
    os.execvp('node', ['node', bin, 'review'])
out = b''
def read(timeout):
    global out
    r, _, _ = select.select([fd], [], [], timeout)
    if r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        out += data
    return True
def until(count, timeout=30):
    end = time.time() + timeout
    while out.count(b'[y,n,s,u,e,q,?]? ') < count:
        if time.time() > end or not read(0.05):
            return False
    return True
ms = []
prompts = 1
for key in keys:
    if not until(prompts):
        break
    before = open(watched, 'rb').read()
    t0 = time.time()
    os.write(fd, key.encode())
    if key in 'yn':
        while open(watched, 'rb').read() == before and time.time() - t0 < 10:
            time.sleep(0.001)
        ms.append(round((time.time() - t0) * 1000, 1))
    prompts += 1
end = time.time() + 30
while time.time() < end and read(0.05):
    pass
_, status = os.waitpid(pid, 0)
print(json.dumps({'status': os.waitstatus_to_exitcode(status), 'out': out.decode('utf-8', 'replace'), 'ms': ms}))
`;

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe.skipIf(reason !== undefined)('verbatim review in a pseudo-terminal', () => {
  it('y, n, q: two markers in the file, nothing else changed; each decision written within a second of its key', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'verbatim-review-pty-'));
    temps.push(dir);
    for (const part of ['codebooks', 'corpus', 'reports']) cpSync(path.join(DEMO_ROOT, part), path.join(dir, part), { recursive: true });
    const script = path.join(dir, 'drive_review.py'); // (not pty.py: it would shadow the module)
    writeFileSync(script, SCRIPT);
    const file = path.join(dir, 'corpus/E01.md');
    const r = spawnSync(PY as string, [script, dir, BIN, 'ynq', file], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { status: number; out: string; ms: number[] };
    expect(result.status, result.out).toBe(0);
    // The demo's queue starts with E01:1 (motivations.sujet-commun, line 18) and E01:2 (cles.porteurs, line 20).
    expect(result.out).toContain('E01:1 · corpus/E01.md:18');
    expect(result.out).toContain('[chercheur]');
    expect(result.out).toContain('accepted: wrote {#motivations.sujet-commun} in corpus/E01.md');
    expect(result.out).toContain('rejected: wrote {!cles.porteurs} in corpus/E01.md');
    expect(result.out).toMatch(/1 accepted, 1 rejected of \d+; \d+ left to review\./u);
    const lines = readFileSync(path.join(DEMO_ROOT, 'corpus/E01.md'), 'utf8').split('\n');
    lines[17] = `${lines[17]} {#motivations.sujet-commun}`;
    lines[19] = `${lines[19]} {!cles.porteurs}`;
    expect(readFileSync(file, 'utf8')).toBe(lines.join('\n'));
    expect(result.ms).toHaveLength(2);
    for (const ms of result.ms) expect(ms).toBeLessThan(1000);
    console.log(`review in a pseudo-terminal: key to written file ${result.ms.join(' ms, ')} ms`);
  });
});
