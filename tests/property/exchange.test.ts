/**
 * Property tests of the importers: the REFI-QDA reader (XML, codebooks,
 * projects), zip archives, WebVTT/SRT captions and plain-text transcripts.
 * Random and mutated inputs never throw; what they produce is a transcript
 * the parser reads, with the source's words kept.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { SourceFile } from '../../src/core/source-file.js';
import { loadProject } from '../../src/engine/load-project.js';
import { codeProject } from '../../src/engine/pipeline.js';
import type { ImportResult } from '../../src/exchange/import-common.js';
import { importRefiCodebook, importRefiProject } from '../../src/exchange/import-refi.js';
import { buildQdc, buildQdpxContent } from '../../src/exchange/refi-export.js';
import { parseRefi } from '../../src/exchange/refi-parse.js';
import { parseCaptions } from '../../src/exchange/subtitles.js';
import { importCaptions, importPlainTranscript } from '../../src/exchange/transcript-import.js';
import { parseXml } from '../../src/exchange/xml.js';
import { readZip } from '../../src/exchange/zip.js';
import { parseCodebook } from '../../src/project/codebook.js';
import { DEFAULT_SPEAKERS } from '../../src/project/model.js';
import { parseTranscript } from '../../src/project/transcript.js';
import { mutated, nastyString, ROOT, RUNS, TRANSCRIPTS } from './helpers.js';

const FIXTURE = path.join(ROOT, 'tests/fixtures/exchange');
const exported = buildQdpxContent(codeProject(loadProject(path.join(FIXTURE, 'project'))), { generator: 'Verbatim 0.0.0' });
const QDE = exported.qde;
const QDC = buildQdc(codeProject(loadProject(path.join(FIXTURE, 'project'))).codebook, { generator: 'Verbatim 0.0.0' });
const SOURCES = new Map(exported.sources.map((s) => [s.path, strToU8(s.text)]));
const CAPTIONS = ['teams.vtt', 'zoom.vtt', 'whisper.srt'].map((n) => readFileSync(path.join(FIXTURE, n), 'utf8'));
const TXT = readFileSync(path.join(FIXTURE, 'interview.txt'), 'utf8');

const XML_TOKENS = ['<', '>', '</', '/>', '<Project>', '</Project>', '<CodeBook>', '<Codes>', '<Code ', 'guid="', 'name="', '"', "'", '&amp;', '&lt;', '&#0;', '&#x1F600;', '&unknown;', '<![CDATA[', ']]>', '<!--', '-->', '<!DOCTYPE x [<!ENTITY e "&e;">]>', '<?xml version="1.0"?>', ' ', '\n', 'x', '=', 'isCodable="true"', '<Sources>', '<TextSource ', 'startPosition="', 'endPosition="', '-1', '99999999999', '{'];
const xmlish = fc.oneof(fc.array(fc.constantFrom(...XML_TOKENS), { maxLength: 80 }).map((t) => t.join('')), nastyString);

/** Each written transcript parses, with no broken marker, and the codebook too. */
function expectReadable(result: ImportResult): void {
  for (const f of result.files) {
    expect(f.path).not.toMatch(/(^|\/)\.\.(\/|$)|^\//);
    const file = new SourceFile(f.path, f.content);
    if (f.path.endsWith('.md')) {
      const t = parseTranscript(file, { language: 'fr', speakers: DEFAULT_SPEAKERS, codeInterviewer: false });
      expect(t, file.messages.map((m) => m.message).join('\n')).toBeDefined();
      expect(file.messages.filter((m) => m.ruleId === 'marker-syntax' || m.ruleId === 'yaml-syntax')).toEqual([]);
    } else if (f.path.startsWith('codebooks/')) {
      expect(parseCodebook(file)).toBeDefined();
      expect(file.messages.filter((m) => m.severity === 'error')).toEqual([]);
    }
  }
}

describe('REFI-QDA reader (property)', () => {
  it('parseXml and parseRefi never throw on random text: a value or a message', () => {
    fc.assert(
      fc.property(xmlish, (text) => {
        const x = parseXml(text);
        if (!x.ok) expect(x.message).toMatch(/\S/);
        const r = parseRefi(text);
        if (!r.ok) expect(r.message).toMatch(/\S/);
      }),
      { numRuns: RUNS.random },
    );
  });

  it('mutated project.qde: parse and import never throw; what is written reads back', () => {
    fc.assert(
      fc.property(mutated([QDE]), (text) => {
        const r = parseRefi(text);
        if (!r.ok) return void expect(r.message).toMatch(/\S/);
        const result = r.value.kind === 'project' ? importRefiProject(r.value, SOURCES, { name: 'p', source: 'p.qdpx' }) : importRefiCodebook(r.value, { name: 'c', source: 'c.qdc' });
        expectReadable(result);
      }),
      { numRuns: RUNS.slow },
    );
  });

  it('mutated .qdc: parse and import never throw; the codebook reads back', () => {
    fc.assert(
      fc.property(mutated([QDC]), (text) => {
        const r = parseRefi(text);
        if (!r.ok) return void expect(r.message).toMatch(/\S/);
        if (r.value.kind === 'codebook') expectReadable(importRefiCodebook(r.value, { name: 'c', source: 'c.qdc' }));
      }),
      { numRuns: RUNS.slow },
    );
  });

  it('deep nesting and entity tricks are refused or read, never a crash', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 1, max: 400 }), fc.constant(50_000)), (depth) => {
        const r = parseRefi(`<CodeBook><Codes>${'<Code guid="a" name="x" isCodable="true">'.repeat(depth)}${'</Code>'.repeat(depth)}</Codes></CodeBook>`);
        if (!r.ok) expect(r.message).toMatch(/\S/);
      }),
      { numRuns: 20 },
    );
  });
});

describe('zip archives (property)', () => {
  const archive = zipSync({ 'project.qde': strToU8(QDE), ...Object.fromEntries([...SOURCES].map(([k, v]) => [k, v])) });
  it('random and damaged archives give files or a reason, never a crash', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([at, bytes]) => {
        const copy = archive.slice();
        copy.set(bytes.subarray(0, Math.max(0, copy.length - (at % copy.length))), at % copy.length);
        return copy;
      })), (bytes) => {
        const z = readZip(bytes);
        if (!z.ok) expect(z.message).toMatch(/\S/);
        else for (const name of z.files.keys()) expect(name).not.toMatch(/(^|\/)\.\.(\/|$)|^\//);
      }),
      { numRuns: RUNS.random },
    );
  });
});

describe('transcript importers (property)', () => {
  /** Text as words: white space and the escapes the importer adds do not count. */
  const words = (s: string): string => s.replace(/\\/g, '').replace(/\s+/g, ' ').trim();
  const body = (content: string): string => content.slice(content.indexOf('\n---\n') + 5);

  it('plain text: never throws, parses back, and keeps every word of the source', () => {
    fc.assert(
      fc.property(fc.oneof(nastyString, mutated([TXT, ...TRANSCRIPTS.slice(0, 3)])), (text) => {
        const result = importPlainTranscript(text, { id: 'T1', corpus: 'corpus', source: 't.txt' });
        expect(result.files).toHaveLength(1);
        expectReadable(result);
        expect(words(body(result.files[0]!.content))).toBe(words(text));
      }),
      { numRuns: RUNS.random },
    );
  });

  it('every fixture transcript, imported as plain text, keeps every byte of its words and markers', () => {
    for (const text of [TXT, ...TRANSCRIPTS]) {
      const result = importPlainTranscript(text, { id: 'T1', corpus: 'corpus', source: 't.txt' });
      expectReadable(result);
      const written = body(result.files[0]!.content);
      expect(words(written)).toBe(words(text));
      // Markers are kept as text (escaped), so that nothing of the researcher's coding is lost.
      expect(written.replace(/\\(?=\{[#!<>])/g, '').replace(/\s+/g, ' ').trim()).toBe(text.replace(/\s+/g, ' ').trim());
    }
  });

  it('captions: random and mutated WebVTT/SRT never throw and parse back', () => {
    fc.assert(
      fc.property(fc.oneof(nastyString, mutated(CAPTIONS)), (text) => {
        for (const cue of parseCaptions(text)) {
          expect(Number.isFinite(cue.start)).toBe(true);
          expect(cue.text).not.toBe('');
        }
        expectReadable(importCaptions(text, { id: 'T1', corpus: 'corpus', source: 't.vtt', interviewers: ['Claire'] }));
      }),
      { numRuns: RUNS.random },
    );
  });
});
