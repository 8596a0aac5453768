/** verbatim tag: what is coded, the JSON shape scripts rely on, and the explanation. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { dedent } from '../helpers/source.js';

const dir = mkdtempSync(path.join(tmpdir(), 'verbatim-tag-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(path.join(dir, 'corpus'));
mkdirSync(path.join(dir, 'codebooks'));
writeFileSync(
  path.join(dir, 'codebooks/c.yaml'),
  dedent(`
    language: fr
    codes:
      - id: etat
        label: L'État
        definition: La culture de l'État.
        keywords: [technostructure, "donneur d'ordre"]
      - id: temps
        label: Le temps
        definition: La durée.
        keywords: [dans la durée]
  `),
);
writeFileSync(
  path.join(dir, 'corpus/T1.md'),
  dedent(`
    ---
    id: T1
    label: Un élu
    ---

    **Q :** Et la technostructure, dans la durée ?

    **R :** La technostructure agit en donneur d'ordre. {!temps}

    Il faut [s'inscrire dans la durée]{#temps}, vraiment.

    **R :** Rien à dire. {#etat}
  `),
);

async function tag(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(dir);
  const code = await run(['tag', ...args], io);
  return { code, out: io.out, err: io.err };
}

describe('verbatim tag', () => {
  it('codes respondent paragraphs only, merges the markers, and prints the documented JSON shape', async () => {
    const r = await tag('--json');
    expect(r.code).toBe(0);
    const codings = JSON.parse(r.out) as Record<string, unknown>[];
    // The interviewer's question has both keywords and is not coded.
    expect(codings.map((c) => [c.segment, c.code, c.origin])).toEqual([
      [1, 'etat', 'auto'],
      // The keywords' `temps` and the span of it by hand: one coding, the researcher's, accepted.
      [2, 'temps', 'manual'],
      [3, 'etat', 'manual'],
    ]);
    const auto = codings[0]!;
    expect(Object.keys(auto)).toEqual(['transcript', 'segment', 'code', 'origin', 'start', 'end', 'text', 'evidence']);
    expect(auto).toMatchObject({ transcript: 'T1', text: "La technostructure agit en donneur d'ordre." });
    expect(auto.evidence).toEqual([
      { keyword: 'technostructure', kind: 'keyword', start: expect.any(Number), end: expect.any(Number), text: 'technostructure' },
      { keyword: "donneur d'ordre", kind: 'keyword', start: expect.any(Number), end: expect.any(Number), text: "donneur d'ordre" },
    ]);
    // In a segment, codings come by offset (the paragraph's auto coding starts first), manual first on ties.
    // Offsets are in the plain text: the span's text is exactly the words between the brackets.
    const span = codings[1]!;
    expect(span.text).toBe("s'inscrire dans la durée");
    expect((span.end as number) - (span.start as number)).toBe("s'inscrire dans la durée".length);
    // Accepted: the words that fired the keywords' coding stay with it.
    expect(Object.keys(span)).toEqual(['transcript', 'segment', 'code', 'origin', 'accepted', 'start', 'end', 'text', 'evidence']);
    expect((span.evidence as { text: string }[]).map((e) => e.text)).toEqual(['dans la durée']);
    expect(Object.keys(codings[2]!)).not.toContain('accepted');
  });

  it('explains each automatic coding with the words that fired it, and where it is in the file', async () => {
    const r = await tag('T1', '--explain');
    // Line 8 holds the first R paragraph, line 10 the span (the front matter is lines 1 to 4).
    expect(r.out).toContain("T1:1      corpus/T1.md:8  etat  auto    « technostructure » ← technostructure; « donneur d'ordre » ← donneur d'ordre");
    expect(r.out).toContain('T1:2      corpus/T1.md:10  temps  manual  span « s\'inscrire dans la durée »');
    expect(r.out).toContain('T1:3      corpus/T1.md:12  etat  manual  paragraph');
  });

  it('prints a summary line per interview and a total', async () => {
    const r = await tag();
    expect(r.out.split('\n').slice(1, 3)).toEqual([
      'T1                 3       3       1       2  etat (2), temps (1)',
      'total              3       3       1       2  1 transcript',
    ]);
  });
});
