import { describe, expect, it } from 'vitest';
import { redactorOf } from '../../src/core/redact.js';
import { bulletList, listItems, markdownBlocks, table } from '../../src/report/markdown.js';
import { barChart, mermaidString } from '../../src/report/mermaid.js';
import { buildReport, periodOfDates } from '../../src/report/render.js';
import { quantifiedStatement, standingOut } from '../../src/report/statement.js';
import { codedFixture } from '../helpers/analysis-fixture.js';

const NB = '\u00a0';

describe('quantified statement', () => {
  const hit = { attribute: 'actor', value: 'dp', label: 'Décideurs politiques', count: 5, n: 5, strength: 57 };
  it('states unanimity without a group', () => {
    expect(quantifiedStatement(12, 12, hit, 'fr')).toBe("Exprimé par l'ensemble des interviewés (12 sur 12).");
  });
  it('names the group that stands out', () => {
    expect(quantifiedStatement(9, 12, hit, 'fr')).toBe('Exprimé par la plupart des interviewés (9 sur 12), en particulier dans le groupe « Décideurs politiques » (5 sur 5).');
  });
  it('speaks of nobody, and English', () => {
    expect(quantifiedStatement(0, 12, undefined, 'fr')).toBe("Aucun interviewé ne l'exprime (0 sur 12).");
    expect(quantifiedStatement(3, 12, undefined, 'en')).toBe('Expressed by several interviewees (3 of 12).');
  });
  it('finds the group that carries a code most, by the share rule, and never a group of fewer than 3', () => {
    const project = codedFixture('report');
    // Règlements: both élus (2/2) against 1 of the 4 others, +75 points; but two people are no profile.
    expect(standingOut(project, ['obstacles'], ['role']).has('obstacles.normes')).toBe(false);
    // By gender (3 and 3): 2 of the 3 men against 1 of the 3 women, +33 points.
    const hits = standingOut(project, ['obstacles'], ['genre']);
    expect(hits.get('obstacles.normes')).toEqual({ attribute: 'genre', value: 'homme', label: 'Hommes', count: 2, n: 3, strength: (2 / 3 - 1 / 3) * 100 });
    // Argent: 2 of the 3 women, none of the men: +67 points.
    expect(hits.get('obstacles.argent')).toMatchObject({ value: 'femme', count: 2, n: 3 });
  });
  it('says the counts plainly below 6 respondents', () => {
    expect(quantifiedStatement(2, 4, undefined, 'fr')).toBe('Exprimé par 2 interviewés sur 4.');
    expect(quantifiedStatement(1, 5, undefined, 'fr')).toBe('Exprimé par 1 interviewé sur 5.');
    expect(quantifiedStatement(3, 5, { ...hit, count: 3, n: 3 }, 'en')).toBe('Expressed by 3 of the 5 interviewees, especially in the group “Décideurs politiques” (3 of 3).');
    // From 6, the words of the table.
    expect(quantifiedStatement(4, 6, undefined, 'fr')).toBe('Exprimé par de nombreux interviewés (4 sur 6).');
  });
});

describe('Markdown builders', () => {
  it('reads a synthesis as bullets, sub-bullets and continuation lines', () => {
    expect(listItems('- Un point\n  qui continue.\n- Deux\n  - sous-point\n')).toEqual(['Un point qui continue.', 'Deux\n  - sous-point']);
    expect(bulletList(['a', 'b\n  - c'])).toBe('- a\n- b\n  - c');
  });
  it('reads plain text as one item per paragraph', () => {
    expect(listItems('Une phrase\nsur deux lignes.\n\nUne autre.')).toEqual(['Une phrase sur deux lignes.', 'Une autre.']);
    expect(listItems(undefined)).toEqual([]);
  });
  it('splits Markdown into blocks, keeping fenced code whole', () => {
    expect(markdownBlocks('a\nb\n\n```\nx\n\ny\n```\n\nc')).toEqual(['a\nb', '```\nx\n\ny\n```', 'c']);
  });
  it('builds a table with escaped pipes and aligned columns', () => {
    expect(table(['A', 'B'], [['x|y', '1']], ['l', 'r'])).toBe('| A | B |\n| :--- | ---: |\n| x\\|y | 1 |');
  });
});

describe('Mermaid', () => {
  it('writes an xychart bar chart', () => {
    expect(barChart({ title: 'Part "des" répondants', labels: ['Élus', 'Habitants'], values: [100, 33.333], axis: '% des interviewés', max: 100 })).toBe(
      [
        '```mermaid',
        'xychart-beta',
        `    title "Part 'des' répondants"`,
        '    x-axis ["Élus", "Habitants"]',
        '    y-axis "% des interviewés" 0 --> 100',
        '    bar [100, 33.3]',
        '```',
      ].join('\n'),
    );
  });
  it('shortens long labels', () => {
    expect(mermaidString('abcdefghij', 5)).toBe('"abcd…"');
  });
});

describe('period', () => {
  it('gives the months of the interviews', () => {
    expect(periodOfDates(['2021-09-14', undefined, '2021-05-10'], 'fr')).toBe('mai 2021 – septembre 2021');
    expect(periodOfDates(['2021-05-10', '2021-05-30'], 'en')).toBe('May 2021');
    expect(periodOfDates([undefined], 'fr')).toBeUndefined();
  });
});

describe('buildReport on the fixture', () => {
  const project = codedFixture('report');
  const plan = (name: string) => project.plans.find((p) => p.name === name) as (typeof project.plans)[number];
  const fr = buildReport(plan('fr'), project, { redactor: redactorOf(project) });

  it('numbers the sections and splits the long page', () => {
    expect(fr.markdown).toContain('## Plan de la restitution\n\n1. La méthode\n2. Les enseignements\n3. Les obstacles selon le rôle\n4. Ce qui va ensemble\n5. La saturation thématique\n6. Ce qui distingue chaque profil\n7. Pour conclure\n');
    expect(fr.markdown).toContain(`### Un accueil jugé décisif${NB}: l'ouverture des jardins 1/2`);
    expect(fr.markdown).toContain(`### Un accueil jugé décisif${NB}: l'ouverture des jardins 2/2`);
    expect(fr.sections).toBe(7);
  });

  it('never shows a redacted string, and masks it in quotes', () => {
    expect(fr.markdown).not.toMatch(/Vidalenc|Saint-Brisson/iu);
    expect(fr.markdown).toContain('[·]');
  });

  it('applies French typography to the plan text but not to code or links', () => {
    expect(fr.markdown).toContain(`Les propos sont synthétiques${NB}: ils servent à tester les rapports${NB}!`);
    expect(fr.markdown).toContain(`besoin de «${NB}temps${NB}» et de confiance${NB}; qui le contesterait${NB}?`);
    expect(fr.markdown).toContain('[la charte](https://example.org/charte?x=1:2) et `code: ne pas toucher`');
  });

  it('warns about a code without synthesis, and about verbatims from automatic codings nobody reviewed', () => {
    expect(fr.warnings[0]).toBe('Code `obstacles.argent` has no `synthesis` in the codebook: its part of the report has no bullets.');
    const unreviewed = fr.verbatims.filter((v) => v.tier === 2 && !project.codings.some((c) => c.origin === 'manual' && c.transcript === v.transcript && c.segment === v.segment && c.code === v.code));
    expect(unreviewed.length).toBe(9);
    expect(fr.warnings[1]).toBe(
      '9 verbatims quote automatic codings nobody has reviewed: A4:1 (accueil.ouverture), A2:3 (accueil.ecoute), A5:4 (accueil.temps), A6:3 (accueil.temps), A3:4 (accueil.confiance) and 4 more. Review them (`verbatim review`), or set `quotes: reviewed` in the plan.',
    );
    expect(fr.warnings).toHaveLength(2);
  });

  it('says each warning once, even when two sections show the same code', () => {
    const twice = { ...plan('fr'), sections: [...plan('fr').sections, ...plan('fr').sections] };
    const r = buildReport(twice, project, { redactor: redactorOf(project) });
    expect(r.warnings.filter((w) => w.startsWith('Code `obstacles.argent` has no `synthesis`'))).toHaveLength(1);
    expect(new Set(r.warnings).size).toBe(r.warnings.length);
  });

  it('quotes only reviewed codings with `quotes: reviewed` (the plan or a section)', () => {
    for (const p of [{ ...plan('fr'), quotes: 'reviewed' as const }, { ...plan('fr'), sections: plan('fr').sections.map((s) => ({ ...s, quotes: 'reviewed' as const })) }]) {
      const reviewed = buildReport(p, project, { redactor: redactorOf(project) });
      expect(reviewed.verbatims.length).toBeGreaterThan(0);
      for (const v of reviewed.verbatims) expect(v.tier).toBeLessThan(2);
      expect(reviewed.warnings.some((w) => w.includes('nobody has reviewed'))).toBe(false);
    }
  });

  it('renders English plans with English words and marks', () => {
    const en = buildReport(plan('en'), project, { redactor: redactorOf(project) });
    expect(en.markdown).toContain('## Report outline\n\n1. Methodology\n2. Une ouverture à tous les habitants\n3. Obstacles\n4. Themes by profile\n');
    // origin: manual: only the two spans coded by hand count.
    expect(en.markdown).toContain('*Expressed by some interviewees (2 of 6), especially in the group “Femmes” (2 of 3).*');
    expect(en.markdown).toContain('    x-axis ["Des règlements trop lourds", "Le manque d\'argent"]\n    y-axis "% of interviewees" 0 --> 100\n    bar [50, 33]');
    expect(en.markdown).toContain('| Theme | Femmes (n = 12) | Hommes (n = 10) | All (n = 22) |');
    expect(en.markdown).toContain('- **Number of interviews:** 6\n- **Period:** March 2022 – May 2022');
    expect(en.markdown).toMatch(/^> “Nous avons voulu un jardin ouvert à tous/mu);
    expect(en.markdown).not.toMatch(/[\u00a0\u202f«]/u);
    // The untitled text section has no heading and is not in the outline.
    expect(en.markdown.trimEnd().endsWith('An untitled closing note: “no heading” here.')).toBe(true);
  });

  it('states a code once per report, naming one group for it: a matrix after a themes page of the same codes does not state them again', () => {
    const base = plan('fr');
    const section = (kind: 'themes' | 'matrix', by: string[]) => ({ ...(base.sections[1] as (typeof base.sections)[number]), kind, title: kind, codes: ['obstacles'], by, codeRanges: [], byRanges: [] });
    const report = buildReport({ ...base, sections: [section('themes', ['genre']), section('matrix', ['role'])] }, project, { redactor: redactorOf(project) }).markdown;
    // Règlements: stated once (under themes, by gender: 2 of the 3 men), not again under the matrix by role.
    const statements = report.split('\n').filter((l) => l.startsWith('*Exprimé par'));
    expect(statements).toHaveLength(3);
    expect(statements.filter((l) => /«\s?Hommes\s?»/u.test(l))).toHaveLength(1);
    expect(report.match(/^#### Des règlements trop lourds$/gmu)).toHaveLength(1);
    // The matrix's table is there all the same, and nothing after it.
    const matrix = report.slice(report.indexOf('## 2. matrix'));
    expect(matrix).toContain('### Répartition par rôle');
    expect(matrix).not.toMatch(/^\*Exprimé par/mu);
  });

  it('gives the same bytes every time', () => {
    expect(buildReport(plan('fr'), project, { redactor: redactorOf(project) }).markdown).toBe(fr.markdown);
  });
});
