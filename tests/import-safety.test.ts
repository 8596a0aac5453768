/**
 * `verbatim import` under hostile and unlucky input: an import is complete or
 * absent (interrupted by an error or by SIGKILL), reads no file through a
 * symbolic link and writes none through one, and refuses archives that
 * inflate past its limits before inflating them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { removeAll } from './helpers/project.js';

const repo = path.join(import.meta.dirname, '..');
const bin = path.join(repo, 'bin/verbatim.js');
const MB = 1024 * 1024;
const temps: string[] = [];
afterAll(() => temps.forEach(removeAll));

function folder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'verbatim-import-'));
  temps.push(dir);
  return dir;
}

const G = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/**
 * A REFI-QDA project of `count` interviews with a code, a coding each and a
 * variable: it imports as a codebook, `count` transcripts and a panel, and
 * checks with no error.
 */
function project(count: number, text = (i: number): string => `Bonjour, je suis la personne ${i}.\nJe parle du quartier et de la mairie.`): { qde: string; files: Record<string, Uint8Array> } {
  const files: Record<string, Uint8Array> = {};
  let sources = '';
  let cases = '';
  for (let i = 0; i < count; i++) {
    files[`sources/${G(1000 + i)}.txt`] = strToU8(text(i));
    sources += `<TextSource guid="${G(1000 + i)}" name="Interview ${i}" plainTextPath="internal://${G(1000 + i)}.txt"><PlainTextSelection guid="${G(100000 + i)}" startPosition="0" endPosition="7"><Coding guid="${G(200000 + i)}"><CodeRef targetGUID="${G(1)}"/></Coding></PlainTextSelection></TextSource>`;
    cases += `<Case guid="${G(300000 + i)}" name="Interview ${i}"><VariableValue><VariableRef targetGUID="${G(2)}"/><TextValue>g${i % 2}</TextValue></VariableValue><SourceRef targetGUID="${G(1000 + i)}"/></Case>`;
  }
  const qde = `<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1:0" name="Study"><CodeBook><Codes><Code guid="${G(1)}" name="Greeting" isCodable="true"><Description>A greeting.</Description></Code></Codes></CodeBook><Variables><Variable guid="${G(2)}" name="Group" typeOfVariable="Text"/></Variables><Cases>${cases}</Cases><Sources>${sources}</Sources></Project>`;
  return { qde, files };
}

function qdpx(dir: string, name: string, p: { qde: string; files: Record<string, Uint8Array> }, level: 0 | 6 | 9 = 6): string {
  const file = path.join(dir, name);
  writeFileSync(file, zipSync({ 'project.qde': strToU8(p.qde), ...p.files }, { level }));
  return file;
}

/** `megabytes` of a repeated French sentence. */
function repetitive(megabytes: number, line = 'R: Le café est bon et la mairie travaille avec les associations du quartier.\n'): Uint8Array {
  const bytes = new Uint8Array(megabytes * MB);
  const one = strToU8(line);
  for (let i = 0; i < bytes.length; i += one.length) bytes.set(one.subarray(0, Math.min(one.length, bytes.length - i)), i);
  return bytes;
}

describe('archives that inflate past the limits are refused before they are inflated', () => {
  it('a 60 MB text source, under the limit, imports within a 640 MB heap', () => {
    const dir = folder();
    const p = project(1);
    // Paragraphs of some 400 characters (each paragraph costs memory of its own when the transcript is parsed back).
    p.files[`sources/${G(1000)}.txt`] = repetitive(60, `R: ${'Le café est bon et la mairie travaille avec les associations du quartier. '.repeat(5)}\n`);
    qdpx(dir, 'long.qdpx', p);
    const started = performance.now();
    const r = spawnSync(process.execPath, ['--max-old-space-size=640', bin, 'import', 'long.qdpx'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(performance.now() - started).toBeLessThan(60_000);
    const transcript = readFileSync(path.join(dir, 'long/corpus/Interview-0.md'), 'utf8');
    expect(transcript).toContain('R: [Le c]{#greeting}afé est bon');
    expect(transcript.length).toBeGreaterThan(60 * 1_000_000);
  });
});
