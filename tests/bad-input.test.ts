/**
 * Bad input, through the CLI in-process: one case per item of the
 * reliability issue. Each asserts the rule and its position, the exit code,
 * and that no file of the project was written or changed.
 */
import { isCachePath } from './helpers/cache.js';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../src/cli/io.js';
import { run } from '../src/cli/run.js';
import { projectWith, removeAll } from './helpers/project.js';

const repo = path.join(import.meta.dirname, '..');
const base = path.join(repo, 'tests/fixtures/check/_base');
const temps: string[] = [];
afterAll(() => temps.forEach(removeAll));

/** A copy of the base project with some files replaced (`null` removes one). */
function project(files: Record<string, string | Uint8Array | null> = {}): string {
  const dir = projectWith(base, files);
  temps.push(dir);
  return dir;
}

/** Every file under `dir` with its bytes: compared before and after a command. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      if (isCachePath(path.relative(dir, full))) continue;
      if (statSync(full).isDirectory()) walk(full);
      else out.set(path.relative(dir, full), readFileSync(full).toString('base64'));
    }
  };
  walk(dir);
  return out;
}

interface Found {
  file: string;
  line: number;
  column: number;
  ruleId: string;
  severity: string;
  message: string;
}

/** Runs a command and checks that it wrote nothing under `dir`. */
async function cli(dir: string, argv: string[], cwd = dir): Promise<{ code: number; out: string; err: string }> {
  const before = snapshot(dir);
  const io = memoryIo(cwd);
  const code = await run(argv, io);
  expect(snapshot(dir), 'the command wrote or changed a file').toEqual(before);
  return { code, out: io.out, err: io.err };
}

/** `verbatim check --format json` on the project: the exit code and the diagnostics. */
async function check(dir: string): Promise<{ code: number; found: Found[] }> {
  const { code, out } = await cli(dir, ['check', '--format', 'json']);
  return { code, found: JSON.parse(out) as Found[] };
}

/** "file:line:column rule" of the diagnostics of one rule. */
function at(found: readonly Found[], rule: string): string[] {
  return found.filter((d) => d.ruleId === rule).map((d) => `${d.file}:${d.line}:${d.column} ${d.ruleId}`);
}

const A1 = readFileSync(path.join(base, 'corpus/A1.md'), 'utf8');
const CODEBOOK = readFileSync(path.join(base, 'codebooks/codebook.yaml'), 'utf8');
const transcript = (id: string, body: string, extra = ''): string => `---\nid: ${id}\nlabel: A neighbour\nattributes:\n  role: resident\n${extra}---\n\n${body}\n`;

describe('YAML', () => {
  it('a syntax error: yaml-syntax where the mistake is (an unclosed quote: where it opens), exit 1', async () => {
    const dir = project({ 'codebooks/codebook.yaml': 'id: base\ntitle: "Base codebook\nlanguage: en\ncodes: []\n' });
    const { code, found } = await check(dir);
    expect(code).toBe(1);
    expect(at(found, 'yaml-syntax')).toEqual(['codebooks/codebook.yaml:2:8 yaml-syntax']);
    expect(found[0]?.message).toBe('This quoted text is never closed: add the closing `"` (or escape the quote inside it).');
  });

  it('an alias bomb ("billion laughs"): yaml-limit, bounded time, exit 1', async () => {
    const laughs = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (const [name, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f'], ['h', 'g'], ['i', 'h']]) laughs.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    const dir = project({ 'codebooks/codebook.yaml': `${CODEBOOK}${laughs.join('\n')}\n` });
    const started = performance.now();
    const { code, found } = await check(dir);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(code).toBe(1);
    expect(at(found, 'yaml-limit')).toEqual(['codebooks/codebook.yaml:1:1 yaml-limit']);
    expect(found.find((d) => d.ruleId === 'yaml-limit')?.message).toMatch(/aliases/);
  });

  it('very deep nesting: yaml-limit, exit 1', async () => {
    const dir = project({ 'reports/report.plan.yaml': `title: Deep\nsections: ${'['.repeat(5000)}${']'.repeat(5000)}\n` });
    const { code, found } = await check(dir);
    expect(code).toBe(1);
    expect(at(found, 'yaml-limit')).toHaveLength(1);
    expect(at(found, 'yaml-limit')[0]).toMatch(/^reports\/report\.plan\.yaml:2:\d+ yaml-limit$/);
    // 65 levels, just past the bound, are refused the same way.
    const just = await check(project({ 'reports/report.plan.yaml': `title: Deep\nsections: ${'['.repeat(64)}${']'.repeat(64)}\n` }));
    expect(at(just.found, 'yaml-limit')).toEqual(['reports/report.plan.yaml:1:1 yaml-limit']);
  });

  it('a tagged value (`!!binary`, a Buffer): one invalid-type at the value, the same on every run (a Buffer\'s inherited properties were read as speakers)', async () => {
    const dir = project({ 'corpus/A1.md': A1.replace('date: 2024-01-10\n', 'date: 2024-01-10\nspeakers: !!binary aGVsbG8=\n') });
    const first = await cli(dir, ['check', '--format', 'unix']);
    expect(first.code).toBe(1);
    expect(first.out).toBe('corpus/A1.md:7:20: This value is a YAML `!!binary`, which no key here takes: write plain text, a list or a mapping. [invalid-type]\n');
    expect((await cli(dir, ['check', '--format', 'unix'])).out).toBe(first.out);
  });

  it('wrong types: invalid-type at the value', async () => {
    const dir = project({ 'codebooks/codebook.yaml': CODEBOOK.replace('    label: Information\n', '    label: [Information, Info]\n'), 'corpus/A1.md': A1.replace('date: 2024-01-10\n', 'date: 2024-01-10\nspeakers: [Q, R]\n') });
    const { code, found } = await check(dir);
    expect(code).toBe(1);
    expect(at(found, 'invalid-type')).toEqual(['codebooks/codebook.yaml:6:12 invalid-type', 'corpus/A1.md:7:11 invalid-type']);
  });
});

describe('a broken file is reported once, and what depends on it is skipped', () => {
  it('a panel with a YAML error: its yaml-syntax error only, no unknown-attribute for every transcript', async () => {
    const dir = project({ 'corpus/panel.yaml': 'attributes:\n  role:\n    label: "Role\n', 'corpus/B1.md': transcript('B1', '**R:** Nobody told me.') });
    for (const argv of [['check', '--format', 'json'], ['tag'], ['tag', '--json']]) {
      const r = await cli(dir, argv);
      expect(r.code, argv.join(' ')).toBe(1);
      const rules = argv[0] === 'check' ? (JSON.parse(r.out) as Found[]).filter((d) => d.severity === 'error').map((d) => `${d.file} ${d.ruleId}`) : r.err.match(/\S+(?=\n|$)/g);
      expect(rules, argv.join(' ')).toEqual(argv[0] === 'check' ? ['corpus/panel.yaml yaml-syntax'] : expect.arrayContaining(['yaml-syntax']));
      expect(r.err, argv.join(' ')).not.toMatch(/unknown-attribute/);
    }
  });

  it('a speaker given a role that is not one: its invalid-value only; the label keeps its default role', async () => {
    const dir = project({ 'corpus/A1.md': A1.replace('date: 2024-01-10\n', 'date: 2024-01-10\nspeakers:\n  R: respondant\n  Q: interviewer\n') });
    const { code, found } = await check(dir);
    expect(code).toBe(1);
    expect(found.map((d) => `${d.file}:${d.line}:${d.column} ${d.ruleId}`)).toEqual(['corpus/A1.md:8:6 invalid-value']);
  });

  it('a transcript whose front matter does not parse: its yaml-syntax error, and its panel row is not a respondent without a transcript', async () => {
    const dir = project({ 'corpus/panel.csv': 'id,role\nA1,resident\n', 'corpus/A1.md': A1.replace('label: A resident\n', 'label: "A resident\n') });
    const { code, found } = await check(dir);
    expect(code).toBe(1);
    expect(found.map((d) => `${d.file} ${d.ruleId}`)).toEqual(['corpus/A1.md yaml-syntax']);
  });
});

describe('characters no text may hold, written as YAML escapes', () => {
  it('an unpaired surrogate, a NUL and an escape sequence: invalid-value at the text, and no report is written', async () => {
    const plan = 'title: "\\uD800"\nsubtitle: "a\\0b"\nsections:\n  - kind: themes\n    codes: [info]\n';
    const dir = project({ 'reports/report.plan.yaml': plan, 'codebooks/codebook.yaml': CODEBOOK.replace('    label: Information\n', '    label: "Info\\x1b[31m"\n') });
    const { code, found } = await check(dir);
    expect(code).toBe(1);
    expect(at(found, 'invalid-value')).toEqual(['codebooks/codebook.yaml:6:12 invalid-value', 'reports/report.plan.yaml:1:8 invalid-value', 'reports/report.plan.yaml:2:11 invalid-value']);
    expect(found.filter((d) => d.ruleId === 'invalid-value').map((d) => d.message)).toEqual([
      'This text holds a control character (U+001B), which would break reports and terminals: remove it (a tab is `\\t`, a line break a new line).',
      'This text holds half of a surrogate pair (U+D800, from an escape such as `\\uD800`), which no UTF-8 file can hold: remove it (a tab is `\\t`, a line break a new line).',
      'This text holds a control character (U+0000), which would break reports and terminals: remove it (a tab is `\\t`, a line break a new line).',
    ]);
    const r = await cli(dir, ['report']);
    expect(r.code).toBe(1);
    expect(existsSync(path.join(dir, 'reports/report.md'))).toBe(false);
  });

  it('a generated report that is not text any more is a warning, and report replaces it', async () => {
    const dir = project();
    // `cli` asserts that nothing is written: these runs write the report.
    expect(await run(['report'], memoryIo(dir))).toBe(0);
    const file = path.join(dir, 'reports/report.md');
    const good = readFileSync(file);
    // A generated report with a NUL byte in it (as an earlier version could write from a `"\0"` escape).
    writeFileSync(file, Buffer.concat([good.subarray(0, 200), Buffer.from([0]), good.subarray(200)]));
    const { code, found } = await check(dir);
    expect(code).toBe(0);
    expect(found.filter((d) => d.file === 'reports/report.md').map((d) => `${d.severity} ${d.ruleId}`)).toEqual(['warning encoding']);
    const r = await run(['report'], memoryIo(dir));
    expect(r).toBe(0);
    expect(readFileSync(file).equals(good)).toBe(true);
  });
});

describe('ids', () => {
  it('a missing id, a duplicate code id and a duplicate transcript id', async () => {
    const codebook = CODEBOOK.replace('      - id: meeting\n', '      - label: No id\n        definition: x\n      - id: lack\n        label: Again\n        definition: y\n      - id: meeting\n');
    const dir = project({ 'codebooks/codebook.yaml': codebook, 'corpus/B1.md': transcript('A1', '**R:** Nobody told me.') });
    const { code, found } = await check(dir);
    expect(code).toBe(1);
    expect(at(found, 'missing-key')).toEqual(['codebooks/codebook.yaml:13:9 missing-key']);
    expect(at(found, 'duplicate-code-id')).toEqual(['codebooks/codebook.yaml:15:13 duplicate-code-id']);
    expect(at(found, 'duplicate-transcript-id')).toEqual(['corpus/B1.md:2:5 duplicate-transcript-id']);
  });
});

describe('ids of transcripts, codebook, respondents and attributes', () => {
  const form = 'use letters (of any script) and digits, with `-`, `_` or `.` between them: no space, `/`, `\\`, `:` or control character, since an id becomes an address (`E07:12`), a file name and a path';

  it('a transcript id from a file name with a colon or a line break: invalid-id at the file, saying where it comes from', async () => {
    const dir = project({ 'corpus/a:b.md': transcript('B1', '**R:** Hello.').replace('id: B1\n', ''), 'corpus/c\nd.md': transcript('C1', '**R:** Hello.').replace('id: C1\n', '') });
    const { code, found } = await check(dir);
    expect(code).toBe(1);
    expect(at(found, 'invalid-id')).toEqual(['corpus/a:b.md:1:1 invalid-id', 'corpus/c\nd.md:1:1 invalid-id']);
    expect(found.filter((d) => d.ruleId === 'invalid-id').map((d) => d.message)).toEqual([
      `The transcript id \`a:b\` is not valid: ${form}; it comes from the file name: rename the file, or set \`id\` in the front matter.`,
      `The transcript id \`c\\nd\` is not valid: ${form}; it comes from the file name: rename the file, or set \`id\` in the front matter.`,
    ]);
  });

  it('ids written in the files: front matter, codebook, panel keys and rows, CSV cells; letters of any script are fine', async () => {
    const dir = project({
      'codebooks/codebook.yaml': CODEBOOK.replace('id: base', 'id: ../../outside/pwn'),
      'corpus/B1.md': transcript('.hidden', '**R:** Hello.'),
      'corpus/C1.md': transcript('Élodie-07', '**R:** Hello.').replace('role: resident', 'role: "resident\\e[31m"'),
      'corpus/panel.yaml': `${readFileSync(path.join(base, 'corpus/panel.yaml'), 'utf8')}  a b:\n    label: Spaced\nrespondents:\n  A/1: {role: resident}\n`,
      'corpus/panel.csv': 'id,role\nA1,resident\nA 2,resident\n',
    });
    const { code, found } = await check(dir);
    expect(code).toBe(1);
    expect(at(found, 'invalid-id')).toEqual([
      'codebooks/codebook.yaml:1:5 invalid-id',
      'corpus/B1.md:2:5 invalid-id',
      'corpus/panel.csv:3:1 invalid-id',
      'corpus/panel.yaml:7:3 invalid-id',
      'corpus/panel.yaml:10:3 invalid-id',
    ]);
    const messages = found.filter((d) => d.ruleId === 'invalid-id').map((d) => d.message);
    expect(messages[0]).toBe(`The codebook id \`../../outside/pwn\` is not valid: ${form}.`);
    expect(messages[1]).toBe(`The transcript id \`.hidden\` is not valid: ${form}.`);
    // A control character written as a YAML escape is refused in every YAML text (invalid-value), attribute values included.
    expect(found.filter((d) => d.ruleId === 'invalid-value').map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`)).toEqual([
      'corpus/C1.md:5:9 This text holds a control character (U+001B), which would break reports and terminals: remove it (a tab is `\\t`, a line break a new line).',
    ]);
    expect(messages.slice(2)).toEqual([`The respondent id \`A 2\` is not valid: ${form}.`, `The attribute id \`a b\` is not valid: ${form}.`, `The respondent id \`A/1\` is not valid: ${form}.`]);
  });
});

describe('codes and attributes', () => {
  it('an unknown code in a marker and an unknown attribute value, with a hint', async () => {
    const dir = project({ 'corpus/A1.md': A1.replace('{#info.lack}', '{#info.lak}').replace('role: resident', 'role: residant') });
    const { code, found } = await check(dir);
    expect(code).toBe(1);
    expect(at(found, 'unknown-code')).toEqual(['corpus/A1.md:11:58 unknown-code']);
    expect(found.find((d) => d.ruleId === 'unknown-code')?.message).toContain('did you mean `info.lack`?');
    expect(at(found, 'unknown-attribute-value')).toEqual(['corpus/A1.md:5:9 unknown-attribute-value']);
    expect(found.find((d) => d.ruleId === 'unknown-attribute-value')?.message).toContain('(did you mean `resident`?)');
  });

  it('malformed markers: an unclosed brace and a bracket that closes nothing', async () => {
    const dir = project({ 'corpus/A1.md': A1.replace('{#info.lack}', '{#info.lack').replace('There was', 'There]{#ties} was') });
    const { code, found } = await check(dir);
    expect(code).toBe(1);
    expect(at(found, 'marker-syntax')).toEqual(['corpus/A1.md:11:56 marker-syntax', 'corpus/A1.md:13:6 marker-syntax']);
  });
});

describe('repeated markers', () => {
  const body = ['**R:** Nobody came. {#info.lack} {#info.lack}', '{#info.lack}', '{>ties}{>ties}The street{<ties}{<ties} and [the square]{#ties} and [the park]{#ties}.'].join('\n\n');

  it('a code marked twice on a paragraph, or a span twice, counts once: duplicate-marker at the repeat', async () => {
    const dir = project({ 'corpus/B1.md': transcript('B1', body) });
    const { code, found } = await check(dir);
    expect(code).toBe(0);
    expect(at(found, 'duplicate-marker')).toEqual(['corpus/B1.md:8:36 duplicate-marker', 'corpus/B1.md:10:3 duplicate-marker', 'corpus/B1.md:12:3 duplicate-marker']);
    expect(found.find((d) => d.ruleId === 'duplicate-marker')?.message).toBe('`info.lack` is already coded on this paragraph (line 8): the repeat counts once; remove it.');
    expect(found.filter((d) => d.ruleId === 'duplicate-marker')[2]?.message).toBe('This span of `ties` repeats the one marked on line 12: the repeat counts once; remove it.');
    // One coding per code and segment, and one per distinct span.
    const tag = await cli(dir, ['tag', 'B1', '--json']);
    expect((JSON.parse(tag.out) as { segment: number; code: string; text: string }[]).map((c) => `${c.segment} ${c.code} ${c.text}`)).toEqual(['1 info.lack Nobody came.', '2 ties The street', '2 ties the square', '2 ties the park']);
    const summary = await cli(dir, ['tag', 'B1']);
    expect(summary.out).toMatch(/^B1 +2 +2 +0 +4 /m);
    // Distinct spans are distinct quotes; the segment counts once.
    const quotes = JSON.parse((await cli(dir, ['quotes', 'ties', '--json'])).out) as { transcript: string }[];
    expect(quotes.filter((q) => q.transcript === 'B1')).toHaveLength(3);
    const matrix = JSON.parse((await cli(dir, ['matrix', '--by', 'role', '--unit', 'segments', '--codes', 'ties', '--json'])).out) as { rows: { code: string; total: number }[] };
    expect(matrix.rows.find((r) => r.code === 'ties')?.total).toBe(2);
  });

  it('a marker repeated many times does not multiply the output', async () => {
    const paragraph = `**R:** ${'A long answer about the street. '.repeat(2000)}${' {#info.lack}'.repeat(2000)}`;
    const dir = project({ 'corpus/B1.md': transcript('B1', paragraph) });
    const tag = await cli(dir, ['tag', 'B1', '--json']);
    expect(tag.code).toBe(0);
    expect(JSON.parse(tag.out)).toHaveLength(1);
    const { found } = await check(dir);
    expect(at(found, 'duplicate-marker')).toHaveLength(1999);
  });
});

describe('numeric options', () => {
  it.each([
    [['search', 'nobody', '--context', '999999999'], '`--context` takes a whole number from 0 to 1000, not `999999999`.'],
    [['search', 'nobody', '--context', '1e3'], '`--context` takes a whole number from 0 to 1000, not `1e3`.'],
    [['search', 'nobody', '--context', '-1'], '`--context` takes a whole number from 0 to 1000, not `-1`.'],
    [['search', 'nobody', '--limit', '0'], '`--limit` takes a whole number of at least 1, not `0`.'],
    [['search', 'nobody', '--limit', '0x10'], '`--limit` takes a whole number of at least 1, not `0x10`.'],
    [['check', '--max-warnings', '-2'], '`--max-warnings` takes a whole number of at least -1 (-1 for no limit), not `-2`.'],
    [['check', '--max-warnings', '1.5'], '`--max-warnings` takes a whole number of at least -1 (-1 for no limit), not `1.5`.'],
    [['tag', '--workers', '0x2'], '`--workers` takes a whole number from 1 to 64 (or `auto`), not `0x2`.'],
    [['tag', '--workers', '65'], '`--workers` takes a whole number from 1 to 64 (or `auto`), not `65`.'],
    [['cooc', '--limit', '-1'], '`--limit` takes a whole number (0 for all), not `-1`.'],
    [['cooc', '--limit', 'Infinity'], '`--limit` takes a whole number (0 for all), not `Infinity`.'],
    [['saturation', '-k', '0'], '`-k` takes a whole number of at least 1, not `0`.'],
    [['saturation', '-k', '2.5'], '`-k` takes a whole number of at least 1, not `2.5`.'],
    [['profiles', '--by', 'role', '--min-gap', '101'], '`--min-gap` takes a whole number from 0 to 100, not `101`.'],
    [['profiles', '--by', 'role', '--min-count', '0'], '`--min-count` takes a whole number of at least 1, not `0`.'],
    [['profiles', '--by', 'role', '--alpha', '1'], '`--alpha` is a probability between 0 and 1, not `1`.'],
    [['profiles', '--by', 'role', '--alpha', '0x1'], '`--alpha` is a probability between 0 and 1, not `0x1`.'],
  ])('%j: a usage error with the allowed range, exit 2', async (argv, message) => {
    const r = await cli(project(), argv);
    expect(r.err).toBe(`verbatim: ${message}\n`);
    expect(r.code).toBe(2);
  });

  it('counts with no natural bound take any whole number; the largest bounded values work', async () => {
    const dir = project();
    for (const argv of [
      ['search', 'nobody', '--context', '1000', '--limit', '99999999999999999999'],
      ['check', '--max-warnings', '99999999999999999999'],
      ['cooc', '--limit', '99999999999999999999'],
      ['saturation', '-k', '99999999999999999999'],
      ['profiles', '--by', 'role', '--min-gap', '100', '--min-count', '99999999999999999999', '--alpha', '1e-3'],
    ]) {
      const r = await cli(dir, argv);
      expect(r.code, `${argv.join(' ')}: ${r.err}`).toBe(0);
    }
  });
});

describe('files', () => {
  it('a binary file: encoding error with the byte offset; the other transcripts go on', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    const dir = project({ 'corpus/B1.md': png });
    const { code, found } = await check(dir);
    expect(code).toBe(1);
    expect(at(found, 'encoding')).toEqual(['corpus/B1.md:1:1 encoding']);
    expect(found.find((d) => d.ruleId === 'encoding')?.message).toContain('zero byte at offset 8');
    const tag = await cli(dir, ['tag', 'A1', '--json']);
    expect(JSON.parse(tag.out).length).toBeGreaterThan(0);
  });

  it('UTF-16 without a byte order mark is refused as binary, with the offset', async () => {
    const dir = project({ 'corpus/B1.md': Buffer.from(transcript('B1', '**R:** Hello.'), 'utf16le') });
    const { code, found } = await check(dir);
    expect(code).toBe(1);
    expect(found.find((d) => d.ruleId === 'encoding')?.message).toContain('zero byte at offset 1');
  });

  const french = transcript('B1', '**R:** L’État, c’est « le cœur » du problème… {#info.lack}');
  const quoted = 'L’État, c’est « le cœur » du problème…';
  const cp1252 = Uint8Array.from([...french].map((c) => ({ '’': 0x92, 'œ': 0x9c, '…': 0x85 })[c] ?? (c.codePointAt(0) as number)));

  it('Windows-1252: read with a legacy-encoding warning at the first non-UTF-8 byte; the text has the right characters', async () => {
    const dir = project({ 'corpus/B1.md': cp1252 });
    const { code, found } = await check(dir);
    expect(code).toBe(0);
    expect(at(found, 'legacy-encoding')).toEqual(['corpus/B1.md:8:9 legacy-encoding']);
    expect(found.find((d) => d.ruleId === 'legacy-encoding')?.message).toContain('byte 72 is 0x92');
    const quotes = await cli(dir, ['quotes', 'info.lack', '--json']);
    const texts = (JSON.parse(quotes.out) as { transcript: string; text: string }[]).filter((q) => q.transcript === 'B1').map((q) => q.text);
    expect(texts).toEqual([quoted]);
    expect(texts[0]).not.toMatch(/[\u0080-\u009f]|Ã|â€/);
  });

  it('Latin-1 (ISO-8859-1): read like Windows-1252, with the right characters', async () => {
    const dir = project({ 'corpus/B1.md': Buffer.from(transcript('B1', '**R:** Un élève a « déjà » vu ça. {#info.lack}'), 'latin1') });
    const { code, found } = await check(dir);
    expect(code).toBe(0);
    expect(at(found, 'legacy-encoding')).toEqual(['corpus/B1.md:8:11 legacy-encoding']);
    const quotes = await cli(dir, ['quotes', 'info.lack', '--json']);
    expect((JSON.parse(quotes.out) as { transcript: string; text: string }[]).find((q) => q.transcript === 'B1')?.text).toBe('Un élève a « déjà » vu ça.');
  });

  it('another legacy encoding (DOS code page 850) is refused with the byte offset, never misread', async () => {
    // "café à côté" in CP850: é = 0x82, à = 0x85, ô = 0x93.
    const head = Buffer.from(transcript('B1', '**R:** Le caf').replace(/\n\n$/, ''), 'latin1');
    const bytes = Buffer.concat([head.subarray(0, head.length - 1), Buffer.from([0x82, 0x20, 0x85, 0x20, 0x63, 0x93, 0x74, 0x82, 0x2e, 0x0a])]);
    const dir = project({ 'corpus/B1.md': bytes });
    const { code, found } = await check(dir);
    expect(code).toBe(1);
    const offset = bytes.indexOf(0x82);
    expect(found.find((d) => d.ruleId === 'encoding')?.message).toBe(`The file is not UTF-8 text: byte ${offset} (0x82) is invalid. Convert it to UTF-8.`);
    expect(at(found, 'encoding')).toEqual(['corpus/B1.md:8:14 encoding']);
  });

  it('UTF-8 with one pasted Windows-1252 byte is refused at that byte, not half garbled', async () => {
    const text = Buffer.from(transcript('B1', '**R:** Un élève a dit : ça va.'), 'utf8');
    const at = text.indexOf('dit');
    const bytes = Buffer.concat([text.subarray(0, at), Buffer.from([0x93]), text.subarray(at)]);
    const dir = project({ 'corpus/B1.md': bytes });
    const { code, found } = await check(dir);
    expect(code).toBe(1);
    expect(found.find((d) => d.ruleId === 'encoding')?.message).toContain(`byte ${at} (0x93) is invalid`);
  });

  it('CESU-8 (a character outside the BMP as two surrogates) is refused at the first surrogate byte, not past the end', async () => {
    const [head, tail] = transcript('B1', '**R:** Un élève sourit 😀 ici.').split('😀') as [string, string];
    const cesu = Buffer.from([0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]); // U+1F600 as D83D DE00, each in three bytes
    const bytes = Buffer.concat([Buffer.from(head, 'utf8'), cesu, Buffer.from(tail, 'utf8')]);
    const dir = project({ 'corpus/B1.md': bytes });
    const { code, found } = await check(dir);
    expect(code).toBe(1);
    expect(at(found, 'encoding')).toEqual(['corpus/B1.md:8:24 encoding']);
    expect(found.find((d) => d.ruleId === 'encoding')?.message).toBe(
      `The file is not UTF-8 text: byte ${Buffer.byteLength(head)} (0xED) is invalid (it begins a UTF-16 surrogate, as CESU-8 writes characters outside the Basic Multilingual Plane). Convert it to UTF-8.`,
    );
  });

  it('UTF-32 with a byte order mark, little- or big-endian: read with a legacy-encoding warning, the right characters', async () => {
    const text = transcript('B1', '**R:** Un élève sourit 😀 ici. {#info.lack}');
    for (const little of [true, false]) {
      const points = [0xfeff, ...[...text].map((c) => c.codePointAt(0) as number)];
      const bytes = Buffer.alloc(points.length * 4);
      points.forEach((cp, i) => (little ? bytes.writeUInt32LE(cp, i * 4) : bytes.writeUInt32BE(cp, i * 4)));
      const dir = project({ 'corpus/B1.md': bytes });
      const { code, found } = await check(dir);
      expect(code, found.map((d) => d.message).join('\n')).toBe(0);
      expect(at(found, 'legacy-encoding')).toEqual(['corpus/B1.md:1:1 legacy-encoding']);
      expect(found.find((d) => d.ruleId === 'legacy-encoding')?.message).toBe(`The file is UTF-32${little ? 'LE' : 'BE'}; it was read, but convert it to UTF-8 so that other tools agree on offsets.`);
      const quotes = JSON.parse((await cli(dir, ['quotes', 'info.lack', '--json'])).out) as { transcript: string; text: string }[];
      expect(quotes.find((q) => q.transcript === 'B1')?.text).toBe('Un élève sourit 😀 ici.');
    }
  });

  it('CR-only line ends (old Mac files) are line ends everywhere: front matter, YAML files, paragraphs, positions', async () => {
    const cr = (t: string): string => t.replaceAll('\n', '\r');
    const dir = project({
      'codebooks/codebook.yaml': cr(CODEBOOK),
      'corpus/panel.yaml': cr(readFileSync(path.join(base, 'corpus/panel.yaml'), 'utf8')),
      'corpus/B1.md': cr(transcript('B1', '**R:** Nobody told us, said Dupont. {#info.lack}\n\nThe neighbours helped. {#info.lak}', 'redact: [Dupont]\n')),
    });
    const { code, found } = await check(dir);
    expect(code).toBe(1);
    // The only problem is the one written in the file, at its line and column.
    expect(found.map((d) => `${d.file}:${d.line}:${d.column} ${d.ruleId}`)).toEqual(['corpus/B1.md:11:26 unknown-code']);
    const quotes = JSON.parse((await cli(dir, ['quotes', 'info.lack', '--json'])).out) as { transcript: string; text: string }[];
    expect(quotes.filter((q) => q.transcript === 'B1').map((q) => q.text)).toEqual(['Nobody told us, said [·].']);
    // The streaming commands read the redactions of the front matter too.
    const search = JSON.parse((await cli(dir, ['search', 'told', '--json'])).out) as { transcript: string; right: string }[];
    expect(search.find((h) => h.transcript === 'B1')?.right).toBe(' us, said [·].');
  });

  it('an empty corpus: no-transcripts, exit 1', async () => {
    const dir = project({ 'corpus/A1.md': null });
    const { code, found } = await check(dir);
    expect(code).toBe(1);
    expect(at(found, 'no-transcripts')).toEqual(['corpus/:1:1 no-transcripts']);
    // The analysis commands say so too, without a crash.
    for (const argv of [['tag'], ['matrix', '--by', 'role'], ['search', 'meeting'], ['quotes', 'info'], ['export', 'csv']]) {
      const r = await cli(dir, argv);
      expect(r.code, argv.join(' ')).toBeLessThanOrEqual(1);
      expect(r.err).not.toMatch(/internal error|\n\s+at /);
    }
  });

  it('an empty file: empty-file warning, exit 0', async () => {
    const dir = project({ 'corpus/B1.md': '' });
    const { code, found } = await check(dir);
    expect(code).toBe(0);
    expect(at(found, 'empty-file')).toEqual(['corpus/B1.md:1:1 empty-file']);
  });

  it('a paragraph of 5 MB takes linear time (compared with 0.5 MB) in check, tag and search', async () => {
    const sentence = 'Nobody told us anything about the public meeting, so the neighbours helped à la française. ';
    const codebook = CODEBOOK.replace('        keywords: [public meeting]\n', "        keywords: [public meeting]\n        patterns: ['\\bà la française\\b']\n");
    const timed = async (mb: number): Promise<number> => {
      const dir = project({ 'codebooks/codebook.yaml': codebook, 'corpus/B1.md': transcript('B1', `**R:** ${sentence.repeat(Math.round((mb * 1048576) / sentence.length))}`) });
      let total = 0;
      for (const argv of [['check'], ['tag'], ['search', 'neighbours', '--limit', '3']]) {
        const started = performance.now();
        const r = await cli(dir, argv);
        total += performance.now() - started;
        expect(r.code, `${argv[0]}: ${r.err}`).toBe(0);
      }
      return total;
    };
    await timed(0.5); // warm-up: module loading and compilation
    // The best of two runs each: other test files run alongside and steal time.
    const small = Math.min(await timed(0.5), await timed(0.5));
    const large = Math.min(await timed(5), await timed(5));
    // Linear: about 10 times longer (less with fixed costs); quadratic would be about 100.
    expect(large / small).toBeLessThan(30);
  });
});

describe('commands that write', () => {
  it('report writes nothing when the project has errors', async () => {
    const dir = project({ 'codebooks/codebook.yaml': 'id: base\ntitle: "Base codebook\n' });
    const r = await cli(dir, ['report']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('codebooks/codebook.yaml');
    expect(r.err).toContain('verbatim: no report written: fix the errors above first.');
    expect(existsSync(path.join(dir, 'reports/report.md'))).toBe(false);
  });
});

describe('regular expressions', () => {
  const codebook = CODEBOOK.replace('        keywords: [public meeting]\n', "        keywords: [public meeting]\n        patterns: ['(a+)+b']\n");
  const body = `**R:** ${'a'.repeat(40)}c {#info.lack}`;

  it('check rejects a pattern that backtracks catastrophically, at its position', async () => {
    const dir = project({ 'codebooks/codebook.yaml': codebook, 'corpus/B1.md': transcript('B1', body) });
    const started = performance.now();
    const { code, found } = await check(dir);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(code).toBe(1);
    expect(at(found, 'unsafe-pattern')).toEqual(['codebooks/codebook.yaml:17:20 unsafe-pattern']);
  });

  it('tag does not hang on it: the pattern is never compiled (run as users run it, killed after 20 s)', () => {
    const dir = project({ 'codebooks/codebook.yaml': codebook, 'corpus/B1.md': transcript('B1', body) });
    expect(existsSync(path.join(repo, 'dist/cli/run.js')), 'run `npm run build` first').toBe(true);
    const r = spawnSync(process.execPath, [path.join(repo, 'bin/verbatim.js'), 'tag', 'B1', '--json'], { cwd: dir, encoding: 'utf8', timeout: 20_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(r.signal).toBeNull();
    // The pattern is reported (exit 1) and left out; the other keywords still code.
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('unsafe-pattern');
    expect((JSON.parse(r.stdout) as { code: string }[]).map((c) => c.code)).toEqual(['info.lack']);
  });
});

describe('archives (verbatim import)', () => {
  const qde = '<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1:0" name="x"><CodeBook><Codes/></CodeBook></Project>';

  /** The folder that holds the archive, and the archive's path. */
  function archive(bytes: Uint8Array): { dir: string; file: string } {
    const dir = project();
    const file = path.join(dir, 'evil.qdpx');
    writeFileSync(file, bytes);
    return { dir, file };
  }

  it('zip slip: an entry escaping the target folder is refused; nothing is written anywhere', async () => {
    const { dir } = archive(zipSync({ 'project.qde': strToU8(qde), '../../escaped.txt': strToU8('owned') }));
    const r = await cli(dir, ['import', 'evil.qdpx', '--into', 'out']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('verbatim: cannot import evil.qdpx: not a usable QDPX archive: the entry `../../escaped.txt` has an absolute path or `..`.\n');
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
    expect(existsSync(path.join(dir, '..', 'escaped.txt'))).toBe(false);
  });

  it('zip slip with an absolute path or a Windows drive is refused too', async () => {
    for (const name of ['/tmp/escaped.txt', 'C:\\escaped.txt', 'sources\\..\\..\\escaped.txt']) {
      const { dir } = archive(zipSync({ 'project.qde': strToU8(qde), [name]: strToU8('owned') }));
      const r = await cli(dir, ['import', 'evil.qdpx', '--into', 'out']);
      expect(r.code, name).toBe(1);
      expect(r.err).toContain('has an absolute path or `..`');
    }
  });

  /** A zip where `entry` says it inflates to 4 GB (local and central headers), as a zip bomb does. */
  function bomb(files: Record<string, Uint8Array>, entry: string): Buffer {
    const view = Buffer.from(zipSync(files));
    for (let i = 0; i < view.length - 4; i++) {
      const sig = view.readUInt32LE(i);
      if (sig === 0x04034b50 && view.toString('utf8', i + 30, i + 30 + view.readUInt16LE(i + 26)) === entry) view.writeUInt32LE(0xfffffff0, i + 22);
      if (sig === 0x02014b50 && view.toString('utf8', i + 46, i + 46 + view.readUInt16LE(i + 28)) === entry) view.writeUInt32LE(0xfffffff0, i + 24);
    }
    return view;
  }

  it('zip bomb: an entry declared to inflate to gigabytes is refused before anything is inflated', async () => {
    // Only the entries the project's sources name are inflated: this one is.
    const named = qde.replace('<CodeBook><Codes/></CodeBook>', '<CodeBook><Codes/></CodeBook><Sources><TextSource guid="1" name="big" plainTextPath="internal://big.txt"/></Sources>');
    const { dir } = archive(bomb({ 'project.qde': strToU8(named), 'sources/big.txt': new Uint8Array(1_000_000) }, 'sources/big.txt'));
    const started = performance.now();
    const r = await cli(dir, ['import', 'evil.qdpx', '--into', 'out']);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(r.code).toBe(1);
    expect(r.err).toBe('verbatim: cannot import evil.qdpx: `sources/big.txt` would inflate to 4096 MB, more than the limit of 64 MB per file.\n');
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('a Word document that is a zip bomb is refused too (mammoth has no limits of its own)', async () => {
    const dir = project();
    writeFileSync(path.join(dir, 'E9.docx'), bomb({ '[Content_Types].xml': strToU8('<Types/>'), 'word/document.xml': new Uint8Array(1_000_000) }, 'word/document.xml'));
    const r = await cli(dir, ['import', 'E9.docx']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('verbatim: cannot import E9.docx: `word/document.xml` would inflate to 4096 MB, more than the limit of 16 MB per file.\n');
  });

  it('a transcript to import that is binary or not UTF-8 is refused with the byte offset', async () => {
    const dir = project();
    writeFileSync(path.join(dir, 'E9.txt'), Uint8Array.from([0x52, 0x3a, 0x20, 0x6f, 0x6b, 0x00, 0x01]));
    writeFileSync(path.join(dir, 'E10.vtt'), Buffer.concat([Buffer.from('WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nLe caf', 'latin1'), Buffer.from([0x82, 0x20, 0x85])]));
    const binary = await cli(dir, ['import', 'E9.txt']);
    expect(binary.code).toBe(1);
    expect(binary.err).toBe('verbatim: cannot import E9.txt: E9.txt is not a text file (a zero byte at offset 5); save it as UTF-8 text.\n');
    const legacy = await cli(dir, ['import', 'E10.vtt']);
    expect(legacy.code).toBe(1);
    expect(legacy.err).toBe('verbatim: cannot import E10.vtt: E10.vtt: The file is not UTF-8 text: byte 44 (0x82) is invalid. Convert it to UTF-8.\n');
  });

  it('a file that is not a zip, and a damaged zip, are refused with a reason', async () => {
    for (const bytes of [strToU8('not a zip at all'), zipSync({ 'project.qde': strToU8(qde) }).subarray(0, 40)]) {
      const { dir } = archive(bytes);
      const r = await cli(dir, ['import', 'evil.qdpx', '--into', 'out']);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^verbatim: cannot import evil\.qdpx: not a usable QDPX archive: (this is not a zip archive|the archive is damaged)/);
    }
  });
});
