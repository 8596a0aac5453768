/**
 * The pipeline keeps each transcript whole or as a compact record: the same
 * codings and diagnostics either way, and a record holds no text.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkProject, type CorpusFacts } from '../../src/check/check-project.js';
import type { Matcher } from '../../src/coding/matcher.js';
import { tokenize } from '../../src/coding/tokenize.js';
import { codeCorpus } from '../../src/engine/corpus.js';
import { collectDiagnostics } from '../../src/engine/diagnostics.js';
import { loadFrame } from '../../src/engine/load-project.js';

const root = path.join(import.meta.dirname, '../..');
const projects = [root, path.join(root, 'tests/fixtures/check/_base')];

describe.each(projects)('records and whole transcripts of %s', (dir) => {
  const whole = codeCorpus(loadFrame(dir), 'text');
  const records = codeCorpus(loadFrame(dir), 'records');
  checkProject(whole);
  checkProject(records);

  it('give the same codings, without the evidence', () => {
    expect(records.codings.length).toBeGreaterThan(0);
    expect(records.codings).toEqual(whole.codings.map(({ evidence: _e, ...c }) => c));
  });

  it('give the same diagnostics', () => {
    expect(collectDiagnostics(records)).toEqual(collectDiagnostics(whole));
  });

  it('keep no text: a record is the front matter and the segment count, its file the front matter', () => {
    for (const [i, r] of records.transcripts.entries()) {
      const t = whole.transcripts[i];
      expect(Object.keys(r).sort()).toEqual(['attributes', 'bodyOffset', 'file', 'id', 'label', 'language', 'positions', 'redact', 'segmentCount', 'speakers', ...(t?.date ? ['date'] : [])].sort());
      expect(r.segmentCount).toBe(t?.segments.length);
      const file = records.files.find((f) => f.path === r.file);
      expect(file?.text.length).toBe(r.bodyOffset);
    }
  });

  it('gather the same facts', () => {
    expect(records.facts).toEqual(whole.facts);
    expect(records.facts.words).toBeGreaterThan(0);
  });

  it('gather the facts that stemming every word gives (the trie and the shared scan only skip work)', () => {
    const facts: CorpusFacts = { words: 0, segments: 0, stems: new Map() };
    const matcher = whole.matchers.get(whole.codebook?.language ?? whole.config.language);
    const wanted = new Set(matcher?.keywords.filter((k) => !k.veto && k.elements.length === 1 && k.elements[0]?.kind === 'stem').map((k) => k.elements[0]?.value as string));
    for (const t of whole.transcripts) {
      const mine = matcher?.language === t.language;
      if (mine) facts.segments += t.segments.length;
      for (const s of t.segments) {
        const tokens = tokenize(s.text, t.language);
        facts.words += tokens.length;
        const here = new Set<string>();
        for (const token of mine ? tokens : []) {
          const stem = (matcher as Matcher).stem(token.text);
          if (!wanted.has(stem)) continue;
          const h = facts.stems.get(stem) ?? { segments: 0, forms: new Map<string, number>() };
          facts.stems.set(stem, h);
          const form = token.text.toLowerCase();
          h.forms.set(form, (h.forms.get(form) ?? 0) + 1);
          if (!here.has(stem)) h.segments++;
          here.add(stem);
        }
      }
    }
    expect(facts.stems.size).toBeGreaterThan(0);
    expect(whole.facts).toEqual(facts);
  });
});
