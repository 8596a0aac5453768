/**
 * `verbatim review`: the queue of unreviewed automatic codings, and decisions
 * written as markers, byte for byte (src/engine/review.ts).
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo, scriptedKeys } from '../src/cli/io.js';
import { run } from '../src/cli/run.js';
import { DEMO_ROOT, demoCopy as demoInputs } from './helpers/analysis-fixture.js';
import { skipBecause } from './helpers/skip.js';

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function folder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'verbatim-review-'));
  temps.push(dir);
  return dir;
}

/** A copy of the demo's inputs. */
function demoCopy(): string {
  const dir = demoInputs('verbatim-review-');
  temps.push(dir);
  return dir;
}

async function cli(dir: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(dir);
  const code = await run(argv, io);
  return { code, out: io.out, err: io.err };
}

async function queue(dir: string, ...argv: string[]): Promise<{ address: string; location: string; code: string; evidence: { text: string }[] }[]> {
  const r = await cli(dir, 'review', '--list', '--json', ...argv);
  expect(r.code).toBe(0);
  return JSON.parse(r.out);
}

describe('verbatim review on a copy of the demo', () => {
  it('accepts one coding and rejects another: two markers inserted, nothing else changed, the queue two shorter, check passes', async () => {
    const dir = demoCopy();
    const file = path.join(dir, 'corpus/E01.md');
    const before = readFileSync(file, 'utf8');
    const items = await queue(dir);
    const statusOf = async () => JSON.parse((await cli(dir, 'status', '--json')).out).review as { accepted: number; rejected: number; unreviewed: number; byCode: Record<string, { accepted: number; rejected: number; unreviewed: number }> };
    const was = await statusOf();
    expect(was.unreviewed).toBe(items.length);
    expect(items.find((i) => i.address === 'E01:10' && i.code === 'freins.etat')).toMatchObject({ location: 'corpus/E01.md:44', evidence: [{ text: 'Bercy' }, { text: 'silos' }] });
    expect(await cli(dir, 'review', '--accept', 'E01:10', 'freins.etat')).toMatchObject({ code: 0, out: 'accepted freins.etat at E01:10 (corpus/E01.md:44): wrote {#freins.etat} in corpus/E01.md\n' });
    // By file and line: line 18 is E01:1.
    expect((await cli(dir, 'review', '--reject', 'corpus/E01.md:18', 'motivations.sujet-commun')).code).toBe(0);
    const lines = before.split('\n');
    lines[43] = `${lines[43]} {#freins.etat}`;
    lines[17] = `${lines[17]} {!motivations.sujet-commun}`;
    expect(readFileSync(file, 'utf8')).toBe(lines.join('\n'));
    const after = await queue(dir);
    expect(after).toHaveLength(items.length - 2);
    // status: one more accepted, one more rejected (gone from the coding, counted as a decision).
    const now = await statusOf();
    expect([now.accepted, now.rejected, now.unreviewed]).toEqual([was.accepted + 1, was.rejected + 1, was.unreviewed - 2]);
    expect(now.byCode['motivations.sujet-commun']?.rejected).toBe((was.byCode['motivations.sujet-commun']?.rejected ?? 0) + 1);
    expect(now.byCode['freins.etat']?.accepted).toBe((was.byCode['freins.etat']?.accepted ?? 0) + 1);
    expect(after.some((i) => (i.address === 'E01:10' && i.code === 'freins.etat') || (i.address === 'E01:1' && i.code === 'motivations.sujet-commun'))).toBe(false);
    expect((await cli(dir, 'check', '--max-warnings', '0')).code).toBe(0);
  });

  it('an accepted coding is counted once, as the researcher\'s, with the words that fired it; agree --auto still counts it as the keywords\'', async () => {
    const dir = demoCopy();
    const at10 = async () => (JSON.parse((await cli(dir, 'tag', 'E01', '--json')).out) as { segment: number; code: string; origin: string; accepted?: true; evidence?: { text: string }[] }[]).filter((c) => c.segment === 10 && c.code === 'freins.etat');
    const row = async () => (await cli(dir, 'tag', 'E01')).out.split('\n')[1]!.trim().split(/\s+/u).slice(1, 5).map(Number);
    const agree = async () => (JSON.parse((await cli(dir, 'agree', '--auto', '--code', 'freins.etat', '--json')).out) as { codes: { code: string; auto: number; manual: number; truePositives: number; falsePositives: number }[] }).codes.find((c) => c.code === 'freins.etat')!;
    const [codingsBefore, rowBefore, agreeBefore] = [await at10(), await row(), await agree()];
    expect(codingsBefore.map((c) => [c.origin, c.accepted])).toEqual([['auto', undefined]]);
    expect((await cli(dir, 'review', '--accept', 'E01:10', 'freins.etat')).code).toBe(0);
    const codings = await at10();
    expect(codings.map((c) => [c.origin, c.accepted])).toEqual([['manual', true]]);
    expect(codings[0]!.evidence?.map((e) => e.text)).toEqual(['Bercy', 'silos']);
    // segments, coded, auto, manual: one coding moved from automatic to manual, none added.
    const [segments, coded, auto, manual] = rowBefore as [number, number, number, number];
    expect(await row()).toEqual([segments, coded, auto - 1, manual + 1]);
    const now = await agree();
    expect([now.auto, now.manual, now.truePositives, now.falsePositives]).toEqual([agreeBefore.auto, agreeBefore.manual + 1, agreeBefore.truePositives + 1, agreeBefore.falsePositives - 1]);
    // `--origin auto` still keeps what the keywords coded; `--origin manual` now has it too.
    const quotes = async (origin: string) => (JSON.parse((await cli(dir, 'quotes', 'freins.etat', '--origin', origin, '--json')).out) as { address: string }[]).map((q) => q.address);
    expect(await quotes('auto')).toContain('E01:10');
    expect(await quotes('manual')).toContain('E01:10');
  });

  it('refuses a decision already made, an unknown address and a code the keywords did not give, writing nothing', async () => {
    const dir = demoCopy();
    const file = path.join(dir, 'corpus/E01.md');
    expect((await cli(dir, 'review', '--accept', 'E01:10', 'freins.etat')).code).toBe(0);
    const once = readFileSync(file, 'utf8');
    expect(await cli(dir, 'review', '--accept', 'E01:10', 'freins.etat')).toMatchObject({ code: 1, err: 'verbatim: `freins.etat` is coded by hand at E01:10 already: nothing to accept.\n' });
    expect((await cli(dir, 'review', '--reject', 'E01:10', 'freins.etat')).code).toBe(1);
    expect((await cli(dir, 'review', '--accept', 'E01:999', 'freins.etat')).err).toMatch(/`E01` has \d+ segments: there is no `E01:999`/u);
    expect((await cli(dir, 'review', '--accept', 'E99:1', 'freins.etat')).err).toContain('No transcript `E99`.');
    expect((await cli(dir, 'review', '--accept', 'E01:10', 'cles.porteurs')).err).toContain('The keywords do not code E01:10 with `cles.porteurs`; they code it with');
    expect(readFileSync(file, 'utf8')).toBe(once);
    expect(await cli(dir, 'review', '--accept', 'E01:10', 'freins.etta')).toMatchObject({ code: 2 });
  });

  it('lists the queue with addresses and evidence, masked, and filters it by code and transcript', async () => {
    const dir = demoCopy();
    const all = await cli(dir, 'review', '--list');
    expect(all.out).toContain('\nE01:10    corpus/E01.md:44  freins.etat  « Bercy » ← bercy; « silos » ← silo*\n');
    expect(all.out).not.toMatch(/Ferrandon|Sainte-Orlane/iu);
    const freins = await queue(dir, 'freins', '--transcript', 'E01');
    expect(freins.length).toBeGreaterThan(0);
    for (const i of freins) {
      expect(i.code.startsWith('freins.')).toBe(true);
      expect(i.address.startsWith('E01:')).toBe(true);
    }
  });

  it('says what to use instead of the interactive queue', async () => {
    const r = await cli(demoCopy(), 'review');
    expect(r.code).toBe(2);
    expect(r.err).toContain('`verbatim review --list`');
  });
});

describe('reports quote reviewed codings, and check says where they do not', () => {
  it('writes where each verbatim comes from beside the report, which names no one; check warns at the quote of an unreviewed coding', async () => {
    const dir = demoCopy();
    expect((await cli(dir, 'report')).code).toBe(0);
    const report = readFileSync(path.join(dir, 'reports/restitution.md'), 'utf8');
    const lines = report.split('\n');
    const rows = readFileSync(path.join(dir, 'reports/restitution.sources.tsv'), 'utf8').split('\n').slice(2, -1).map((r) => r.split('\t'));
    expect(rows.length).toBe(lines.filter((l) => l.startsWith('> «')).length);
    for (const [line] of rows) expect(lines[Number(line) - 1]).toMatch(/^> «/u);
    expect(report).not.toMatch(/\bE\d\d:\d/u);
    // The demo's verbatims all quote reviewed codings; the method says how much was reviewed.
    expect((await cli(dir, 'check', '--max-warnings', '0')).code).toBe(0);
    expect(report).toMatch(/\*\*Relecture du codage\s:\*\*\s\d+\sdes\s\d+\scodages proposés par les mots-clés validés par un chercheur/u);
    // Take back the acceptance of one quoted coding: check warns on its quote's line.
    const row = rows.find((r) => r[1] === 'E01:29' && r[2] === 'nouvelle-periode.charte')!;
    const file = path.join(dir, 'corpus/E01.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace(' {#nouvelle-periode.charte}', ''));
    const checked = await cli(dir, 'check', '--format', 'unix');
    expect(checked.out).toContain(`reports/restitution.md:${row[0]}:1: This verbatim quotes E01:29, an automatic coding of \`nouvelle-periode.charte\` nobody has reviewed`);
    expect(checked.out.match(/unreviewed-quote/gu)).toHaveLength(1);
    // report --check compares the sources file too.
    rmSync(path.join(dir, 'reports/restitution.sources.tsv'));
    expect((await cli(dir, 'review', '--accept', 'E01:29', 'nouvelle-periode.charte')).code).toBe(0);
    const stale = await cli(dir, 'report', '--check');
    expect(stale.code).toBe(1);
    expect(stale.err).toContain('reports/restitution.sources.tsv is missing');
    // A file of that name that Verbatim did not write is not replaced without --force.
    writeFileSync(path.join(dir, 'reports/restitution.sources.tsv'), 'my notes\n');
    const refused = await cli(dir, 'report');
    expect(refused.code).toBe(1);
    expect(readFileSync(path.join(dir, 'reports/restitution.sources.tsv'), 'utf8')).toBe('my notes\n');
  });
});

describe('a decision changes only the bytes of its marker', () => {
  it('keeps a BOM and CRLF line ends', async () => {
    const dir = folder();
    mkdirSync(path.join(dir, 'corpus'));
    mkdirSync(path.join(dir, 'codebooks'));
    writeFileSync(path.join(dir, 'codebooks/c.yaml'), 'language: fr\ncodes:\n  - id: etat\n    label: L\'État\n    definition: La culture de l\'État.\n    keywords: [technostructure]\n');
    const original = '\uFEFF---\r\nid: T1\r\nlabel: Un élu\r\n---\r\n\r\n**Q :** Et alors ?\r\n\r\n**R :** La technostructure décide.\r\n\r\n**R :** Rien.\r\n';
    writeFileSync(path.join(dir, 'corpus/T1.md'), original);
    expect(await queue(dir)).toMatchObject([{ address: 'T1:1', location: 'corpus/T1.md:8', code: 'etat' }]);
    expect((await cli(dir, 'review', '--accept', 'T1:1', 'etat')).code).toBe(0);
    const expected = '\uFEFF---\r\nid: T1\r\nlabel: Un élu\r\n---\r\n\r\n**Q :** Et alors ?\r\n\r\n**R :** La technostructure décide. {#etat}\r\n\r\n**R :** Rien.\r\n';
    expect(readFileSync(path.join(dir, 'corpus/T1.md'))).toEqual(Buffer.from(expected, 'utf8'));
    expect(await queue(dir)).toEqual([]);
  });

  it('refuses a file that is not UTF-8 rather than rewrite its other bytes', async () => {
    const dir = folder();
    mkdirSync(path.join(dir, 'corpus'));
    mkdirSync(path.join(dir, 'codebooks'));
    writeFileSync(path.join(dir, 'codebooks/c.yaml'), 'language: fr\ncodes:\n  - id: etat\n    label: Etat\n    definition: La culture.\n    keywords: [technostructure]\n');
    // Windows-1252: é is one byte, 0xE9.
    const bytes = Buffer.from('---\nid: T1\nlabel: Un \xe9lu\n---\n\n**R :** La technostructure d\xe9cide.\n', 'latin1');
    writeFileSync(path.join(dir, 'corpus/T1.md'), bytes);
    const r = await cli(dir, 'review', '--accept', 'T1:1', 'etat');
    expect(r.code).toBe(1);
    expect(r.err).toContain('is not UTF-8');
    expect(readFileSync(path.join(dir, 'corpus/T1.md'))).toEqual(bytes);
  });
});

/** `verbatim review` with these keys typed (a terminal's key source, scripted), at a width of `columns`. */
async function interactive(dir: string, keys: readonly string[] | (() => { next(): Promise<string | undefined>; done(): void }), columns = 80, env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(dir, env);
  io.keys = Array.isArray(keys) ? scriptedKeys(keys) : (keys as () => { next(): Promise<string | undefined>; done(): void });
  io.columns = columns;
  const code = await run(['review'], io);
  return { code, out: io.out, err: io.err };
}

describe('verbatim review, one key per decision', () => {
  it('y accepts the first coding, n rejects the next, q quits: two markers written, the rest of each file as it was', async () => {
    const dir = demoCopy();
    const items = await queue(dir);
    const [first, second] = items as [(typeof items)[0], (typeof items)[0]];
    const r = await interactive(dir, ['y', 'n', 'q']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`── 1 of ${items.length} · ${first.address} · ${first.location} `);
    expect(r.out).toContain(`── 1 of ${items.length - 1} · ${second.address} · ${second.location} `);
    expect(r.out).toContain(`1 accepted, 1 rejected of ${items.length}; ${items.length - 2} left to review.`);
    const after = await queue(dir);
    expect(after).toHaveLength(items.length - 2);
    expect(after[0]).toEqual(items[2]);
    // Both are E01's first codings: the file is the original with the two markers at the ends of their lines.
    expect([first.location, second.location]).toEqual(['corpus/E01.md:18', 'corpus/E01.md:20']);
    const lines = readFileSync(path.join(DEMO_ROOT, 'corpus/E01.md'), 'utf8').split('\n');
    lines[17] = `${lines[17]} {#${first.code}}`;
    lines[19] = `${lines[19]} {!${second.code}}`;
    expect(readFileSync(path.join(dir, 'corpus/E01.md'), 'utf8')).toBe(lines.join('\n'));
    expect((await cli(dir, 'check', '--max-warnings', '0')).code).toBe(0);
  });

  it('u takes the last decision back, s skips, ? helps, and the input ending quits', async () => {
    const dir = demoCopy();
    const items = await queue(dir);
    const r = await interactive(dir, ['y', 'u', '?', 's', 'x']);
    expect(r.out).toContain('undone: removed {#');
    expect(r.out).toContain('u - undo the last decision');
    expect(r.out).toContain('? for help');
    expect(r.out).toContain(`0 accepted, 0 rejected of ${items.length}`);
    expect(readFileSync(path.join(dir, 'corpus/E01.md'))).toEqual(readFileSync(path.join(DEMO_ROOT, 'corpus/E01.md')));
    expect(await queue(dir)).toEqual(items);
  });

  it('refuses to write into a file that changed since the queue was read, and reads the queue again', async () => {
    const dir = demoCopy();
    const file = path.join(dir, 'corpus/E01.md');
    const keys = ['y', 'q'];
    let asked = 0;
    const changed = `${readFileSync(file, 'utf8')}\n**R :** Une phrase ajoutée pendant la revue.\n`;
    const source = () => ({
      next: async () => {
        // Someone saves the transcript in their editor while the first coding is on screen.
        if (asked++ === 0) writeFileSync(file, changed);
        return keys.shift();
      },
      done: () => undefined,
    });
    const r = await interactive(dir, source);
    expect(r.out).toContain('corpus/E01.md changed since the queue was read: nothing written; the queue is read again.');
    expect(readFileSync(file, 'utf8')).toBe(changed);
  });

  it.skipIf(skipBecause('review: the $EDITOR key', process.platform === 'win32' ? 'the stand-in editor is a shell script' : undefined) !== undefined)('e opens $EDITOR at the paragraph\'s line, then reads the queue again', async () => {
    const dir = demoCopy();
    const log = path.join(dir, 'editor.log');
    const editor = path.join(dir, 'editor.sh');
    writeFileSync(editor, `#!/bin/sh\necho "$@" >> '${log}'\n`);
    chmodSync(editor, 0o755);
    const r = await interactive(dir, ['e', 'q'], 80, { EDITOR: `${editor} --flag` });
    expect(readFileSync(log, 'utf8')).toBe(`--flag +18 ${path.join(dir, 'corpus/E01.md')}\n`);
    expect(r.out).toContain('the queue is read again');
    expect(r.out.split('── 1 of ').length).toBe(3);
  });

  it('marks the words that fired the code in brackets without colour, and keeps to a narrow terminal', async () => {
    const dir = demoCopy();
    const r = await interactive(dir, ['q'], 40, { NO_COLOR: '1' });
    expect(r.out).not.toContain('\u001b[');
    expect(r.out).toContain('[chercheur]');
    const shown = r.out.split('Accept ')[0] as string;
    for (const l of shown.split('\n')) expect(l.length).toBeLessThanOrEqual(40);
  });
});
