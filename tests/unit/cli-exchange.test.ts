import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { checkProject } from '../../src/check/check-project.js';
import type { ImportSummary } from '../../src/cli/commands/import.js';
import { registerExport, registerImport } from '../../src/cli/register-commands.js';
import { UsageError, type Context, type ExitCode } from '../../src/cli/context.js';
import { memoryIo } from '../../src/cli/io.js';
import { collectDiagnostics } from '../../src/engine/diagnostics.js';
import { loadProject } from '../../src/engine/load-project.js';
import { codeProject } from '../../src/engine/pipeline.js';
import { readZip } from '../../src/exchange/zip.js';
import { removeAll, tempProject } from '../helpers/project.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/exchange/', import.meta.url));
const temps: string[] = [];
afterAll(() => temps.forEach(removeAll));

/** A copy of the fixture project inside a scratch folder: `<scratch>/study`. */
function scratch(): { root: string; project: string } {
  const root = tempProject();
  temps.push(root);
  const project = path.join(root, 'study');
  cpSync(path.join(FIXTURES, 'project'), project, { recursive: true });
  return { root, project };
}

type Action = (load: () => Promise<(...args: never[]) => Promise<ExitCode>>) => (...args: unknown[]) => Promise<void>;

/** Runs `verbatim …` with only the exchange commands, as run.ts wires them. */
async function cli(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(cwd);
  let code = 0;
  const program = new Command().exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  program.option('-p, --project <dir>', 'project', '.');
  const ctx = (): Context => ({ io, root: path.resolve(cwd, program.opts<{ project: string }>().project), color: false, colorErr: false, debug: false });
  const action: Action = (load) => async (...args) => {
    const fn = (await load()) as (...a: unknown[]) => Promise<ExitCode>;
    code = await fn(...args.slice(0, -1), ctx());
  };
  registerExport(program, action);
  registerImport(program, action);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`verbatim: ${error.message}\n`);
      code = 2;
    } else if (error instanceof CommanderError) code = 2;
    else throw error;
  }
  return { code, out: io.out, err: io.err };
}

function errorsOf(root: string): string[] {
  const p = codeProject(loadProject(root));
  checkProject(p);
  return collectDiagnostics(p)
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.file} ${d.ruleId}`);
}

describe('verbatim export', () => {
  it('prints CSV, IRaMuTeQ and JSON on stdout', async () => {
    const { project } = scratch();
    const csv = await cli(project, 'export', 'csv');
    expect(csv.code).toBe(0);
    expect(csv.out.split('\n')[0]).toBe('transcript,segment,code,origin,start,end,text,group,place');
    expect((await cli(project, 'export', 'csv', '--matrix', '--origin', 'auto')).out).toBe('id,label,group,place,trust,trust.local,trust.state,doubt\nA1,A young villager,young,village,1,1,0,1\nB2,An older townsman,old,town,0,0,0,0\n');
    expect((await cli(project, 'export', 'iramuteq')).out).toMatch(/^\*\*\*\* \*id_A1 \*group_young \*place_village\n/);
    expect(JSON.parse((await cli(project, 'export', 'json')).out).format).toBe('verbatim-project');
  });

  it('writes a .qdpx named after the project, and never overwrites it without --force', async () => {
    const { project } = scratch();
    const first = await cli(project, 'export', 'qdpx');
    // 12: the three spans across paragraphs are one coding each (15 paragraph pieces in the CSV).
    expect(first).toMatchObject({ code: 0, out: 'wrote study.qdpx (2 transcripts, 4 codes, 12 codings)\n' });
    const bytes = readFileSync(path.join(project, 'study.qdpx'));
    const zip = readZip(bytes);
    expect(zip.ok && [...zip.files.keys()].length).toBe(3);
    expect(await cli(project, 'export', 'qdpx')).toMatchObject({ code: 2, err: 'verbatim: `study.qdpx` exists: add --force to overwrite it.\n' });
    const forced = await cli(project, 'export', 'qdpx', '--force', '--json');
    expect(JSON.parse(forced.out)).toEqual({ format: 'qdpx', file: 'study.qdpx', bytes: bytes.length, transcripts: 2, codes: 4, codings: 12 });
    expect(readFileSync(path.join(project, 'study.qdpx')).equals(bytes)).toBe(true);
  });

  it('writes a codebook with -o', async () => {
    const { project } = scratch();
    expect((await cli(project, 'export', 'qdc', '-o', 'out/codebook.qdc')).out).toBe('wrote out/codebook.qdc (4 codes)\n');
    expect(readFileSync(path.join(project, 'out/codebook.qdc'), 'utf8')).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Verbatim \d+\.\d+\.\d+">/);
  });

  it('refuses to write a redacted string it cannot mask', async () => {
    const { project } = scratch();
    writeFileSync(path.join(project, 'verbatim.yaml'), 'redact: [B2]\n');
    const r = await cli(project, 'export', 'csv', '-o', 'codings.csv');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/would show a redacted string .* nothing was written/);
    expect(existsSync(path.join(project, 'codings.csv'))).toBe(false);
  });

  it('rejects what it does not know', async () => {
    const { project } = scratch();
    expect(await cli(project, 'export', 'xlsx')).toMatchObject({ code: 2, err: 'verbatim: Unknown export format `xlsx`: use qdc, qdpx, csv, iramuteq, json.\n' });
    expect((await cli(project, 'export', 'json', '--matrix')).code).toBe(2);
    expect((await cli(project, 'export', 'csv', '--origin', 'robot')).code).toBe(2);
  });
});

describe('verbatim import', () => {
  it('turns a .qdpx into a new project that checks clean, and reports what it left out', async () => {
    const { root, project } = scratch();
    // An automatic coding nobody reviewed (the fixture's others are accepted by a marker).
    appendFileSync(path.join(project, 'corpus/B2.md'), '\n**R :** I doubt it.\n');
    await cli(project, 'export', 'qdpx', '-o', '../Study Export.qdpx');
    const r = await cli(root, 'import', 'Study Export.qdpx');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'Imported a REFI-QDA project (made by Verbatim ' + /Verbatim ([\d.]+)/.exec(r.out)![1] + ') into study-export/',
        '  created study-export/codebooks/exchange-test-codebook.yaml (codebook, 4 codes)',
        '  created study-export/corpus/A1.md (transcript, 7 codings)',
        '  created study-export/corpus/B2.md (transcript, 6 codings)',
        '  created study-export/corpus/panel.yaml (panel, 2 attributes)',
        'Offsets read as code points: ' + /code points: (.*)\.\n/.exec(r.out)![1] + '.',
        '13 codings written as markers.',
        'Not carried over, or changed on the way:',
        "  - Keywords of 2 codes not restored: the project's codings are imported as markers, and keywords would code the same text a second time. Import the codebook alone (`.qdc`) to get them back.",
        "  - 1 automatic coding (from keywords) is now written as a marker, like the researcher's codings.",
        'Next: cd study-export && verbatim check',
        '',
      ].join('\n'),
    );
    expect(errorsOf(path.join(root, 'study-export'))).toEqual([]);
    // Never over an existing file without --force; nothing half-written.
    const again = await cli(root, 'import', 'Study Export.qdpx', '--json');
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/^verbatim: `study-export\/codebooks\/exchange-test-codebook.yaml`, .* exist: nothing was written\. Add --force/);
    const forced = await cli(root, 'import', 'Study Export.qdpx', '--json', '--force');
    const summary = JSON.parse(forced.out) as ImportSummary;
    expect(summary.written.map((w) => w.path)).toEqual(['study-export/codebooks/exchange-test-codebook.yaml', 'study-export/corpus/A1.md', 'study-export/corpus/B2.md', 'study-export/corpus/panel.yaml']);
    expect(summary.counts).toEqual({ transcripts: 2, codes: 4, codings: 13, adjusted: 0, dropped: 0 });
  });

  it('reads a bare project.qde with its sources folder, and a .qdc', async () => {
    const { root, project } = scratch();
    await cli(project, 'export', 'qdpx', '-o', '../x.qdpx');
    const zip = readZip(readFileSync(path.join(root, 'x.qdpx')));
    if (!zip.ok) throw new Error(zip.message);
    mkdirSync(path.join(root, 'bare/sources'), { recursive: true });
    for (const [name, data] of zip.files) writeFileSync(path.join(root, 'bare', name), data);
    const r = await cli(root, 'import', 'bare/project.qde', '--into', 'from-qde', '--json');
    expect((JSON.parse(r.out) as ImportSummary).counts).toMatchObject({ transcripts: 2, codings: 12 });
    await cli(project, 'export', 'qdc', '-o', '../codes.qdc');
    const q = await cli(root, 'import', 'codes.qdc', '--into', 'study');
    expect(q.code).toBe(0);
    expect(readFileSync(path.join(project, 'codebooks/codes.yaml'), 'utf8')).toContain('keywords:\n          - neighbour*');
  });

  it('puts a transcript into the current project’s corpus', async () => {
    const { project } = scratch();
    writeFileSync(path.join(project, 'interview.vtt'), readFileSync(path.join(FIXTURES, 'teams.vtt')));
    const r = await cli(project, 'import', 'interview.vtt', '--interviewer', 'Claire Martin');
    expect(r.code).toBe(0);
    expect(r.out).toContain('  created corpus/interview.md (transcript, 2 speakers)\n');
    const written = readFileSync(path.join(project, 'corpus/interview.md'), 'utf8');
    expect(written).toContain('  Claire Martin: interviewer\n  Paul Durand: respondent\n');
    expect(written).toContain('#   group: young | old\n#   place: town | village\n');
    expect((await cli(project, 'import', 'interview.vtt')).code).toBe(2);
    expect((await cli(project, 'import', 'interview.vtt', '--id', 'C3')).code).toBe(0);
    expect(existsSync(path.join(project, 'corpus/C3.md'))).toBe(true);
    expect((await cli(project, 'import', 'interview.vtt', '--id', '../evil')).code).toBe(2);
    // --id takes the ids transcripts take: letters of any script, no `:` (an address separator).
    expect(await cli(project, 'import', 'interview.vtt', '--id', 'a:b')).toMatchObject({ code: 2, err: expect.stringMatching(/^verbatim: --id `a:b` is not an id: use letters/) });
    expect((await cli(project, 'import', 'interview.vtt', '--id', 'Élodie-07')).code).toBe(0);
    expect(existsSync(path.join(project, 'corpus/Élodie-07.md'))).toBe(true);
  });

  it('says what is wrong with the input', async () => {
    const { root } = scratch();
    writeFileSync(path.join(root, 'broken.qdpx'), 'not a zip');
    expect(await cli(root, 'import', 'broken.qdpx')).toMatchObject({ code: 1, err: 'verbatim: cannot import broken.qdpx: not a usable QDPX archive: this is not a zip archive.\n' });
    writeFileSync(path.join(root, 'bad.qdc'), '<CodeBook><Codes>');
    expect((await cli(root, 'import', 'bad.qdc')).err).toMatch(/^verbatim: cannot import bad.qdc: the XML is not well-formed/);
    writeFileSync(path.join(root, 'notes.pdf'), 'x');
    expect(await cli(root, 'import', 'notes.pdf')).toMatchObject({ code: 2 });
    expect(await cli(root, 'import', 'missing.qdpx')).toMatchObject({ code: 2, err: 'verbatim: `missing.qdpx` is not a file.\n' });
  });
});
