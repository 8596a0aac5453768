/**
 * The fuzz runner's work, in the child process that tests/fuzz.test.ts
 * watches: for each case, write the mutated project, run `check`, `tag
 * --json`, `tag` and `report` in-process (`run(argv, memoryIo(dir))`), and
 * judge each step. Every step is announced before it runs and after it ends,
 * one JSON line each, so that the watching test can tell a hang from a slow
 * run and kill the process.
 *
 * Failures (the issue's "Done when"): an exit other than 0 or 1, an internal
 * error or a stack trace in the output, a file of the project written,
 * changed or removed (`report` may write only its reports), a command that
 * gives different output on the same input, `report --check` disagreeing
 * with the `report` just run, a name of the demo's `.verbatim/redact.txt` in
 * a message, in a text of `tag --json` or in a written report ("nothing
 * leaked"). Notes (reported, not failures): diagnostics whose position is
 * outside their file, messages that show `undefined` or `[object Object]`,
 * the summary of `tag` disagreeing with `tag --json`, a step over 5 s, and
 * stray console output.
 */
import { isCachePath } from '../helpers/cache.js';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { sourcesPathOf } from '../../src/core/quote-source.js';
import { baseProjects, kindOf, makeCase, writeCase, type BaseName, type FuzzCase } from './cases.js';
import { createRng } from './prng.js';

/** What the watching test asks the runner to do. */
export interface RunnerRequest {
  seed: number;
  /** The projects cases start from. */
  bases: BaseName[];
  /** Case indices to run, in order. */
  cases: number[];
  /** A folder for the cases' projects (each removed after its case). */
  work: string;
  /** Where the projects of failing cases are written again, pristine, for reproduction. */
  keep: string;
}

/** A line the runner prints. */
export type RunnerMessage =
  | { type: 'case'; case: number; base: string; mutations: string[] }
  | { type: 'start'; case: number; step: string }
  | { type: 'end'; case: number; step: string; exit: number; ms: number }
  | { type: 'failure'; case: number; step: string; kind: string; message: string; dir: string; mutations: string[]; base: string }
  | { type: 'note'; case: number; step: string; kind: string; message: string }
  /** Printed by runner.mjs when an exception or a rejection escapes a command, before it exits. */
  | { type: 'escaped'; case: number; step: string; kind: 'uncaught-exception' | 'unhandled-rejection'; message: string }
  | { type: 'done'; cases: number; steps: number };

/** The prefix of the runner's protocol lines: anything else on stdout is stray output. */
export const PROTOCOL = '\u0001fuzz ';

/** A step of a case: the arguments of `verbatim`. */
const CHECK_FORMATS = ['json', 'json', 'stylish', 'unix', 'github'] as const;

/** A step slower than this is noted: under the 20 s of a hang, but a sign of superlinear work on large input. */
const SLOW_MS = 5_000;

/** The stack of a thrown error, as Node prints it. */
const STACK = /^\s+at .+(?:\(.*:\d+:\d+\)|:\d+:\d+)$/mu;

/** Hashes of every file under `dir`, by path relative to it. */
function hashTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      const rel = path.relative(dir, full).split(path.sep).join('/');
      if (isCachePath(rel)) continue;
      const stat = statSync(full, { throwIfNoEntry: false });
      if (!stat) continue;
      if (stat.isDirectory()) walk(full);
      else out.set(rel, createHash('sha1').update(readFileSync(full)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

/** Paths (relative to the case folder) whose hash differs, appeared or disappeared. */
function changes(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): { path: string; what: 'added' | 'changed' | 'removed' }[] {
  const out: { path: string; what: 'added' | 'changed' | 'removed' }[] = [];
  for (const [p, h] of after) {
    const was = before.get(p);
    if (was === undefined) out.push({ path: p, what: 'added' });
    else if (was !== h) out.push({ path: p, what: 'changed' });
  }
  for (const p of before.keys()) if (!after.has(p)) out.push({ path: p, what: 'removed' });
  return out;
}

/**
 * Where `report` may write, relative to the case folder: `reports/<name>.md`
 * for each plan, and the plan's own `output` when it names one, each with its
 * sources file (`core/quote-source.ts`). Files the project reads are never
 * among them.
 */
function reportTargets(c: FuzzCase, caseDir: string, project: string): Set<string> {
  const out = new Set<string>();
  for (const [file, bytes] of c.files) {
    if (kindOf(file) !== 'plan') continue;
    out.add(`project/${file.replace(/\.plan\.yaml$/u, '.md')}`);
    try {
      const output = parseDocument(bytes.toString('utf8'), { uniqueKeys: false }).get('output');
      if (typeof output === 'string' && output !== '') out.add(path.relative(caseDir, path.resolve(project, output)).split(path.sep).join('/'));
    } catch {
      // A plan the yaml library cannot read has no output either.
    }
  }
  for (const target of [...out]) out.add(sourcesPathOf(target));
  for (const file of c.files.keys()) if (kindOf(file) !== undefined || file.startsWith('.verbatim/')) out.delete(`project/${file}`);
  return out;
}

/** The first lines of an output, for a failure's message. */
function excerpt(text: string, lines = 6): string {
  // The report's warnings say nothing about a failure: show what follows them.
  const all = text.trimEnd().split('\n').filter((l, _, a) => !l.startsWith('warning (') || a.every((x) => x.startsWith('warning (')));
  const shown = all.slice(0, lines).map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l));
  return `${shown.join('\n')}${all.length > lines ? `\n… ${all.length - lines} more lines` : ''}`;
}

interface StepResult {
  exit: number;
  out: string;
  err: string;
  ms: number;
}

interface Diagnostic {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  message: string;
  ruleId: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Diagnostics whose position is not in their file (the file's text as UTF-8, columns in UTF-16 units). */
function badPositions(diagnostics: readonly Diagnostic[], project: string): string[] {
  const out: string[] = [];
  for (const d of diagnostics) {
    const file = path.resolve(project, d.file);
    if (!existsSync(file) || statSync(file).isDirectory()) continue;
    let text: string;
    try {
      text = utf8.decode(readFileSync(file));
    } catch {
      continue;
    }
    // Lines as Verbatim counts them (core/location.ts) and editors show them: a lone CR ends a line;
    // the CR of a CRLF is a column of its line, so a range may end after it.
    const lines = text.split(/\r(?!\n)|\n/u);
    const inFile = (line: number | undefined, column: number | undefined): boolean =>
      line === undefined || column === undefined || (Number.isInteger(line) && Number.isInteger(column) && line >= 1 && line <= lines.length && column >= 1 && column <= (lines[line - 1] as string).length + 1);
    const ordered = d.endLine === undefined || d.endColumn === undefined || d.endLine > d.line || (d.endLine === d.line && d.endColumn >= d.column);
    if (!inFile(d.line, d.column) || !inFile(d.endLine, d.endColumn) || !ordered) {
      out.push(`${d.file}:${d.line}:${d.column}-${d.endLine}:${d.endColumn} [${d.ruleId}] is outside the file (${lines.length} lines)`);
    }
  }
  return out;
}

/** A redacted name in a text: case and white space ignored, as Verbatim matches them. */
function leakOf(text: string, names: readonly string[]): string | undefined {
  for (const name of names) {
    const re = new RegExp(name.trim().split(/\s+/u).map((w) => w.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')).join('[\\s\\u00a0\\u202f]+'), 'iu');
    if (re.test(text)) return name;
  }
  return undefined;
}

/** Per transcript, what `tag`'s summary line shows, computed from `tag --json`'s codings. */
function summaryFromJson(json: string): Map<string, string> | undefined {
  let codings: { transcript: string; segment: number; code: string; origin: string }[];
  try {
    codings = JSON.parse(json) as typeof codings;
  } catch {
    return undefined;
  }
  const byTranscript = new Map<string, typeof codings>();
  for (const c of codings) byTranscript.set(c.transcript, [...(byTranscript.get(c.transcript) ?? []), c]);
  const out = new Map<string, string>();
  for (const [id, list] of byTranscript) {
    const perCode = new Map<string, number>();
    for (const c of list) perCode.set(c.code, (perCode.get(c.code) ?? 0) + 1);
    // The three most frequent codes, ties in code order, as tag-batch.ts prints them.
    const top = [...perCode].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, 3);
    const auto = list.filter((c) => c.origin === 'auto').length;
    out.set(id, `coded ${new Set(list.map((c) => c.segment)).size}, auto ${auto}, manual ${list.length - auto}; ${top.map(([code, n]) => `${code} (${n})`).join(', ')}`);
  }
  return out;
}

/** Rows of `tag`'s summary that differ from what `tag --json`'s codings give (the summary is counted from the bytes: engine/tally.ts). */
function tallyMismatches(summary: string, json: string): string[] {
  const expected = summaryFromJson(json);
  if (!expected) return [];
  const lines = summary.split('\n');
  // The id column is as wide as the header's `transcript` padding (ids may hold spaces and digits).
  const width = lines[0]?.indexOf('  segments') ?? -1;
  if (width < 0) return [];
  const rows = lines.slice(1, -2).map((line) => {
    const m = /^\s+\d+\s+(\d+)\s+(\d+)\s+(\d+)(?: {2}(.*))?$/u.exec(line.slice(width));
    return m && { id: line.slice(0, width).trimEnd(), coded: m[1], auto: m[2], manual: m[3], top: m[4] ?? '' };
  });
  const out: string[] = [];
  for (const row of rows) {
    if (!row) continue;
    const { id, coded, auto, manual, top } = row;
    // Two transcripts with one id (an error of its own) share their codings in --json.
    if (rows.filter((r) => r?.id === id).length > 1) continue;
    const got = `coded ${coded}, auto ${auto}, manual ${manual}; ${top.trim()}`;
    const want = expected.get(id) ?? 'coded 0, auto 0, manual 0; ';
    if (got !== want) out.push(`${id}: the summary says ${got}; --json gives ${want}`);
  }
  return out;
}

/** Runs the requested cases, printing a protocol line per event. */
export async function runCases(request: RunnerRequest, print: (line: string) => void): Promise<void> {
  const emit = (m: RunnerMessage): void => print(`${PROTOCOL}${JSON.stringify(m)}\n`);
  const bases = baseProjects(request.bases);
  let steps = 0;
  for (const index of request.cases) {
    const c = makeCase(request.seed, index, bases);
    const base = bases.find((b) => b.name === c.base);
    const caseDir = path.join(request.work, `case-${index}`);
    const project = path.join(caseDir, 'project');
    rmSync(caseDir, { recursive: true, force: true });
    mkdirSync(project, { recursive: true });
    writeCase(c, project);
    emit({ type: 'case', case: index, base: c.base, mutations: c.mutations });
    const failures: { step: string; kind: string; message: string }[] = [];
    const note = (step: string, kind: string, message: string): void => emit({ type: 'note', case: index, step, kind, message });
    const rng = createRng(c.seed ^ 0x5bd1e995);
    const format = rng.pick(CHECK_FORMATS);
    const targets = reportTargets(c, caseDir, project);
    let files = hashTree(caseDir);

    /** Runs `verbatim ARGV` and judges it; `writes` are the files it may write. */
    const step = async (argv: readonly string[], writes?: ReadonlySet<string>): Promise<StepResult> => {
      const name = `verbatim ${argv.join(' ')}`;
      emit({ type: 'start', case: index, step: name });
      steps++;
      const io = memoryIo(project);
      const started = performance.now();
      let exit: number;
      try {
        exit = await run(argv, io);
      } catch (error) {
        // run() catches everything; reaching here is itself a failure.
        exit = -1;
        io.err += `run() threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`;
      }
      const ms = Math.round(performance.now() - started);
      emit({ type: 'end', case: index, step: name, exit, ms });
      const fail = (kind: string, message: string): void => void failures.push({ step: name, kind, message });
      if (exit !== 0 && exit !== 1) fail('exit-code', `exit ${exit}:\n${excerpt(io.err)}`);
      else if (/internal error|report this bug/iu.test(io.err + io.out)) fail('internal-error', excerpt(io.err));
      const stack = STACK.exec(io.err) ?? STACK.exec(io.out);
      if (stack) fail('stack-trace', excerpt(stack.input.slice(Math.max(0, stack.index - 400))));
      const after = hashTree(caseDir);
      const wrong = changes(files, after).filter((ch) => !(writes?.has(ch.path) && ch.what !== 'removed'));
      if (wrong.length > 0) fail('wrote-files', wrong.map((ch) => `${ch.what} ${ch.path}`).join(', '));
      files = after;
      if (ms > SLOW_MS) note(name, 'slow', `${ms} ms`);
      const odd = /\bundefined\b|\[object Object\]/u.exec(io.err);
      if (odd) note(name, 'odd-message', excerpt(io.err.slice(Math.max(0, io.err.lastIndexOf('\n', odd.index) + 1)), 2));
      if (base && base.context.names.length > 0) {
        // Messages are masked whole (ids included); in tag --json, ids are not masked by design, texts are.
        // check's report (its diagnostics) is on stdout.
        const messages = argv[0] === 'check' ? `${io.err}${io.out}` : io.err;
        const inErr = leakOf(messages, base.context.names);
        const inJson = argv.includes('--json') ? leakOf(jsonTexts(io.out), base.context.names) : undefined;
        if (inErr) fail('redaction-leak', `\`${inErr}\` in the messages:\n${excerpt(messages.split('\n').filter((l) => leakOf(l, [inErr])).join('\n'), 3)}`);
        if (inJson) fail('redaction-leak', `\`${inJson}\` in a \`text\` of the JSON`);
      }
      return { exit, out: io.out, err: io.err, ms };
    };

    const check = await step(['check', '--format', format]);
    if (format === 'json' && check.exit !== 2) {
      try {
        for (const bad of badPositions(JSON.parse(check.out) as Diagnostic[], project)) note('verbatim check --format json', 'bad-position', bad);
      } catch {
        note('verbatim check --format json', 'bad-json', excerpt(check.out, 2));
      }
    }
    const json = await step(['tag', '--json']);
    const summary = await step(['tag']);
    if (json.exit === summary.exit) for (const m of tallyMismatches(summary.out, json.out)) note('verbatim tag', 'tally-mismatch', m);
    const again = await step(['tag', '--json']);
    if (again.out !== json.out || again.err !== json.err || again.exit !== json.exit) {
      failures.push({ step: 'verbatim tag --json', kind: 'nondeterministic', message: `the second run gave ${again.out === json.out ? 'the same stdout' : 'another stdout'} and ${again.err === json.err ? 'the same stderr' : `another stderr:\n${excerpt(again.err, 3)}`}` });
    }
    const report = await step(['report'], targets);
    if (base && base.context.names.length > 0) {
      for (const t of targets) {
        const file = path.join(caseDir, t);
        const leak = existsSync(file) && statSync(file).isFile() ? leakOf(readFileSync(file, 'utf8'), base.context.names) : undefined;
        if (leak && report.exit === 0) failures.push({ step: 'verbatim report', kind: 'redaction-leak', message: `\`${leak}\` in ${t}` });
      }
    }
    const recheck = await step(['report', '--check']);
    if (report.exit === 0 && recheck.exit !== 0) failures.push({ step: 'verbatim report --check', kind: 'report-check-disagrees', message: `exit ${recheck.exit} right after \`report\` exit 0:\n${excerpt(recheck.err)}` });

    if (failures.length > 0) {
      const keep = path.join(request.keep, `seed-${request.seed}`, `case-${index}`);
      rmSync(keep, { recursive: true, force: true });
      writeCase(c, path.join(keep, 'project'));
      writeFileSync(path.join(keep, 'mutations.txt'), `${c.mutations.join('\n')}\n`);
      for (const f of failures) emit({ type: 'failure', case: index, step: f.step, kind: f.kind, message: f.message, dir: path.join(keep, 'project'), mutations: c.mutations, base: c.base });
    }
    rmSync(caseDir, { recursive: true, force: true });
  }
  emit({ type: 'done', cases: request.cases.length, steps });
}

/** The `text` fields of `tag --json`'s codings and evidence, where redacted names must be masked (ids are not, by design). */
function jsonTexts(out: string): string {
  try {
    const codings = JSON.parse(out) as { text?: string; evidence?: { text?: string }[] }[];
    return codings.flatMap((c) => [c.text ?? '', ...(c.evidence ?? []).map((e) => e.text ?? '')]).join('\n');
  } catch {
    return '';
  }
}
