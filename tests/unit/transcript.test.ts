import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../src/project/transcript.js';
import { DEFAULT_SPEAKERS } from '../../src/project/model.js';
import { dedent, source, where } from '../helpers/source.js';

const options = { language: 'fr' as const, speakers: DEFAULT_SPEAKERS, codeInterviewer: false };

describe('parseTranscript', () => {
  const text = dedent(`
    ---
    id: E07
    label: Un maire
    attributes:
      actor: decideur-politique
    date: 2021-06-14
    ---

    **Q :** Comment percevez-vous les alliances ?

    **R :** Pour moi, personne ne peut réussir seul. {#constat.vertueux}

    Les normes s'empilent et [l'État reste dans une logique de donneur d'ordre]{#freins.etat}. {!freins.concurrence}

    Q: Et ensuite ?

    R: [00:12:03] Ensuite, rien.
  `);
  const file = source(text);
  const t = parseTranscript(file, options)!;

  it('reads the front matter', () => {
    expect(file.messages).toEqual([]);
    expect(t.id).toBe('E07');
    expect(t.label).toBe('Un maire');
    expect(t.attributes).toEqual({ actor: 'decideur-politique' });
    expect(t.date).toBe('2021-06-14');
  });

  it('numbers respondent paragraphs as segments, continuing the speaker', () => {
    expect(t.paragraphs.map((p) => p.role)).toEqual(['interviewer', 'respondent', 'respondent', 'interviewer', 'respondent']);
    expect(t.segments.map((s) => [s.segment, s.text])).toEqual([
      [1, 'Pour moi, personne ne peut réussir seul.'],
      [2, "Les normes s'empilent et l'État reste dans une logique de donneur d'ordre."],
      [3, 'Ensuite, rien.'],
    ]);
    expect(t.segments[2]!.timestamp).toBe(12 * 60 + 3);
  });

  it('removes markers from the plain text and keeps offsets consistent', () => {
    expect(t.plain).not.toMatch(/[{}]/);
    for (const p of t.paragraphs) expect(t.plain.slice(p.start, p.end)).toBe(p.text);
    // toSource maps plain offsets back to the same characters in the file
    for (const p of t.segments) {
      const s = t.toSource(p.start);
      expect(text.slice(s, s + 5)).toBe(p.text.slice(0, 5));
    }
  });

  it('collects the three marker forms', () => {
    const summary = t.codings.map((c) => [c.kind, c.code, t.plain.slice(c.start, c.end)]);
    expect(summary).toEqual([
      ['paragraph', 'constat.vertueux', 'Pour moi, personne ne peut réussir seul.'],
      ['span', 'freins.etat', "l'État reste dans une logique de donneur d'ordre"],
      ['reject', 'freins.concurrence', "Les normes s'empilent et l'État reste dans une logique de donneur d'ordre."],
    ]);
    const marker = t.codings[1]!.marker;
    expect(text.slice(marker[0], marker[1])).toBe('freins.etat');
  });

  it('pairs begin/end markers across paragraphs', () => {
    const f = source(dedent(`
      R : Un {>a.b}début [croisé]{#c} ici.

      La suite{<a.b} et fin.
    `));
    const tt = parseTranscript(f, options)!;
    expect(f.messages.filter((m) => m.ruleId !== 'missing-respondent-label')).toEqual([]);
    const span = tt.codings.find((c) => c.code === 'a.b')!;
    expect(tt.plain.slice(span.start, span.end)).toBe('début croisé ici.\n\nLa suite');
    expect(span.paragraphs).toEqual([0, 1]);
  });

  it('reports malformed markers with their position', () => {
    const f = source('R : Un {#a.b ouvert\n\nR : ]{#x} seul {<y}\n');
    parseTranscript(f, options);
    expect(where(f).filter((w) => !w.includes('missing-respondent-label'))).toEqual(['1:8 marker-syntax', '3:5 marker-syntax', '3:16 marker-syntax']);
  });

  it('puts front-matter errors at their line in the file', () => {
    const f = source('---\nid: E1\nlabel: [oops\n---\nR : texte\n');
    expect(parseTranscript(f, options)).toBeUndefined();
    expect(f.messages[0]!.ruleId).toBe('yaml-syntax');
    expect(f.messages[0]!.line).toBeGreaterThanOrEqual(3);
  });

  it('puts a missing label on the front matter, the same whichever parser reads it', () => {
    // The first is read by the block fast path, the second (a flow mapping) by the yaml library.
    const at = (speakers: string): unknown[] => {
      const f = source(`---\n# yaml-language-server: $schema=x\nid: E1\n${speakers}\ndate: 2021-06-14\n---\nR : texte\n`);
      parseTranscript(f, options);
      return f.messages.map((m) => [m.ruleId, m.line, m.column, m.endLine, m.endColumn]);
    };
    const expected = [['missing-respondent-label', 3, 1, 7, 1]];
    expect(at('speakers:\n  R: respondent')).toEqual(expected);
    expect(at('speakers: {R: respondent}\n')).toEqual(expected);
  });

  it('reports unknown front-matter keys with a suggestion', () => {
    const f = source('---\nlabel: X\nattribute:\n  a: b\n---\nR : texte\n');
    parseTranscript(f, options);
    expect(f.messages.map((m) => [m.line, m.column, m.ruleId, m.message])).toEqual([
      [3, 1, 'unknown-key', 'Unknown key `attribute` in the front matter; did you mean `attributes`?'],
    ]);
  });
});
