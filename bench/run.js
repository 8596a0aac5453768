// npm run bench: start-up time, then auto-coding throughput and peak memory of
// `verbatim tag` on a deterministic synthetic French corpus (default 100 MB in
// 1,000 transcripts of about 100 KB, 80 codes), on one thread and on two
// worker threads (which `tag` only chooses by itself for larger corpora); then
// every command on the same corpus against a hand-written PyStemmer tagger
// (bench/reference_tagger.py) timed in the same run, a warm part (one transcript
// edited after a first run), and the targets of issue 15.
//
// Options (environment): MB=…, FILES=… (e.g. FILES=20000 for 5 KB answers),
// TAG_RUNS=… (one-thread `tag` runs, default 3), REF_RUNS=… (reference runs, default 3),
// COMMANDS=check,report (only these commands in the table and the warm part; names as in
// the table, e.g. "tag --json", "export json"), BENCH_TIMEOUT=… (seconds per command,
// default 300), PYTHON=… (the interpreter of the reference; otherwise the first of python3,
// /usr/bin/python3, python that imports PyStemmer).
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  existsSync,
  fstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { generateCorpus, writeBenchPlan } from './corpus.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const megabytes = Number(process.env.MB ?? 100);
const files = Number(process.env.FILES ?? 1000);
const dir = path.join(repo, 'bench/out', `corpus-${megabytes}mb-${files}`);
const stamp = path.join(dir, '.generated');
const timeoutSeconds = Number(process.env.BENCH_TIMEOUT ?? 300);
// A copy of the transcript that the warm part edits, outside the project, until it is restored.
const backup = path.join(repo, 'bench/out', `corpus-${megabytes}mb-${files}.warm-backup`);

restoreWarmEdit();
if (!existsSync(stamp)) {
  rmSync(dir, { recursive: true, force: true });
  const t = performance.now();
  const r = generateCorpus({ dir, megabytes, files });
  writeFileSync(stamp, JSON.stringify(r));
  console.log(`generated ${r.files} transcripts, ${(r.bytes / 1048576).toFixed(1)} MB, ${r.codes} codes in ${((performance.now() - t) / 1000).toFixed(1)} s → ${path.relative(repo, dir)}`);
}
// The plan that `report` renders; added to projects generated before it existed (the transcripts are unchanged).
const plan = writeBenchPlan(dir);
const { bytes } = JSON.parse(readFileSync(stamp, 'utf8'));
const mb = bytes / 1048576;
// Every output goes here, never into the project; removed at exit.
const tmp = mkdtempSync(path.join(tmpdir(), 'verbatim-bench-'));
process.on('exit', () => {
  restoreWarmEdit();
  rmSync(tmp, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => process.exit(130));
/** Ctrl-C reaches the command too: the bench stops when one was interrupted (its own handlers wait for the end of a run). */
function interrupted(r) {
  if (r.signal === 'SIGINT' || r.signal === 'SIGHUP') process.exit(130);
}

/** The first and last bytes of a file (a failing command may print a lot). */
function headAndTail(file, size = 65536) {
  const fd = openSync(file, 'r');
  try {
    const length = fstatSync(fd).size;
    const read = (position, n) => {
      const buffer = Buffer.alloc(n);
      const got = readSync(fd, buffer, 0, n, position);
      return buffer.subarray(0, got).toString('utf8');
    };
    if (length <= 2 * size) return read(0, length);
    return `${read(0, size)}\n${read(length - size, size)}`;
  } finally {
    closeSync(fd);
  }
}

/** The line of stderr that says why a command failed: the first that names an error, else the first. */
function errorLine(stderr) {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('BENCH_MAXRSS_KB='));
  const line = lines.find((l) => /error|fatal|heap|abort|killed/i.test(l)) ?? lines[0] ?? '(no message)';
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}

/** Deleting the cache is always safe (issue 15): the table measures runs without one. */
function clearCache() {
  rmSync(path.join(dir, '.verbatim', 'cache'), { recursive: true, force: true });
}

/**
 * Runs `verbatim ARGS --project DIR` once, stdout to /dev/null, stderr to a file: wall time (start-up
 * included), peak resident memory (bench/rss.js), exit code, a timeout, and why it failed.
 */
function run(label, args, { keepCache = false, print = true } = {}) {
  if (!keepCache) clearCache();
  const errFile = path.join(tmp, 'stderr.txt');
  const errFd = openSync(errFile, 'w');
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--import', path.join(repo, 'bench/rss.js'), path.join(repo, 'bin/verbatim.js'), ...args, '--project', dir], {
    stdio: ['ignore', 'ignore', errFd],
    env: { ...process.env, NO_COLOR: '1' },
    timeout: timeoutSeconds * 1000,
    killSignal: 'SIGKILL',
  });
  const seconds = (performance.now() - t) / 1000;
  closeSync(errFd);
  interrupted(r);
  const stderr = headAndTail(errFile);
  const rss = Number(/BENCH_MAXRSS_KB=(\d+)/.exec(stderr)?.[1] ?? 0) / 1024;
  const timedOut = r.error?.code === 'ETIMEDOUT';
  const failure = timedOut
    ? `timed out after ${timeoutSeconds} s`
    : r.error
      ? r.error.message
      : r.status !== 0
        ? `exit ${r.status ?? r.signal}: ${errorLine(stderr)}`
        : null;
  const result = { label, seconds, rss, status: r.status, failure };
  if (print) console.log(`${label.padEnd(36)} ${seconds.toFixed(2).padStart(6)} s  ${(mb / seconds).toFixed(1).padStart(6)} MB/s  peak ${rss ? rss.toFixed(0).padStart(4) : '   ?'} MB  (${failure ?? `exit ${r.status}`})`);
  for (const name of readdirSync(tmp)) if (name !== 'stderr.txt') rmSync(path.join(tmp, name), { recursive: true, force: true });
  return result;
}

const median = (values) => [...values].sort((a, b) => a - b)[(values.length - 1) >> 1];
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

console.log(`load average at start: ${load()} (${process.env.BENCH_NOTE ?? 'other processes on the machine slow every figure below'})`);
spawnSync(process.execPath, [path.join(repo, 'bench/startup.js')], { stdio: 'inherit' });
console.log(`auto-coding ${mb.toFixed(1)} MB in ${files} transcripts:`);
// The one-thread run is the target's: three runs (TAG_RUNS=…), judged on the median time and the highest peak, since
// a shared machine varies by 10 to 20 % from run to run.
const runs = Math.max(1, Number(process.env.TAG_RUNS ?? 3));
const ones = Array.from({ length: runs }, (_, k) => run(`tag --workers 1 (one thread) #${k + 1}`, ['tag', '--workers', '1']));
const json1 = run('tag --workers 1 --json > /dev/null', ['tag', '--workers', '1', '--json']);
run('tag --workers 2 (two threads)', ['tag', '--workers', '2']);
run('tag --workers 2 --json > /dev/null', ['tag', '--workers', '2', '--json']);

// The targets of issue 4: at least 50 MB/s on one thread, end to end, and a peak under 100 MB.
const tagSeconds = median(ones.map((o) => o.seconds));
const tagPeak = Math.max(...ones.map((o) => o.rss));
const tagFailure = ones.find((o) => o.failure)?.failure ?? null;
const speed = mb / tagSeconds;
const verdict = (ok) => (ok ? 'met' : 'NOT met');
console.log(`targets (one thread, median of ${runs} runs, highest peak): >= 50 MB/s ${verdict(speed >= 50)} (${speed.toFixed(1)} MB/s); peak < 100 MB ${verdict(tagPeak > 0 && tagPeak < 100)} (${tagPeak.toFixed(0)} MB)`);

// ---------------------------------------------------------------------------------------------
// The reference: bench/reference_tagger.py with PyStemmer, timed here, a process per run like Verbatim.

function findPython() {
  const tried = [];
  const candidates = process.env.PYTHON ? [process.env.PYTHON] : ['python3', '/usr/bin/python3', 'python'];
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import Stemmer; Stemmer.Stemmer("french")'], { encoding: 'utf8' });
    if (r.status === 0) return { python };
    const why = r.error ? (r.error.code === 'ENOENT' ? 'not found' : r.error.message) : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`);
    tried.push(`${python}: ${why}`);
  }
  return { python: null, why: tried.join('; ') };
}

function runReference(python) {
  const t = performance.now();
  const r = spawnSync(python, [path.join(repo, 'bench/reference_tagger.py'), dir], { encoding: 'utf8', timeout: timeoutSeconds * 1000, killSignal: 'SIGKILL', maxBuffer: 1 << 20 });
  const seconds = (performance.now() - t) / 1000;
  interrupted(r);
  if (r.status !== 0) return { seconds, failure: r.error?.code === 'ETIMEDOUT' ? `timed out after ${timeoutSeconds} s` : `exit ${r.status ?? r.signal}: ${errorLine(r.stderr ?? '')}` };
  return { seconds, totals: JSON.parse(r.stdout.trim().split('\n').pop()) };
}

const refRuns = Math.max(1, Number(process.env.REF_RUNS ?? 3));
const { python, why } = findPython();
let reference = null;
if (!python) {
  console.log(`reference: missing, ratios n/a (no Python with PyStemmer: ${why}; on Debian: apt-get install python3-stemmer)`);
} else {
  const refs = [];
  for (let k = 0; k < refRuns; k++) {
    const r = runReference(python);
    if (r.failure) {
      console.log(`reference: failed, ratios n/a (${python} bench/reference_tagger.py: ${r.failure})`);
      refs.length = 0;
      break;
    }
    refs.push(r);
  }
  if (refs.length > 0) {
    const seconds = median(refs.map((r) => r.seconds));
    const t = refs[0].totals;
    reference = { seconds };
    console.log(
      `reference (bench/reference_tagger.py, ${t.stemmer}, ${python}), median of ${refRuns}: ${seconds.toFixed(2)} s (${refs.map((r) => r.seconds.toFixed(2)).join(', ')}), ` +
        `${(mb / seconds).toFixed(1)} MB/s, peak ${(t.maxrss_kb / 1024).toFixed(0)} MB; ${t.files} files, ${t.segments} segments, ${t.tokens} tokens stemmed, ${t.codings} codings`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Every command, a process each, without a cache; outputs to a temporary folder or /dev/null.

const out = (name) => path.join(tmp, name);
const COMMANDS = [
  ['check', ['check']],
  ['status', ['status']],
  ['tag', null], // the median of the one-thread runs above
  ['tag --json', null], // the one-thread run above
  ['quotes theme-1', ['quotes', 'theme-1']],
  ['matrix --by group', ['matrix', '--by', 'group']],
  ['cooc', ['cooc']],
  ['saturation', ['saturation']],
  ['profiles --by group', ['profiles', '--by', 'group']],
  [`report ${plan}`, ['report', plan, '-o', out('report.md'), '--force']],
  ['export json', ['export', 'json', '-o', out('export.json'), '--force']],
  ['export csv', ['export', 'csv', '-o', out('export.csv'), '--force']],
  ['export qdpx', ['export', 'qdpx', '-o', out('export.qdpx'), '--force']],
];
// COMMANDS=check,report: a name matches a row by its first words ("quotes" matches "quotes theme-1").
const wanted = process.env.COMMANDS?.split(',').map((s) => s.trim()).filter(Boolean);
const selected = (label) => !wanted || wanted.some((w) => label === w || (label.startsWith(`${w} `) && !(w === "tag" && label === "tag --json")));
for (const w of wanted ?? []) {
  if (![...COMMANDS.map(([label]) => label)].some((label) => label === w || label.startsWith(`${w} `))) console.log(`COMMANDS: no command \`${w}\` (names: ${COMMANDS.map(([label]) => label).join(', ')})`);
}
const peakLimit = megabytes >= 1000 ? 200 : 150;
const RATIO = 4;

console.log(`\nevery command on ${mb.toFixed(1)} MB, a process each, start-up included, no cache (timeout ${timeoutSeconds} s):`);
if (reference) console.log(`the ${RATIO}× bar: ${(reference.seconds / RATIO).toFixed(2)} s, ${((RATIO * mb) / reference.seconds).toFixed(1)} MB/s (${RATIO} × the reference's ${(mb / reference.seconds).toFixed(1)} MB/s); peak ≤ ${peakLimit} MB`);
const rows = [];
for (const [label, args] of COMMANDS) {
  if (!selected(label)) continue;
  let r;
  if (label === 'tag') r = { label, seconds: tagSeconds, rss: tagPeak, failure: tagFailure, note: `median of ${runs} above` };
  else if (label === 'tag --json') r = { ...json1, label, note: 'the --workers 1 run above' };
  else r = run(label, args);
  rows.push(r);
}

const fmtRatio = (x) => (x == null ? 'n/a' : `${x >= 10 ? x.toFixed(0) : x.toFixed(1)}×`);
const targets = [];
const header = ['command', 'seconds', 'MB/s', `ratio (≥ ${RATIO}×)`, `peak MB (≤ ${peakLimit})`, 'target'];
const table = [header];
for (const r of rows) {
  const ratio = reference && !r.failure ? reference.seconds / r.seconds : null;
  const peakOk = r.rss > 0 && r.rss <= peakLimit;
  const ok = r.failure ? false : !peakOk ? false : ratio == null ? null : ratio >= RATIO;
  const why = r.failure ?? `${fmtRatio(ratio)}, ${r.rss ? r.rss.toFixed(0) : '?'} MB`;
  targets.push({ name: r.label, ok, why });
  table.push([
    r.label,
    r.failure?.startsWith('timed out') ? 'timed out' : r.seconds.toFixed(2),
    r.failure ? '—' : (mb / r.seconds).toFixed(1),
    fmtRatio(ratio),
    r.rss ? r.rss.toFixed(0) : '?',
    `${ok === null ? 'n/a (no reference)' : verdict(ok)}${r.failure ? ` (${r.failure})` : ''}${r.note ? ` [${r.note}]` : ''}`,
  ]);
}
if (rows.length > 0) {
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i].length)));
  for (const row of table) console.log(row.map((cell, i) => (i === 0 || i === row.length - 1 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd());
}
if (!wanted || wanted.includes('tag')) targets.push({ name: 'tag ≥ 50 MB/s (its speed today)', ok: !tagFailure && speed >= 50, why: `${speed.toFixed(1)} MB/s` });

// ---------------------------------------------------------------------------------------------
// Warm: a first run, then one sentence appended to one transcript, then the command again, end to end.

/** Puts back the transcript the warm part edited (also after a run that was killed). */
function restoreWarmEdit() {
  if (!existsSync(backup)) return;
  for (const name of readdirSync(backup)) {
    if (name.endsWith('.mtime')) continue;
    const target = path.join(dir, 'corpus', name);
    copyFileSync(path.join(backup, name), target);
    const mtime = Number(readFileSync(path.join(backup, `${name}.mtime`), 'utf8'));
    utimesSync(target, mtime / 1000, mtime / 1000);
  }
  rmSync(backup, { recursive: true, force: true });
}

function editOneTranscript(sentence) {
  const names = readdirSync(path.join(dir, 'corpus')).filter((n) => n.endsWith('.md')).sort();
  const name = names[names.length >> 1];
  const file = path.join(dir, 'corpus', name);
  mkdirSync(backup, { recursive: true });
  copyFileSync(file, path.join(backup, name));
  writeFileSync(path.join(backup, `${name}.mtime`), String(statSync(file).mtimeMs));
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, `${text.replace(/\n*$/, '\n\n')}**R :** ${sentence}\n\n`);
  return name;
}

const WARM = [
  ['check', ['check'], 0.6],
  [`report ${plan}`, ['report', plan, '-o', out('report.md'), '--force'], 1],
];
const warmRows = WARM.filter(([label]) => selected(label));
if (warmRows.length > 0) console.log(`\nwarm: a first run, one sentence appended to one transcript of ${files}, then the same command (cache kept):`);
for (const [label, args, limit] of warmRows) {
  clearCache();
  run(`${label} (first run)`, args, { keepCache: true });
  let r;
  try {
    // A new sentence each time, so that no cache can hold the edited transcript from an earlier run.
    const name = editOneTranscript(`Elle ajoute une dernière phrase sur la concertation, mesure ${Date.now()}.`);
    r = run(`${label} after editing ${name}`, args, { keepCache: true });
  } finally {
    restoreWarmEdit();
  }
  const ok = !r.failure && r.seconds <= limit;
  console.log(`warm ${label}: ${r.failure ?? `${r.seconds.toFixed(2)} s`}, target ≤ ${limit} s ${verdict(ok)}`);
  targets.push({ name: `warm ${label}`, ok, why: r.failure ?? `${r.seconds.toFixed(2)} s` });
}
clearCache();

// ---------------------------------------------------------------------------------------------
const met = targets.filter((t) => t.ok === true);
const notMet = targets.filter((t) => t.ok === false);
const unknown = targets.filter((t) => t.ok === null);
console.log(`load average at end: ${load()}`);
console.log(
  `targets: ${met.length} of ${targets.length} met` +
    (notMet.length ? `; NOT met: ${notMet.map((t) => `${t.name} (${t.why})`).join(', ')}` : '') +
    (unknown.length ? `; n/a without the reference: ${unknown.map((t) => `${t.name} (${t.why})`).join(', ')}` : ''),
);
