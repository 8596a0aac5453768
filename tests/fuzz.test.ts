/**
 * A bounded mutation fuzz of `check`, `tag --json`, `tag` and `report`: each
 * case mutates a small valid project (random byte and line edits, and edits
 * that know the formats: tests/fuzz/mutators.ts), runs the commands and
 * checks (tests/fuzz/run-cases.ts) that the exit is 0 or 1, that no internal
 * error or stack trace is printed, that no file of the researcher's is
 * written or changed (`report` writes its reports only), that the output is
 * the same twice and `report --check` agrees with `report`, that no redacted
 * name is shown, and that no step takes over 20 s.
 *
 * The cases run in one long-lived child process (tests/fuzz/runner.mjs, which
 * loads the current sources through Vite's module runner), watched from here:
 * a step that does not end within 20 s is a hang, the child is killed and the
 * run goes on from the next case.
 *
 * Environment: FUZZ_SEED (default 1) and FUZZ_CASES (default below) to run
 * more; FUZZ_CASE=17 (or 17,40) runs those cases alone, to reproduce;
 * FUZZ_KEEP is where failing cases are written (default: the system's
 * temporary folder); FUZZ_HANG_MS lowers the 20 s bound; FUZZ_BASES chooses
 * the projects cases start from (`fixture,demo` by default; `demo-full`, the
 * twelve interviews, is three times slower). tests/fuzz/reduce.mjs shrinks a
 * kept case to a small reproduction.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { expect, it } from 'vitest';
import { baseProjects, basesFromEnv, makeCase, writeCase } from './fuzz/cases.js';
import { PROTOCOL, type RunnerMessage, type RunnerRequest } from './fuzz/run-cases.js';

/** Cases of the run in `npm test`: 25 to 35 s on a shared 2-core machine. */
const DEFAULT_CASES = 100;
const env = process.env;

/** A whole number from the environment: a typo must not turn the fuzz into a run of no case. */
function whole(name: string, value: string | undefined, fallback: number): number {
  const n = value === undefined || value === '' ? fallback : Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a whole number, not \`${value}\`.`);
  return n;
}

/** A step that runs longer than this is a hang (FUZZ_HANG_MS lowers it, to find slow inputs). */
const HANG_MS = whole('FUZZ_HANG_MS', env.FUZZ_HANG_MS, 20_000);
const seed = whole('FUZZ_SEED', env.FUZZ_SEED, 1);
const only = env.FUZZ_CASE?.split(',').map((n) => whole('FUZZ_CASE', n, 0));
const count = whole('FUZZ_CASES', env.FUZZ_CASES, DEFAULT_CASES);
const cases = only ?? Array.from({ length: count }, (_, i) => i);
const keep = env.FUZZ_KEEP ?? path.join(tmpdir(), 'verbatim-fuzz');
const bases = basesFromEnv(env.FUZZ_BASES);
const runner = path.join(import.meta.dirname, 'fuzz/runner.mjs');

interface Failure {
  case: number;
  step: string;
  kind: string;
  message: string;
  dir: string;
  mutations: string[];
}

/** How to run a failing case again: one entry per case and problem, whatever the commands that showed it. */
function reproduce(f: Failure, steps: readonly string[]): string {
  return [
    `case ${f.case} (seed ${seed}): ${steps.map((s) => `\`${s}\``).join(', ')}: ${f.kind}`,
    ...f.message.split('\n').map((l) => `    ${l}`),
    `  mutations:`,
    ...f.mutations.map((m) => `    - ${m}`),
    `  project: ${f.dir}`,
    `  reproduce: FUZZ_SEED=${seed}${env.FUZZ_BASES ? ` FUZZ_BASES=${env.FUZZ_BASES}` : ''} FUZZ_CASE=${f.case} npx vitest run tests/fuzz.test.ts`,
    `         or: node bin/verbatim.js --project ${f.dir} ${(steps[0] ?? '').replace(/^verbatim /u, '')}   (after npm run build)`,
  ].join('\n');
}

/** The failures, those of one case with the same problem and message merged. */
function merged(failures: readonly Failure[]): string[] {
  const groups = new Map<string, { first: Failure; steps: string[] }>();
  for (const f of failures) {
    const key = `${f.case}\u0000${f.kind}\u0000${f.message}`;
    const group = groups.get(key) ?? { first: f, steps: [] };
    if (!group.steps.includes(f.step)) group.steps.push(f.step);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => reproduce(g.first, g.steps));
}

/** Writes case `index` again, pristine, where failing cases are kept (a hang or a crash leaves no runner to do it). */
function keepCase(index: number): { dir: string; mutations: string[] } {
  const c = makeCase(seed, index, baseProjects(bases));
  const dir = path.join(keep, `seed-${seed}`, `case-${index}`);
  rmSync(dir, { recursive: true, force: true });
  writeCase(c, path.join(dir, 'project'));
  writeFileSync(path.join(dir, 'mutations.txt'), `${c.mutations.join('\n')}\n`);
  return { dir: path.join(dir, 'project'), mutations: c.mutations };
}

/** Runs `todo` in one child; resolves with the cases it did not get to (after a hang or a crash). */
function runChild(todo: readonly number[], work: string, failures: Failure[], notes: string[], stats: { cases: number; steps: number; slowest: [number, string, number] }): Promise<number[]> {
  const request: RunnerRequest = { seed, bases, cases: [...todo], work, keep };
  const child = spawn(process.execPath, [runner, JSON.stringify(request)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  let current: { case: number; step: string } | undefined;
  let lastCase = -1;
  let done = false;
  let hung = false;
  let timer: NodeJS.Timeout | undefined;
  const stray: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!line.startsWith(PROTOCOL)) {
      if (stray.length < 5) stray.push(line.slice(0, 200));
      return;
    }
    const m = JSON.parse(line.slice(PROTOCOL.length)) as RunnerMessage;
    switch (m.type) {
      case 'case':
        lastCase = m.case;
        stats.cases++;
        break;
      case 'start':
        current = { case: m.case, step: m.step };
        stats.steps++;
        timer = setTimeout(() => {
          hung = true;
          child.kill('SIGKILL');
        }, HANG_MS);
        break;
      case 'end':
        clearTimeout(timer);
        if (m.ms > stats.slowest[2]) stats.slowest = [m.case, m.step, m.ms];
        current = undefined;
        break;
      case 'failure':
        failures.push(m);
        break;
      case 'note': {
        // The same note from every command of a case is one note (a slow case is noted once, with its first slow step).
        const text = `case ${m.case}: ${m.kind}: ${m.kind === 'slow' ? '' : m.message}`;
        if (!notes.some((n) => n.startsWith(text))) notes.push(`${text}${m.kind === 'slow' ? m.message : ''}\n    (\`${m.step}\`; project: ${keepCase(m.case).dir})`);
        break;
      }
      case 'escaped':
        failures.push({ ...keepCase(m.case), case: m.case, step: m.step, kind: m.kind, message: m.message.split('\n').slice(0, 8).join('\n') });
        break;
      case 'done':
        done = true;
        break;
    }
  });
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (stray.length > 0) notes.push(`stray output on stdout during case ${lastCase}: ${stray.join(' | ')}`);
      if (done) return resolve([]);
      const at = current?.case ?? lastCase;
      if (at < 0) {
        // The runner died before its first case (it could not load the sources): nothing to go on with.
        failures.push({ case: -1, step: '(start-up)', kind: 'runner-crash', message: `the runner exited (code ${code}, signal ${signal}) before its first case:\n${stderr.trimEnd()}`, dir: '', mutations: [] });
        return resolve([]);
      }
      if (hung && current) failures.push({ ...keepCase(at), case: at, step: current.step, kind: 'hang', message: `no end after ${HANG_MS / 1000} s: killed` });
      else if (!failures.some((f) => f.case === at && (f.kind === 'uncaught-exception' || f.kind === 'unhandled-rejection'))) {
        failures.push({ ...keepCase(at), case: at, step: current?.step ?? '(between steps)', kind: 'runner-crash', message: `the runner exited (code ${code}, signal ${signal}):\n${stderr.trimEnd().split('\n').slice(-8).join('\n')}` });
      }
      resolve(todo.slice(todo.indexOf(at) + 1));
    });
  });
}

it(`mutation fuzz: ${cases.length} cases of seed ${seed}: exit 0/1, no internal error, no write, no hang`, { timeout: 120_000 + cases.length * 5_000 }, async () => {
  const work = mkdtempSync(path.join(tmpdir(), 'verbatim-fuzz-work-'));
  const failures: Failure[] = [];
  const notes: string[] = [];
  const stats = { cases: 0, steps: 0, slowest: [0, '', 0] as [number, string, number] };
  const started = performance.now();
  try {
    let todo: number[] = cases;
    while (todo.length > 0) todo = await runChild(todo, work, failures, notes, stats);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const kinds = [...new Set(failures.map((f) => f.kind))].map((k) => `${k} ×${failures.filter((f) => f.kind === k).length}`).join(', ');
  console.log(
    `fuzz: seed ${seed}, ${stats.cases} cases, ${stats.steps} steps in ${seconds} s (slowest: case ${stats.slowest[0]} \`${stats.slowest[1]}\` ${stats.slowest[2]} ms); ` +
      `${failures.length} failure${failures.length === 1 ? '' : 's'}${kinds ? ` (${kinds})` : ''}, ${notes.length} note${notes.length === 1 ? '' : 's'}` +
      `${failures.length > 0 ? `; failing cases kept in ${path.join(keep, `seed-${seed}`)}` : ''}`,
  );
  if (notes.length > 0) console.log(`fuzz notes (not failures):\n${notes.slice(0, 30).join('\n')}${notes.length > 30 ? `\n… ${notes.length - 30} more` : ''}`);
  expect(stats.cases, 'every case ran').toBe(cases.length);
  expect(merged(failures).join('\n\n'), 'fuzz failures').toBe('');
});
