// ESLint (flat config): the recommended JavaScript and TypeScript rules, and the layers of src/.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The folders of src/ and the folders each may import. Imports point one way,
 * from the command line down to the core (README, Development):
 *
 *   cli → engine → report, exchange → check, analysis → coding → project → yaml → core
 *                  formatters → core
 *
 * A folder imports only the folders listed for it (type imports included: a
 * cycle of types is still a cycle). Nothing imports src/cli but src/cli, and
 * nothing in src/ imports src/index.ts, the package's entry.
 */
const LAYERS = {
  core: [],
  yaml: ['core'],
  formatters: ['core'],
  project: ['core', 'yaml'],
  coding: ['core', 'yaml', 'project'],
  check: ['core', 'yaml', 'project', 'coding'],
  analysis: ['core', 'yaml', 'project', 'coding'],
  report: ['core', 'yaml', 'project', 'coding', 'analysis'],
  exchange: ['core', 'yaml', 'project', 'coding', 'analysis'],
  engine: ['core', 'yaml', 'project', 'coding', 'check', 'analysis', 'report', 'exchange', 'formatters'],
  cli: ['core', 'yaml', 'project', 'coding', 'check', 'analysis', 'report', 'exchange', 'formatters', 'engine'],
};
const FOLDERS = Object.keys(LAYERS);

/** A relative import that climbs out of the importing folder into one of `folders`, or into src/index.ts. */
const into = (folders) => `^(?:\\.\\./)+(?:${[...folders.map((f) => `${f}/`), 'index\\.js$'].join('|')})`;

const layers = Object.entries(LAYERS).map(([folder, allowed]) => {
  const forbidden = FOLDERS.filter((f) => f !== folder && !allowed.includes(f));
  const may = allowed.length > 0 ? `may import only src/{${allowed.join(',')}}` : 'imports no other folder of src';
  const message = `src/${folder} ${may}, and never src/index.ts (the package's entry): imports point one way, cli → engine → stages → core (see eslint.config.js).`;
  return {
    files: [`src/${folder}/**`],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: into(forbidden), message }] }],
    },
  };
});

export default defineConfig(
  { ignores: ['dist/', 'coverage/', 'bench/out/', '.notes/', 'src/wasm/'] }, // src/wasm is AssemblyScript, not TypeScript
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      // `for (const _ of text)` counts code points; `_`-prefixed names say "unused" on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  ...layers,
  {
    files: ['src/index.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^\\./cli/', message: 'The public entry exports the pipeline, not the command line.' }] }] },
  },
  {
    // The VS Code extension is CommonJS, as VS Code loads extensions.
    files: ['editors/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['tests/**'],
    rules: {
      // Tests read the commands' JSON output without declaring its whole shape.
      '@typescript-eslint/no-explicit-any': 'off',
      // Tests match ANSI colour escapes (\x1b) in the output.
      'no-control-regex': 'off',
    },
  },
);
