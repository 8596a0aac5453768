/**
 * Text normalisation (issue 19): what the plain text of a segment holds, and
 * how keywords and patterns meet text written in other Unicode forms.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileMatcher } from '../../src/coding/matcher.js';
import { TranscriptStage } from '../../src/engine/corpus.js';
import { loadFrame, readTranscript } from '../../src/engine/load-project.js';
import { matcherCache } from '../../src/engine/matchers.js';
import { streamCorpus } from '../../src/engine/stream.js';
import { SKIPPED, tallyTranscript } from '../../src/engine/tally.js';
import { SourceFile } from '../../src/core/source-file.js';
import { importPlainTranscript } from '../../src/exchange/transcript-import.js';
import { parseCodebook } from '../../src/project/codebook.js';
import type { Codebook } from '../../src/project/model.js';
import { parseTranscript } from '../../src/project/transcript.js';
import { cli } from '../helpers/cli.js';
import { dedent } from '../helpers/source.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A temporary project holding `files` (paths relative to it). */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'verbatim-text-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

function codebook(yaml: string): Codebook {
  return parseCodebook(new SourceFile('codebooks/c.yaml', yaml))!;
}

const OPTIONS = { language: 'fr' as const, speakers: { Q: 'interviewer' as const, R: 'respondent' as const }, codeInterviewer: false };

function transcript(body: string): string {
  return `---\nid: T1\nlabel: Une élue\n---\n\n${body}`;
}

/** The codings of `export csv`, as records keyed by the header. */
function csvRows(out: string): Record<string, string>[] {
  const [header, ...lines] = out.trim().split('\n');
  const names = (header as string).split(',');
  return lines.map((line) => {
    // The fixtures hold no comma or quote inside a field but `text`, quoted.
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i] as string;
      if (quoted && c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = !quoted;
      else if (c === ',' && !quoted) {
        cells.push(cell);
        cell = '';
      } else cell += c;
    }
    cells.push(cell);
    return Object.fromEntries(names.map((n, i) => [n, cells[i] ?? '']));
  });
}

describe('escaped brackets and braces in the plain text', () => {
  it('drops the backslash of `\\[`, `\\]`, `\\{`, `\\}` and `\\\\`, and keeps offsets on the file', () => {
    const text = transcript('**R :** Paul \\[X\\] a parlé de \\{#budget} et de C:\\\\[dossier]{#etat}.\n');
    const file = new SourceFile('corpus/T1.md', text);
    const t = parseTranscript(file, OPTIONS)!;
    expect(file.messages).toEqual([]);
    const p = t.segments[0]!;
    expect(p.text).toBe('Paul [X] a parlé de {#budget} et de C:\\dossier.');
    // The span still covers its words, and every plain offset maps back onto the same character of the file.
    const span = t.codings.find((c) => c.kind === 'span')!;
    expect(t.plain.slice(span.start, span.end)).toBe('dossier');
    for (let i = p.start; i < p.end; i++) expect(text[t.toSource(i)]).toBe(t.plain[i]);
  });

  it('shows `Paul [X]` in quotes and exports, with offsets that select the quoted text', async () => {
    const dir = project({
      'codebooks/c.yaml': dedent(`
        language: fr
        codes:
          - id: etat
            label: L'État
            definition: La culture de l'État.
          - id: lieu
            label: Les lieux
            definition: Où l'on va.
            keywords: [préfecture]
      `),
      'corpus/T1.md': transcript('**R :** [Paul \\[X\\] de la préfecture]{#etat} est venu.\n'),
    });
    const quotes = await cli(dir, 'quotes', 'etat');
    expect(quotes.code).toBe(0);
    expect(quotes.out).toContain('Paul [X] de la préfecture');
    expect(quotes.out).not.toContain('\\[');
    const csv = await cli(dir, 'export', 'csv');
    expect(csv.code).toBe(0);
    const rows = csvRows(csv.out);
    const manual = rows.find((r) => r.origin === 'manual')!;
    expect(manual.text).toBe('Paul [X] de la préfecture');
    const auto = rows.find((r) => r.origin === 'auto')!;
    expect(auto.text).toBe('Paul [X] de la préfecture est venu.');
    // Offsets count the plain text: the span starts where the paragraph does, and is as long as its text.
    expect(Number(manual.start)).toBe(Number(auto.start));
    expect(Number(manual.end) - Number(manual.start)).toBe(manual.text!.length);
    expect(Number(auto.end) - Number(auto.start)).toBe(auto.text!.length);
  });

  it('drops them in headings too, and the byte-level stage places the codings after a heading where the parser does', () => {
    const body = '# Partie \\[1\\] \\{#intro}\n\n**R :** La [préfecture]{#etat} a tranché.\n';
    const dir = project({
      'codebooks/c.yaml': dedent(`
        language: fr
        codes:
          - id: etat
            label: L'État
            definition: La culture de l'État.
            keywords: [tranché]
      `),
      'corpus/T1.md': transcript(body),
    });
    const frame = loadFrame(dir);
    const { file, transcript: t } = readTranscript(frame, 'corpus/T1.md');
    expect(t!.paragraphs[0]!.kind).toBe('heading');
    expect(t!.plain).toContain('# Partie [1] {#intro}');
    const full = new TranscriptStage(frame).run(file, t!).codings;
    const span = full.find((c) => c.origin === 'manual')!;
    expect(t!.plain.slice(span.start, span.end)).toBe('préfecture');
    const bytes = new TranscriptStage(frame).runBytes('corpus/T1.md', Buffer.from(file.text, 'utf8'));
    expect(bytes).toBeDefined();
    if (bytes) expect(bytes.codings).toEqual(full.map(({ evidence: _e, ...c }) => c));
  });

  it('imports a text holding backslashes before brackets with its backslashes kept in the plain text', () => {
    const source = 'Le dossier C:\\[archives] et \\{#pas un code} restent tels quels.';
    const result = importPlainTranscript(source, { id: 'T1', corpus: 'corpus', source: 't.txt' });
    const t = parseTranscript(new SourceFile('corpus/T1.md', result.files[0]!.content), OPTIONS)!;
    expect(t.codings).toEqual([]);
    expect(t.segments.map((p) => p.text)).toEqual([source]);
  });
});

describe('patterns and keywords meet every Unicode form of the text', () => {
  const codebookYaml = dedent(`
    language: fr
    codes:
      - id: reforme
        label: La réforme
        definition: La réforme territoriale.
        patterns: ['\\bréforme territoriale\\b']
      - id: budget
        label: Le budget
        definition: L'argent de la commune.
        keywords: [financement, "=fléché"]
  `);
  // One paragraph in NFD (accents as combining marks, as macOS file names and some editors write them), one from a PDF with ligatures.
  const nfd = 'La réforme territoriale a tout changé.'.normalize('NFD');
  const pdf = 'Le ﬁnancement est ﬂéché vers la voirie.';

  it('codes an NFD paragraph with an NFC pattern, and an NFC one with an NFD pattern, the quote as written', () => {
    const written = compileMatcher(codebook(codebookYaml), 'fr');
    const found = written.match(nfd).get('reforme');
    expect(found?.map((e) => e.text)).toEqual(['réforme territoriale'.normalize('NFD')]);
    expect(nfd.slice(found![0]!.start, found![0]!.end)).toBe('réforme territoriale'.normalize('NFD'));
    const decomposed = compileMatcher(codebook(codebookYaml.normalize('NFD')), 'fr');
    expect(decomposed.match('La réforme territoriale, enfin.').has('reforme')).toBe(true);
  });

  it('codes `ﬁnancement` and `ﬂéché` with the keywords `financement` and `=fléché`, offsets on the ligatures', () => {
    const m = compileMatcher(codebook(codebookYaml), 'fr');
    const found = m.match(pdf).get('budget');
    expect(found?.map((e) => pdf.slice(e.start, e.end))).toEqual(['ﬁnancement', 'ﬂéché']);
  });

  it('codes them the same way in the byte-level tally of `tag` as in the full path, ligatures under patterns too', () => {
    const yaml = `${codebookYaml}  - id: aides\n    label: Les aides\n    definition: Les subventions.\n    patterns: ['\\bfinancements? de l']\n`;
    const dir = project({
      'codebooks/c.yaml': yaml,
      'corpus/T1.md': transcript(`**R :** ${nfd}\n\n**R :** ${pdf}\n\n**R :** Le ﬁnancement de l’école, voilà.\n`),
    });
    const frame = loadFrame(dir);
    const tally = tallyTranscript(frame, 'corpus/T1.md', matcherCache(frame));
    const [item] = [...streamCorpus(frame, { from: 0, to: 1 })];
    const full = new Map<string, number>();
    for (const c of item!.codings!) full.set(c.code, (full.get(c.code) ?? 0) + 1);
    expect([...full].sort()).toEqual([
      ['aides', 1],
      ['budget', 2],
      ['reforme', 1],
    ]);
    expect(tally).not.toBe(SKIPPED);
    expect(tally && tally !== SKIPPED ? [...tally.codes].sort() : undefined).toEqual([...full].sort());
  });
});

describe('broad-keyword', () => {
  it('counts a word written composed and decomposed as one form', async () => {
    const paragraphs: string[] = [];
    for (let i = 0; i < 24; i++) {
      const etat = i % 2 === 0 ? 'état' : 'état'.normalize('NFD');
      paragraphs.push(i < 12 ? `**R :** Pour moi l’${etat} décide de tout, réponse ${i}.` : `**R :** Nous parlons des routes, réponse ${i}.`);
    }
    const dir = project({
      'codebooks/c.yaml': dedent(`
        language: fr
        codes:
          - id: etat
            label: L'État
            definition: La culture de l'État.
            keywords: [état]
          - id: routes
            label: Les routes
            definition: La voirie.
            keywords: [route]
      `),
      'corpus/T1.md': transcript(`${paragraphs.join('\n\n')}\n`),
    });
    const r = await cli(dir, 'check');
    const line = r.out.split('\n').concat(r.err.split('\n')).find((l) => l.includes('broad-keyword'));
    expect(line).toBeDefined();
    expect(line).toContain('through état (12)');
  });
});

describe('messages about ids', () => {
  it('says a code id is ASCII, suggests the id without accents, and names no code of the demo', async () => {
    const dir = project({
      'codebooks/c.yaml': dedent(`
        language: fr
        codes:
          - id: État des lieux
            label: L'état des lieux
            definition: Ce qui existe.
            keywords: [inventaire]
      `),
      'corpus/T1.md': transcript('**R :** Un inventaire complet. {#}\n\n**R :** Et puis [la voirie]{#voirie/route}.\n'),
    });
    const r = await cli(dir, 'check');
    const out = r.out + r.err;
    expect(out).toContain('The id `État des lieux` in code `État des lieux` is not valid: a code id is ASCII letters (without accents) and digits');
    expect(out).toContain('write `Etat-des-lieux`');
    expect(out).toContain('`#` must be followed by the code\'s full dotted id');
    expect(out).toContain('`voirie/route` is not a code id: write the code\'s full dotted id');
    expect(out).not.toContain('freins');
  });
});

describe('hints name the project’s own codes', () => {
  it('review --accept without a code shows an example with a code of the codebook', async () => {
    const dir = project({
      'codebooks/c.yaml': dedent(`
        language: fr
        codes:
          - id: voirie
            label: La voirie
            definition: Les routes et les trottoirs.
            keywords: [route]
      `),
      'corpus/T1.md': transcript('**R :** La route est en travaux.\n'),
    });
    const r = await cli(dir, 'review', '--accept', 'T1:1');
    expect(r.code).toBe(2);
    expect(r.err).toContain('`verbatim review --accept T03:4 voirie`');
    expect(r.err).not.toContain('freins');
  });
});
