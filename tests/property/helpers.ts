/**
 * Shared pieces of the property tests: real fixture texts to mutate, string
 * arbitraries biased towards the characters the parsers care about, and the
 * invariants every parser's diagnostics must keep.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Diagnostic } from '../../src/core/diagnostic.js';
import { isRuleId } from '../../src/core/rules.js';
import type { SourceFile } from '../../src/core/source-file.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Every file under `dir` (relative to the repository) whose name matches `re`, sorted. */
export function filesUnder(dir: string, re: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (re.test(name)) out.push(full);
    }
  };
  walk(path.join(ROOT, dir));
  return out;
}

/** The texts of files, for mutation. */
export function texts(files: readonly string[]): string[] {
  return files.map((f) => readFileSync(f, 'utf8'));
}

/** Transcripts: the demo corpus and every fixture transcript. */
export const TRANSCRIPTS = texts([...filesUnder('corpus', /\.md$/), ...filesUnder('tests/fixtures', /^(?!README).*\.md$/)].filter((f) => !f.includes('/reports/')));
/** Codebooks: the demo's and the fixtures'. */
export const CODEBOOKS = texts([...filesUnder('codebooks', /\.ya?ml$/), ...filesUnder('tests/fixtures', /\.ya?ml$/).filter((f) => f.includes('/codebooks/'))]);
/** Panels (YAML). */
export const PANELS = texts([path.join(ROOT, 'corpus/panel.yaml'), ...filesUnder('tests/fixtures', /^panel\.ya?ml$/)]);
/** Report plans. */
export const PLANS = texts([...filesUnder('reports', /\.plan\.ya?ml$/), ...filesUnder('tests/fixtures', /\.plan\.ya?ml$/)]);
/** Configurations. */
export const CONFIGS = texts(filesUnder('tests/fixtures', /^verbatim\.ya?ml$/));

/** Characters that mean something to the transcript, marker, YAML or CSV parsers, plus awkward Unicode. */
const SPECIAL = [
  '{', '}', '#', '!', '>', '<', '[', ']', '\\', ':', '*', '**', '\n', '\n\n', '\r\n', '\r', ' ', '\t', '-', '---', '...', '.',
  'R', 'Q', 'R :', '**R :**', '**Q :**', '{#', '{!', '{>', '{<', ']{#', 'a.b', 'é', 'É', '😀', '\ud83d', '\u00a0', '\u2028', '\ufeff',
  '`', '"', "'", '&', '*a', '&a', '|', ',', ';', '?', '%', '@', '=', 'id', 'label', 'codes', 'children', 'attributes', 'redact', '[00:12:03]',
  'constructor', '__proto__', 'toString', '0', '1.5', 'null', 'true', '~', 'x',
];

/** Strings made of the special tokens and arbitrary characters. */
export const nastyString = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.oneof(fc.constantFrom(...SPECIAL), fc.string({ maxLength: 4 })), { maxLength: 60 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) },
);

/** One edit of a text: positions are fractions of the current length, so they fit any text. */
type Mutation =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'replace'; at: number; length: number; text: string }
  | { kind: 'truncate'; at: number };

const fraction = fc.double({ min: 0, max: 1, noNaN: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fraction, length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fraction, text: nastyString }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fraction, length: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('replace' as const), at: fraction, length: fc.integer({ min: 1, max: 10 }), text: fc.constantFrom(...SPECIAL) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fraction }),
);

function apply(text: string, m: Mutation): string {
  const at = Math.floor(m.at * text.length);
  switch (m.kind) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.length);
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'duplicate':
      return text.slice(0, at) + text.slice(at, at + m.length) + text.slice(at);
    case 'replace':
      return text.slice(0, at) + m.text + text.slice(at + m.length);
    case 'truncate':
      return text.slice(0, at);
  }
}

/** A real text with one to eight random edits. */
export function mutated(originals: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...originals), fc.array(mutation, { minLength: 1, maxLength: 8 })).map(([text, ms]) => ms.reduce(apply, text));
}

/** What every diagnostic of a file must be: positioned inside the text, with a known rule. */
export function expectWellFormed(file: SourceFile): void {
  for (const d of file.messages) expectDiagnostic(d, file.text.length);
}

export function expectDiagnostic(d: Diagnostic, length: number): void {
  expect(isRuleId(d.ruleId), `unknown rule ${d.ruleId}`).toBe(true);
  expect(d.line).toBeGreaterThanOrEqual(1);
  expect(d.column).toBeGreaterThanOrEqual(1);
  expect(Number.isInteger(d.line) && Number.isInteger(d.column)).toBe(true);
  expect(typeof d.message).toBe('string');
  expect(d.message.length).toBeGreaterThan(0);
  if (d.range) {
    expect(d.range[0]).toBeGreaterThanOrEqual(0);
    expect(d.range[1]).toBeGreaterThanOrEqual(d.range[0]);
    expect(d.range[1]).toBeLessThanOrEqual(length);
  }
  if (d.endLine !== undefined) {
    expect(d.endLine > d.line || (d.endLine === d.line && (d.endColumn ?? d.column) >= d.column)).toBe(true);
  }
}

/** "Data or diagnostics": an unusable result must come with at least one error. */
export function expectDataOrErrors(result: unknown, file: SourceFile): void {
  if (result === undefined) {
    expect(file.messages.some((d) => d.severity === 'error')).toBe(true);
    expect(file.fatal).toBe(true);
  }
}

/** Run counts: kept small so that the whole property suite stays within about 20 s. */
export const RUNS = { random: 150, mutated: 150, slow: 60 } as const;
