/**
 * What the lint rules of eslint.config.js cannot say about src/: that no
 * module imports itself through others (a cycle inside one folder, such as
 * the matcher and its trie, breaks no layer), and that every folder has a
 * layer (a new folder would otherwise be unrestricted).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const src = path.join(import.meta.dirname, '../../src');
/** AssemblyScript and ambient declarations: no module imports them by path. */
const OUTSIDE = new Set(['wasm', 'types']);

/** Every TypeScript module of src/ (relative, with `/`), and the modules it imports: static, type-only and dynamic imports, and re-exports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!(dir === src && OUTSIDE.has(entry.name))) walk(full);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const info = ts.preProcessFile(readFileSync(full, 'utf8'), true, true);
        const deps = info.importedFiles
          .map((f) => f.fileName)
          .filter((name) => name.startsWith('.'))
          .map((name) => path.relative(src, path.resolve(path.dirname(full), name)).split(path.sep).join('/').replace(/\.js$/, '.ts'));
        graph.set(path.relative(src, full).split(path.sep).join('/'), deps);
      }
    }
  };
  walk(src);
  return graph;
}

/** The first cycle found, as the list of modules around it, or undefined. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (m: string): string[] | undefined => {
    if (state.get(m) === 'done') return undefined;
    if (state.get(m) === 'open') return [...stack.slice(stack.indexOf(m)), m];
    state.set(m, 'open');
    stack.push(m);
    for (const d of graph.get(m) ?? []) {
      const cycle = visit(d);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(m, 'done');
    return undefined;
  };
  for (const m of [...graph.keys()].sort()) {
    const cycle = visit(m);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the layers of src/', () => {
  const graph = importGraph();

  it('reads the imports it should', () => {
    expect(graph.get('coding/trie.ts')).toContain('coding/keyword.ts');
    // A dynamic import counts: each command's module is loaded when it runs.
    expect(graph.get('cli/register-commands.ts')).toContain('cli/commands/check.ts');
  });

  it('has no import cycle', () => {
    expect(findCycle(graph), 'modules that import each other: move what they share into a module both import').toBeUndefined();
  });

  it('gives every folder a layer in eslint.config.js', async () => {
    const eslint = new ESLint({ cwd: path.join(src, '..') });
    const folders = readdirSync(src, { withFileTypes: true }).filter((e) => e.isDirectory() && !OUTSIDE.has(e.name)).map((e) => e.name);
    const without: string[] = [];
    for (const folder of folders) {
      const config = (await eslint.calculateConfigForFile(`src/${folder}/any.ts`)) as { rules?: Record<string, unknown> };
      if (config.rules?.['no-restricted-imports'] === undefined) without.push(folder);
    }
    expect(without, 'add the folder to LAYERS in eslint.config.js').toEqual([]);
  });
});
