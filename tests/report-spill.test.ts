/**
 * `verbatim report` keeps the corpus's texts in a scratch file while it picks
 * the verbatims (src/engine/text-spill.ts), never in memory whole: the
 * reports are the same as from texts in memory, the scratch file is gone
 * afterwards, and a temporary folder that cannot be written changes nothing
 * but where the texts are kept.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { memoryIo } from '../src/cli/io.js';
import { run } from '../src/cli/run.js';
import { SpillKeeper } from '../src/engine/text-spill.js';
import { fixturePath } from './helpers/analysis-fixture.js';
import { removeAll, tempProject } from './helpers/project.js';

const temps: string[] = [];
afterAll(() => temps.forEach(removeAll));
const savedTmp = process.env.TMPDIR;
afterEach(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
});

function folder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'verbatim-spill-'));
  temps.push(dir);
  return dir;
}

/** The report fixture's two reports as `verbatim report` writes them, with TMPDIR set to `tmp`. */
async function reports(tmp: string): Promise<{ code: number; err: string; fr: string; en: string }> {
  const dir = tempProject(fixturePath('report'));
  temps.push(dir);
  process.env.TMPDIR = tmp;
  const io = memoryIo(dir);
  const code = await run(['report', '--no-cache'], io);
  return { code, err: io.err, fr: readFileSync(path.join(dir, 'reports/fr.md'), 'utf8'), en: readFileSync(path.join(dir, 'reports/en.md'), 'utf8') };
}

describe('report with its texts in a scratch file', () => {
  it('writes the expected reports and leaves nothing in the temporary folder', async () => {
    const tmp = folder();
    const got = await reports(tmp);
    expect(got.code).toBe(0);
    expect(got.fr).toBe(readFileSync(path.join(fixturePath('report'), 'expected/fr.md'), 'utf8'));
    expect(got.en).toBe(readFileSync(path.join(fixturePath('report'), 'expected/en.md'), 'utf8'));
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('writes the same reports when the temporary folder cannot be written (its texts then in memory)', async () => {
    // A file where the folder should be: the scratch file cannot be made.
    const notAFolder = path.join(folder(), 'file');
    writeFileSync(notAFolder, 'not a folder\n');
    const got = await reports(notAFolder);
    expect(got.code).toBe(0);
    expect(got.err).not.toMatch(/internal error|stack/iu);
    expect(got.fr).toBe(readFileSync(path.join(fixturePath('report'), 'expected/fr.md'), 'utf8'));
    expect(got.en).toBe(readFileSync(path.join(fixturePath('report'), 'expected/en.md'), 'utf8'));
  });
});

describe('SpillKeeper', () => {
  it('gives back each text, whole or by its UTF-16 offsets (clamped to the text)', () => {
    const dir = folder();
    const keeper = new SpillKeeper(dir);
    const texts = ['Bonjour « là » 🙂 fin', '', 'é'.repeat(5000), 'abc'];
    const handles = texts.map((t) => keeper.keep(t));
    expect(keeper.failed).toBe(false);
    expect(readdirSync(dir)).toHaveLength(1);
    for (const [i, t] of texts.entries()) {
      expect(keeper.fetchRange(handles[i] as number, 2, 9)).toBe(t.slice(2, 9));
      expect(keeper.fetchRange(handles[i] as number, -3, 1e9)).toBe(t);
      expect(keeper.fetch(handles[i] as number)).toBe(t);
      expect(keeper.fetchRange(handles[i] as number, 15, 17)).toBe(t.slice(15, 17));
    }
    keeper.close();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('says it failed when its folder cannot be used, and reads nothing then', () => {
    const notAFolder = path.join(folder(), 'file');
    writeFileSync(notAFolder, '');
    const keeper = new SpillKeeper(notAFolder);
    const h = keeper.keep('texte');
    expect(keeper.failed).toBe(true);
    expect(() => keeper.fetch(h)).toThrow(/not kept/u);
    keeper.close();
  });
});
