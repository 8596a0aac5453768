/**
 * The demo project (the repository root) reproduces the model restitution:
 * these tests hold the properties its issue asks for.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkProject } from '../src/check/check-project.js';
import { tokenize } from '../src/coding/tokenize.js';
import { loadProject } from '../src/engine/load-project.js';
import { codeProject } from '../src/engine/pipeline.js';
import { collectDiagnostics } from '../src/engine/diagnostics.js';
import { skipBecause } from './helpers/skip.js';

const root = path.join(import.meta.dirname, '..');
const project = codeProject(loadProject(root));
checkProject(project);

describe('the demo project', () => {
  it('checks with no error and no warning', () => {
    expect(collectDiagnostics(project).map((d) => `${d.file}:${d.line} ${d.ruleId}`)).toEqual([]);
  });

  it('has twelve synthetic interviews of 1,500 to 2,500 words, labelled and attributed', () => {
    expect(project.transcripts.map((t) => t.id)).toEqual(['E01', 'E02', 'E03', 'E04', 'E05', 'E06', 'E07', 'E08', 'E09', 'E10', 'E11', 'E12']);
    for (const t of project.transcripts) {
      const words = t.paragraphs.reduce((n, p) => n + tokenize(p.text, 'fr').length, 0);
      expect(words, t.id).toBeGreaterThanOrEqual(1500);
      expect(words, t.id).toBeLessThanOrEqual(2500);
      expect(Object.keys(t.attributes).sort(), t.id).toEqual(['actor', 'engagement', 'gender', 'sphere']);
      expect(readFileSync(path.join(root, t.file), 'utf8'), t.id).toMatch(/notes:.*synthétique/);
    }
  });

  it('codes every leaf code on at least one respondent, the shared diagnosis on all twelve', () => {
    const carriers = new Map<string, Set<string>>();
    for (const c of project.codings) {
      for (let id = c.code; id !== ''; id = id.includes('.') ? id.slice(0, id.lastIndexOf('.')) : '') {
        const s = carriers.get(id) ?? new Set<string>();
        s.add(c.transcript);
        carriers.set(id, s);
      }
    }
    const leaves = [...project.codebook!.codes.values()].filter((c) => c.children.length === 0);
    expect(leaves.length).toBeGreaterThanOrEqual(30);
    for (const leaf of leaves) expect(carriers.get(leaf.id)?.size ?? 0, leaf.id).toBeGreaterThanOrEqual(1);
    for (const unanimous of ['constat', 'constat.necessite', 'constat.gains', 'recit.paradoxe', 'nouvelle-periode.basculement']) {
      expect(carriers.get(unanimous)?.size, unanimous).toBe(12);
    }
  });

  it('is coded by hand as a researcher would: markers on a quarter of the answers, spans, rejections', () => {
    const segments = project.transcripts.reduce((n, t) => n + t.segments.length, 0);
    const marked = new Set(project.codings.filter((c) => c.origin === 'manual').map((c) => `${c.transcript}:${c.segment}`));
    const rejected = project.transcripts.flatMap((t) => t.codings.filter((c) => c.kind === 'reject'));
    const spans = project.transcripts.flatMap((t) => t.codings.filter((c) => c.kind === 'span'));
    expect(marked.size / segments).toBeGreaterThanOrEqual(0.25);
    expect(spans.length).toBeGreaterThanOrEqual(40);
    expect(rejected.length).toBeGreaterThanOrEqual(10);
    // Every rejection still rejects a keyword match (the coding stage reports stale ones).
    expect(project.files.flatMap((f) => f.messages).filter((d) => d.ruleId === 'stale-reject')).toEqual([]);
  });

  it('carries the motivations by sphere as the model says (manual and automatic codings)', () => {
    const sphereOf = new Map(project.transcripts.map((t) => [t.id, t.attributes.sphere]));
    const expected: Record<string, string> = { 'motivations.sujet-commun': 'recherche', 'motivations.probleme-commun': 'societe-civile', 'motivations.interet-personnel': 'institution' };
    for (const [code, sphere] of Object.entries(expected)) {
      const who = new Set(project.codings.filter((c) => c.code === code).map((c) => c.transcript));
      const inSphere = project.transcripts.filter((t) => t.attributes.sphere === sphere).map((t) => t.id);
      for (const id of inSphere) expect(who.has(id), `${code} ${id}`).toBe(true);
      const outside = [...who].filter((id) => sphereOf.get(id) !== sphere);
      expect(outside.length, `${code} outside ${sphere}: ${outside.join(' ')}`).toBeLessThan(inSphere.length);
    }
  });
});

const seed = path.join(root, '../shared/seed/000_09ef1ce5e26b3f40.txt');

describe.skipIf(
  skipBecause('the test that the demo copies no run of 10 words of the model', existsSync(seed) ? undefined : `${seed} not found`) !== undefined,
)('no copy of the model restitution', () => {
  const words = (text: string): string[] =>
    text
      .replace(/^label:.*$/gm, ' ') // the panel labels are the model's own descriptions, by design
      .replace(/\{[#!<>][^}]*\}/g, ' ')
      .toLowerCase()
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .match(/[a-z0-9]+/g) ?? [];
  // Read when the tests run: vitest collects a skipped suite too.
  const runs = new Set<string>();
  beforeAll(() => {
    const model = words(readFileSync(seed, 'utf8'));
    for (let i = 0; i + 10 <= model.length; i++) runs.add(model.slice(i, i + 10).join(' '));
  });
  const files = [
    ...readdirSync(path.join(root, 'corpus')).map((f) => `corpus/${f}`),
    ...readdirSync(path.join(root, 'codebooks')).map((f) => `codebooks/${f}`),
    ...readdirSync(path.join(root, 'reports')).map((f) => `reports/${f}`),
    'README.md',
  ];

  const sharedRuns = (w: readonly string[]): string[] => {
    const shared: string[] = [];
    for (let i = 0; i + 10 <= w.length; i++) if (runs.has(w.slice(i, i + 10).join(' '))) shared.push(w.slice(i, i + 10).join(' '));
    return shared;
  };

  it.each(files.filter((f) => !f.endsWith('.md') || !f.startsWith('reports/')))('%s shares no run of ten words with the model', (file) => {
    expect(sharedRuns(words(readFileSync(path.join(root, file), 'utf8')))).toEqual([]);
  });

  // The generated report is made of the files above. Its headings put the plan's titles, the codebook's
  // labels and page numbers next to each other, as the model does, so runs are counted within a line,
  // without the panel's labels (the model's own descriptions, by design) and without bare numbers.
  const labels = project.transcripts.map((t) => t.label);
  it.each(files.filter((f) => f.startsWith('reports/') && f.endsWith('.md')))('%s (generated) shares no sentence with the model', (file) => {
    let text = readFileSync(path.join(root, file), 'utf8');
    for (const label of labels) text = text.split(label).join(' ');
    const shared = text.split('\n').flatMap((line) => sharedRuns(words(line).filter((w) => !/^[0-9]+$/.test(w))));
    expect(shared).toEqual([]);
  });
});
