/**
 * `verbatim lsp --stdio` with a real editor: Neovim's built-in LSP client
 * (headless, tests/fixtures/nvim/verbatim-lsp.lua) on a copy of the demo
 * project. `.ci/run` installs Neovim where it is missing; elsewhere this test
 * says why it skips.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeAll } from './helpers/project.js';
import { skipBecause } from './helpers/skip.js';

const repo = path.join(import.meta.dirname, '..');
const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const skip = skipBecause('the Neovim LSP test', nvim.status === 0 ? undefined : 'Neovim (`nvim`) is not installed (`apt-get install neovim`; .ci/run installs it)');

describe.skipIf(skip !== undefined)('verbatim lsp in Neovim', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'verbatim-nvim-'));
  afterAll(() => removeAll(dir));

  it('underlines a misspelt code with its suggestion and fixes it, completes `{#frei` with freins.etat, and renames a code in every file', () => {
    for (const part of ['codebooks', 'corpus', 'reports']) cpSync(path.join(repo, part), path.join(dir, part), { recursive: true });
    const before = readFileSync(path.join(dir, 'corpus/E01.md'), 'utf8');
    const originals = ['codebooks/alliances.yaml', ...readdirSync(path.join(dir, 'corpus')).filter((f) => f.endsWith('.md')).map((f) => `corpus/${f}`), 'reports/restitution.plan.yaml'].map((f) => [f, readFileSync(path.join(dir, f), 'utf8')] as const);
    const out = path.join(dir, 'out.tsv');
    const r = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-c', `luafile ${path.join(repo, 'tests/fixtures/nvim/verbatim-lsp.lua')}`], {
      env: { ...process.env, VERBATIM_BIN: path.join(repo, 'bin/verbatim.js'), PROJECT: dir, OUT: out },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => l.split('\t'));
    expect(lines.filter((l) => l[0] === 'diagnostic')).toEqual([['diagnostic', '42', '393', 'unknown-code', 'Unknown code `freins.etta`; did you mean `freins.etat`?']]);
    expect(lines.filter((l) => l[0] === 'completion').map((l) => l[1])).toContain('freins.etat');
    expect(lines.filter((l) => l[0] === 'action').map((l) => l[1])).toContain('Replace by `freins.etat`');
    expect(lines.find((l) => l[0] === 'fixed')).toEqual(['fixed', 'true']);
    // The rename, applied and saved by Neovim: the codebook and every transcript, and no other byte.
    const files = Number(lines.find((l) => l[0] === 'rename')?.[1]);
    expect(files).toBeGreaterThan(2);
    expect(readFileSync(path.join(dir, 'corpus/E01.md'), 'utf8')).toBe(before.replaceAll('freins.etat', 'freins.puissance-publique'));
    // The codebook's prose (`exclude: … → freins.etat`) is the researcher's text: only the code's `id:` changes there.
    for (const [part, original] of originals) {
      const expected = part.startsWith('codebooks/') ? original.replace(/^( *- id: )etat$/mu, '$1puissance-publique') : original.replaceAll('freins.etat', 'freins.puissance-publique');
      expect(readFileSync(path.join(dir, part), 'utf8'), part).toBe(expected);
    }
    const check = spawnSync(process.execPath, [path.join(repo, 'bin/verbatim.js'), 'check', '--no-cache'], { cwd: dir, encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
  });
});
