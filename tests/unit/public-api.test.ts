/**
 * The package's public entry: `main` and `types` of package.json name the
 * compiled src/index.ts, which exports these names and nothing else. A name
 * added or removed here is a change of the library's API: say so in the
 * commit.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';

const repo = path.join(import.meta.dirname, '../..');

/** The values the entry exports (its types are checked by tsc through the import below). */
const NAMES = ['buildReport', 'checkProject', 'codeProject', 'collectDiagnostics', 'formatDiagnostics', 'loadFrame', 'loadProject', 'redactorOf', 'renderReport'];

describe('the public entry (src/index.ts)', () => {
  it('exports the pipeline and nothing else', () => {
    expect(Object.keys(api).sort()).toEqual(NAMES);
  });

  it('is what package.json names, once built', async () => {
    const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { main: string; types: string };
    expect([pkg.main, pkg.types]).toEqual(['dist/index.js', 'dist/index.d.ts']);
    expect(existsSync(path.join(repo, pkg.main)), 'run `npm run build` first').toBe(true);
    expect(existsSync(path.join(repo, pkg.types))).toBe(true);
    const built = (await import(pathToFileURL(path.join(repo, pkg.main)).href)) as Record<string, unknown>;
    expect(Object.keys(built).sort()).toEqual(NAMES);
  });

  it('renders the demo report as `verbatim report` writes it', () => {
    const project = api.codeProject(api.loadProject(repo));
    api.checkProject(project);
    const diagnostics: api.Diagnostic[] = api.collectDiagnostics(project);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const plan = project.plans.find((p) => p.name === 'restitution') as api.Plan;
    const report = api.buildReport(plan, project, { language: project.config.language, redactor: api.redactorOf(project) });
    expect(report.markdown).toBe(readFileSync(path.join(repo, 'reports/restitution.md'), 'utf8'));
  });
});
