/**
 * Text normalisation (issue 19): what the plain text of a segment holds, and
 * how keywords and patterns meet text written in other Unicode forms.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/core/source-file.js';
import { importPlainTranscript } from '../../src/exchange/transcript-import.js';
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

  it('imports a text holding backslashes before brackets with its backslashes kept in the plain text', () => {
    const source = 'Le dossier C:\\[archives] et \\{#pas un code} restent tels quels.';
    const result = importPlainTranscript(source, { id: 'T1', corpus: 'corpus', source: 't.txt' });
    const t = parseTranscript(new SourceFile('corpus/T1.md', result.files[0]!.content), OPTIONS)!;
    expect(t.codings).toEqual([]);
    expect(t.segments.map((p) => p.text)).toEqual([source]);
  });
});
