/**
 * Golden tests of the restitution report. The committed `reports/restitution.md`
 * of the demo project IS the golden file: `verbatim report --check` and this
 * test fail when it is not what the project generates. The fixture project
 * tests/fixtures/report/ covers every section kind, English, redaction and
 * page splitting.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { redactorOf } from '../src/core/redact.js';
import { loadProject } from '../src/engine/load-project.js';
import { codeProject, type CodedProject } from '../src/engine/pipeline.js';
import { buildReport, type ReportResult } from '../src/report/render.js';
import { DEMO_ROOT, fixturePath } from './helpers/analysis-fixture.js';

const NB = '\u00a0';

function render(project: CodedProject, name: string): ReportResult {
  const plan = project.plans.find((p) => p.name === name);
  if (!plan) throw new Error(`no plan ${name}`);
  return buildReport(plan, project, { language: project.config.language, redactor: redactorOf(project) });
}

/** The Markdown between a heading and the next heading of the same or a higher level. */
function sectionOf(markdown: string, heading: string): string {
  const start = markdown.indexOf(`${heading}\n`);
  if (start < 0) throw new Error(`no heading ${heading}`);
  const level = /^#+/u.exec(heading)?.[0].length ?? 2;
  const rest = markdown.slice(start + heading.length);
  const next = rest.search(new RegExp(`\\n#{1,${level}} `, 'u'));
  return next < 0 ? rest : rest.slice(0, next);
}

/** Text outside fenced code blocks and table alignment rows. */
const prose = (md: string): string => md.replace(/```[\s\S]*?```/gu, '').replace(/^\|[\s:|-]+\|$/gmu, '');

describe('the demo restitution', () => {
  const project = codeProject(loadProject(DEMO_ROOT));
  const report = render(project, 'restitution');
  const md = report.markdown;

  it('is the committed reports/restitution.md', async () => {
    await expect(md).toMatchFileSnapshot(path.join(DEMO_ROOT, 'reports/restitution.md'));
  });

  it('is the same from run to run', () => {
    expect(render(codeProject(loadProject(DEMO_ROOT)), 'restitution').markdown).toBe(md);
  });

  it('opens with the plan of the restitution', () => {
    expect(sectionOf(md, '## Plan de la restitution')).toMatch(/^\n\n1\. La méthodologie de la démarche d'investigation\n2\. Les principaux enseignements/u);
  });

  it('describes the method with the twelve panel labels, grouped by type of actor', () => {
    const method = sectionOf(md, "## 1. La méthodologie de la démarche d'investigation");
    expect(method).toContain(`**Nombre d'entretiens${NB}:** 12`);
    expect(method).toContain(`**Période${NB}:** Mai - Septembre 2021`);
    expect(project.transcripts).toHaveLength(12);
    for (const t of project.transcripts) expect(method).toContain(`  - ${t.label}\n`);
    expect(method).toContain('- Décideurs politiques (5)\n');
  });

  it('states the shared diagnosis as unanimous', () => {
    const first = new RegExp(`^### Un constat unanime${NB}: les alliances sont des processus vertueux 1/\\d+$`, 'mu').exec(md)?.[0] as string;
    const page = sectionOf(md, first);
    expect(page).toContain("*Exprimé par l'ensemble des interviewés (12 sur 12).*");
    expect(sectionOf(md, `#### Des alliances nécessaires et en plein essor${NB}: personne ne réussit seul`)).toContain("*Exprimé par l'ensemble des interviewés (12 sur 12).*");
  });

  it('spreads the obstacles, foundations and keys of success over numbered pages', () => {
    for (const title of [`Les freins au déploiement des alliances sont essentiellement culturels`, 'Les alliances reposent sur des fondamentaux repérés', 'Les clés de réussite des alliances']) {
      const numbers = [...md.matchAll(new RegExp(`^### ${title} (\\d+)/(\\d+)$`, 'gmu'))].map((m) => [Number(m[1]), Number(m[2])]);
      const n = numbers[0]?.[1] ?? 0;
      expect(n).toBeGreaterThanOrEqual(2);
      expect(numbers).toEqual(Array.from({ length: n }, (_, i) => [i + 1, n]));
    }
  });

  it('has the motivations by type of actor, the obstacles to a national narrative and the narrative of the new period', () => {
    const motivations = sectionOf(md, "## 3. Ce qui motive chaque type d'acteur, selon sa sphère d'action");
    expect(motivations).toContain('| Recherche et innovation ouverte (n = 3) | Société civile et entreprise (n = 5) | Institutions (n = 4) |');
    expect(motivations).toContain('```mermaid\nxychart-beta');
    expect(motivations).toContain('en particulier dans le groupe «\u00a0Recherche et innovation ouverte\u00a0» (3 sur 3)');
    expect(md).toMatch(/^### Les obstacles à un récit national des réussites territoriales 1\/\d$/mu);
    expect(md).toMatch(/^### Le récit de la nouvelle période 1\/\d$/mu);
    expect(md).toMatch(/^## 6\. Vers un récit national$/mu);
  });

  it('quotes at least 25 verbatims, from different respondents first, never twice', () => {
    const quotes = md.match(/^> «\u00a0.+\u00a0»$/gmu) ?? [];
    expect(quotes.length).toBe(report.verbatims.length);
    expect(quotes.length).toBeGreaterThanOrEqual(25);
    expect(new Set(quotes).size).toBe(quotes.length);
    // Within a code, the first quotes come from as many respondents as possible.
    const byCode = new Map<string, string[]>();
    for (const v of report.verbatims) byCode.set(v.code, [...(byCode.get(v.code) ?? []), v.transcript]);
    for (const transcripts of byCode.values()) expect(new Set(transcripts).size).toBe(transcripts.length);
  });

  it('shows no marker, no redacted string and no straight quote', () => {
    expect(md).not.toMatch(/\{[#!>]|\]\{|\{<|\{#/u);
    const secrets = [...project.redact, ...project.transcripts.flatMap((t) => t.redact)];
    expect(secrets).toEqual(expect.arrayContaining(['Sainte-Orlane-du-Val', 'Odile Ferrandon']));
    const flat = md.toLowerCase().replace(/\s+/gu, ' ');
    for (const s of secrets) expect(flat).not.toContain(s.toLowerCase());
    expect(prose(md)).not.toContain('"');
  });

  it('sets French typography: no-break spaces before : ; ? ! and inside « »', () => {
    const text = prose(md);
    expect(text).not.toMatch(/[ \t][:;?!](\s|$)/u);
    expect(text).not.toMatch(/«[^\u00a0]|[^\u00a0]»/u);
  });
});

describe('the fixture reports', () => {
  const root = fixturePath('report');
  const project = codeProject(loadProject(root));

  it.each(['fr', 'en'])('%s', async (name) => {
    const report = render(project, name);
    await expect(report.markdown).toMatchFileSnapshot(path.join(root, 'expected', `${name}.md`));
    expect(report.markdown).not.toMatch(/Vidalenc|Saint-Brisson/iu);
  });
});
