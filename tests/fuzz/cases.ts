/**
 * The cases of the mutation fuzz: a small valid project (the check fixture,
 * or a slice of the demo project), with one to a few mutations of its files
 * or of the project's layout. A case is a pure function of (seed, index), so
 * that any case can be written again alone to reproduce a failure.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { mutate, show, type FileKind, type MutationContext } from './mutators.js';
import { caseSeed, createRng, type Rng } from './prng.js';

const repo = path.join(import.meta.dirname, '../..');

/** A project to start from: its files by path, and what mutations may borrow from it. */
export interface BaseProject {
  name: string;
  files: ReadonlyMap<string, Buffer>;
  context: MutationContext;
}

/** One case: the project's files after mutation (by path, relative to the project) and what was done. */
export interface FuzzCase {
  index: number;
  seed: number;
  base: string;
  files: Map<string, Buffer>;
  mutations: string[];
}

/** The files of a folder, recursively, by relative path with `/`. */
function readTree(dir: string, only?: readonly string[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      const rel = path.relative(dir, full).split(path.sep).join('/');
      if (statSync(full).isDirectory()) walk(full);
      else if (!only || only.includes(rel)) out.set(rel, readFileSync(full));
    }
  };
  walk(dir);
  return out;
}

/** The full dotted ids of a codebook's codes, from its `- id:` lines and their indentation. */
function codeIds(codebook: string): string[] {
  const ids: string[] = [];
  const stack: { indent: number; id: string }[] = [];
  for (const m of codebook.matchAll(/^( *)- id: *([^\s#]+)/gmu)) {
    const indent = (m[1] ?? '').length;
    while (stack.length > 0 && (stack[stack.length - 1] as { indent: number }).indent >= indent) stack.pop();
    stack.push({ indent, id: m[2] as string });
    ids.push(stack.map((s) => s.id).join('.'));
  }
  return ids;
}

function contextOf(files: ReadonlyMap<string, Buffer>): MutationContext {
  const text = (p: string): string => files.get(p)?.toString('utf8') ?? '';
  const codebook = [...files.keys()].find((p) => p.startsWith('codebooks/')) ?? '';
  const panel = parseYaml(text('corpus/panel.yaml')) as { attributes?: Record<string, { values?: Record<string, string> }> } | null;
  const transcripts = [...files.keys()].filter((p) => kindOf(p) === 'transcript');
  const names = new Set<string>();
  for (const p of transcripts) {
    const redact = /^redact: *(\[[^\n]*\])/mu.exec(text(p))?.[1];
    if (redact) for (const n of parseYaml(redact) as string[]) names.add(n);
  }
  for (const line of text('.verbatim/redact.txt').split('\n')) if (line.trim() !== '' && !line.startsWith('#')) names.add(line.trim());
  return {
    codes: codeIds(text(codebook)),
    ids: transcripts.map((p) => path.basename(p, '.md')),
    attributes: Object.entries(panel?.attributes ?? {}).map(([name, a]) => [name, Object.keys(a?.values ?? {})] as const),
    names: [...names],
  };
}

/** The projects a run may start from: `fixture` and `demo` by default, `demo-full` on request (three times slower a case). */
export const BASES = ['fixture', 'demo', 'demo-full'] as const;
export type BaseName = (typeof BASES)[number];

const DEMO = ['corpus/panel.yaml', 'codebooks/alliances.yaml', 'reports/restitution.plan.yaml', 'reports/restitution.md'];
/** Names that must not reach any output, in a file the fuzz never mutates: they are redacted in every case of the demo. */
const REDACT_TXT = Buffer.from('# names that must not reach any output\nOdile Ferrandon\nSainte-Orlane-du-Val\n');

/** The projects the fuzz starts from, in the order given (a case picks one by its index in this list). */
export function baseProjects(names: readonly BaseName[] = ['fixture', 'demo']): BaseProject[] {
  return names.map((name) => {
    let files: Map<string, Buffer>;
    if (name === 'fixture') files = readTree(path.join(repo, 'tests/fixtures/check/_base'));
    else {
      // The demo: all twelve interviews, or three (E06 redacts two names), with the full codebook, panel and plan, and the committed report.
      const corpus = name === 'demo-full' ? readdirSync(path.join(repo, 'corpus')).filter((n) => n.endsWith('.md')).map((n) => `corpus/${n}`) : ['corpus/E01.md', 'corpus/E06.md', 'corpus/E09.md'];
      files = readTree(repo, [...corpus, ...DEMO]);
      files.set('.verbatim/redact.txt', REDACT_TXT);
    }
    return { name, files, context: contextOf(files) };
  });
}

/** The bases named in FUZZ_BASES (comma-separated), or the default ones. */
export function basesFromEnv(value: string | undefined): BaseName[] {
  if (!value) return ['fixture', 'demo'];
  const names = value.split(',').map((n) => n.trim());
  for (const n of names) if (!(BASES as readonly string[]).includes(n)) throw new Error(`FUZZ_BASES: no base \`${n}\`; the bases are ${BASES.join(', ')}.`);
  return names as BaseName[];
}

/** The format of a project file, from its path. */
export function kindOf(file: string): FileKind | 'table' | undefined {
  if (file === 'verbatim.yaml') return 'config';
  if (file === 'corpus/panel.yaml') return 'panel';
  if (file.endsWith('.csv')) return 'table';
  if (file.startsWith('corpus/') && file.endsWith('.md')) return 'transcript';
  if (file.startsWith('codebooks/') && file.endsWith('.yaml')) return 'codebook';
  if (file.startsWith('reports/') && file.endsWith('.plan.yaml')) return 'plan';
  return undefined;
}

/** Changes to the project's layout rather than to one file's bytes. */
function mutateLayout(files: Map<string, Buffer>, rng: Rng, ctx: MutationContext): string | undefined {
  const inputs = [...files.keys()].filter((p) => kindOf(p) !== undefined);
  const transcripts = inputs.filter((p) => kindOf(p) === 'transcript');
  const any = (list: readonly string[]): string | undefined => (list.length > 0 ? rng.pick(list) : undefined);
  const edits: [number, () => string | undefined][] = [
    [2, () => {
      const p = any(inputs);
      if (!p) return undefined;
      files.delete(p);
      return `delete ${p}`;
    }],
    [2, () => {
      const p = any(transcripts);
      if (!p) return undefined;
      const to = rng.pick(['corpus/copy.md', 'corpus/sub/dir/copy.md', 'corpus/_draft.md', 'corpus/README.md', 'corpus/.hidden.md', 'corpus/Copy.MD', 'corpus/é ü.md']);
      files.set(to, Buffer.from(files.get(p) as Buffer));
      return `copy ${p} to ${to}`;
    }],
    [3, () => {
      const p = any(inputs);
      if (!p) return undefined;
      const text = (files.get(p) as Buffer).toString('utf8');
      const encodings: [string, () => Buffer][] = [
        ['Latin-1', () => Buffer.from(text, 'latin1')],
        ['UTF-16 LE with a BOM', () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
        ['UTF-16 BE with a BOM', () => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])],
        ['UTF-16 LE without a BOM', () => Buffer.from(text, 'utf16le')],
        ['UTF-8 with a BOM', () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
        ['UTF-8 with two BOMs', () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]), Buffer.from(text)])],
      ];
      const [name, encode] = rng.pick(encodings);
      files.set(p, encode());
      return `${p} in ${name}`;
    }],
    [2, () => {
      const p = any(inputs);
      if (!p) return undefined;
      const contents: [string, Buffer][] = [
        ['empty', Buffer.alloc(0)],
        ['a BOM only', Buffer.from([0xef, 0xbb, 0xbf])],
        ['blank lines', Buffer.from('\n\n  \n\t\n')],
        ['random bytes', Buffer.from(Array.from({ length: rng.size(4096) }, () => rng.int(256)))],
        ['a PNG header', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')],
        ['a zip header', Buffer.from('504b0304140000000800', 'hex')],
        ['NUL bytes', Buffer.alloc(rng.size(2000))],
        ['a fence only', Buffer.from('---\n')],
        ['a YAML null', Buffer.from('~\n')],
        ['a YAML list', Buffer.from('- a\n- b\n')],
        ['a YAML string', Buffer.from('just text\n')],
      ];
      const [name, bytes] = rng.pick(contents);
      files.set(p, bytes);
      return `${p} replaced by ${name}`;
    }],
    [2, () => {
      const config = rng.pick([
        'code_interviewer: true\n',
        'language: en\n',
        'language: fr\n',
        'language: de\n',
        'speakers: {Q: interviewer, R: respondent, X: other}\n',
        'speakers: {Q: respondent}\n',
        `redact: [${JSON.stringify(ctx.names[0] ?? 'Nobody')}, "e"]\n`,
        'redact: [""]\n',
        'rules: {unused-code: off, missing-definition: error}\n',
        'rules: {nope: off}\n',
        'rules: {encoding: off, yaml-syntax: off, marker-syntax: off}\n',
        'codebook: codebooks/nope.yaml\n',
        'panel: corpus/nope.yaml\n',
        'corpus: nope\n',
        'corpus: .\n',
        'reports: corpus\n',
        'unknown: 1\n',
      ]);
      const before = files.get('verbatim.yaml')?.toString('utf8') ?? '';
      files.set('verbatim.yaml', Buffer.from(`${before.replace(/\n*$/u, before === '' ? '' : '\n')}${config}`));
      return `verbatim.yaml += ${show(config)}`;
    }],
    [2, () => {
      // A panel table beside (or instead of) the YAML panel.
      const names = ctx.attributes.map(([a]) => a);
      const sep = rng.pick([',', ';', '\t']);
      const rows = [['id', ...names].join(sep), ...ctx.ids.map((id) => [id, ...ctx.attributes.map(([, values]) => rng.pick([...values, '', 'nope']))].join(sep))];
      if (rng.chance(0.3)) rows.push(rows[1] ?? 'x');
      if (rng.chance(0.3)) rows.push(`"unclosed${sep}x`);
      files.set('corpus/panel.csv', Buffer.from(`${rows.join(rng.chance(0.2) ? '\r\n' : '\n')}\n`));
      return `corpus/panel.csv with ${rows.length - 1} rows (separator ${show(sep)})`;
    }],
    [1, () => {
      const p = any(inputs.filter((f) => kindOf(f) === 'codebook' || kindOf(f) === 'plan'));
      if (!p) return undefined;
      const to = kindOf(p) === 'codebook' ? 'codebooks/second.yaml' : 'reports/second.plan.yaml';
      files.set(to, Buffer.from(files.get(p) as Buffer));
      return `copy ${p} to ${to}`;
    }],
  ];
  return rng.weighted(edits)();
}

/** Case `index` of the run seeded with `seed`. */
export function makeCase(seed: number, index: number, bases: readonly BaseProject[]): FuzzCase {
  const cs = caseSeed(seed, index);
  const rng = createRng(cs);
  const base = rng.pick(bases);
  const files = new Map<string, Buffer>([...base.files].map(([p, b]) => [p, Buffer.from(b)]));
  const mutations: string[] = [];
  const count = rng.weighted([
    [5, 1],
    [3, 2],
    [1, 3],
    [1, 5],
  ] as const);
  for (let tries = 0; mutations.length < count && tries < count * 4; tries++) {
    if (rng.chance(0.12)) {
      const done = mutateLayout(files, rng, base.context);
      if (done) mutations.push(`layout: ${done}`);
      continue;
    }
    const targets = [...files.keys()].filter((p) => kindOf(p) !== undefined);
    if (targets.length === 0) continue;
    const weight = (p: string): number => ({ transcript: 9, codebook: 5, panel: 3, plan: 4, config: 1, table: 2 })[kindOf(p) as FileKind | 'table'];
    const file = rng.weighted(targets.map((p) => [weight(p), p] as const));
    const kind = kindOf(file) as FileKind | 'table';
    // A panel table has no structure-aware mutations: it gets the generic ones, as a config file would.
    const done = mutate(files.get(file) as Buffer, kind === 'table' ? 'config' : kind, rng, base.context);
    if (!done) continue;
    files.set(file, done.result.bytes);
    mutations.push(`${file}: ${done.name} ${done.result.detail}`);
  }
  return { index, seed, base: base.name, files, mutations };
}

/** Writes a case's project into `dir` (which should be empty). */
export function writeCase(c: FuzzCase, dir: string): void {
  for (const [rel, bytes] of c.files) {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, bytes);
  }
}
