import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Coding } from '../../src/coding/code-transcript.js';
import { loadProject } from '../../src/engine/load-project.js';
import { codeProject, type CodedProject } from '../../src/engine/pipeline.js';
import type { Transcript } from '../../src/project/model.js';

/** Absolute path of a fixture project under tests/fixtures. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}/`, import.meta.url));
}

/** The repository root: the demo project. */
export const DEMO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A temporary copy of the demo's inputs (codebooks, corpus, reports), in a folder named after `prefix`; the caller removes it. */
export function demoCopy(prefix = 'verbatim-demo-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  for (const part of ['codebooks', 'corpus', 'reports']) cpSync(path.join(DEMO_ROOT, part), path.join(dir, part), { recursive: true });
  return dir;
}

const cache = new Map<string, CodedProject>();

/** Loads and codes a fixture project (once per test file). */
export function codedFixture(name = 'analysis'): CodedProject {
  let p = cache.get(name);
  if (!p) {
    p = codeProject(loadProject(fixturePath(name)));
    cache.set(name, p);
  }
  return p;
}

/**
 * A minimal respondent for synthetic datasets: only what the analyses read
 * (id, label, attributes, date, segments).
 */
export function fakeTranscript(id: string, attributes: Record<string, string>, segments: number, date?: string): Transcript {
  return {
    id,
    label: `Respondent ${id}`,
    attributes,
    ...(date ? { date } : {}),
    segments: Array.from({ length: segments }, (_, i) => ({ segment: i + 1 })),
  } as unknown as Transcript;
}

/** A minimal coding. */
export function fakeCoding(transcript: string, segment: number, code: string, origin: 'auto' | 'manual' = 'manual'): Coding {
  return { transcript, segment, code, origin, start: 0, end: 0, span: false };
}
