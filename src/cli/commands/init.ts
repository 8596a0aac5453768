/** `verbatim init [dir]`: scaffold a small working project. Never overwrites a file without `--force`. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileSafely } from '../../engine/write.js';
import { schemaDir } from '../../yaml/schema.js';
import { EXIT, UsageError, type Context, type ExitCode } from '../context.js';
import { INIT_FILES_EN, INIT_FILES_FR } from './init-templates.js';

export interface InitOptions {
  language: string;
  force?: boolean;
}

/** The folder of names that must never be committed (`.verbatim/redact.txt`), as `.gitignore` lists it. */
const LOCAL_FOLDER = '.verbatim/';

/** `verbatim init [dir]`: writes the example project into `dir` (default: the current folder). */
export async function init(dir: string | undefined, options: InitOptions, ctx: Context): Promise<ExitCode> {
  if (options.language !== 'fr' && options.language !== 'en') throw new UsageError('--language takes `fr` or `en`.');
  const target = path.resolve(ctx.io.cwd, dir ?? '.');
  refuseFileAsFolder(ctx, target);
  const files = options.language === 'en' ? INIT_FILES_EN : INIT_FILES_FR;
  const replaceLink = options.force === true;
  const written: string[] = [];
  const kept: string[] = [];
  const notes: string[] = [];
  // A folder that holds a study already gets what it lacks to be a project (config, .gitignore, schemas), never the examples beside its own files.
  const existing = existingProject(target);
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(target, name);
    if (existing.length > 0 && isSample(name)) continue;
    if (name === '.gitignore' && existsSync(file)) {
      // The researcher's own .gitignore is never replaced, even with --force: only the line it needs is added.
      if (addIgnoredFolder(file, replaceLink)) notes.push(`added ${LOCAL_FOLDER} to ${name} (the names to mask in ${LOCAL_FOLDER}redact.txt must never be committed)`);
      continue;
    }
    if (existsSync(file) && !options.force) {
      kept.push(name);
      continue;
    }
    writeFileSafely(file, content, { replaceLink });
    written.push(name);
  }
  // The JSON Schemas, so that editors validate while researchers type.
  const schemas = path.join(target, 'schemas');
  if (!existsSync(schemas) || options.force) {
    // One atomic write per schema, like every other file Verbatim writes.
    const from = fileURLToPath(schemaDir);
    for (const name of readdirSync(from).filter((n) => n.endsWith('.json')).sort()) {
      writeFileSafely(path.join(schemas, name), readFileSync(path.join(from, name)), { replaceLink });
    }
    written.push('schemas/');
  }
  const rel = path.relative(ctx.io.cwd, target) || '.';
  for (const w of written) ctx.io.stdout(`created ${path.join(rel, w)}\n`);
  for (const n of notes) ctx.io.stdout(`${n}\n`);
  for (const k of kept) ctx.io.stderr(`kept ${path.join(rel, k)} (it exists; --force overwrites)\n`);
  if (existing.length > 0) {
    ctx.io.stdout(`${written.length + notes.length === 0 ? 'nothing to add: ' : ''}${rel === '.' ? 'this folder' : rel} already holds a project (${existing.join(', ')}), so the example panel, transcript, codebook and plan were not added\n`);
  }
  ctx.io.stdout(`\nNext: cd ${rel} && verbatim check\n`);
  return EXIT.ok;
}

/** The example files of the templates (the rest is what any project needs: `verbatim.yaml`, `.gitignore`). */
function isSample(name: string): boolean {
  return name.startsWith('corpus/') || name.startsWith('codebooks/') || name.startsWith('reports/');
}

/** What `target` holds of a study already, for the message: `2 transcripts`, `a codebook`, `1 plan` (empty for a new folder). */
function existingProject(target: string): string[] {
  const names = (folder: string, recursive: boolean): string[] => {
    try {
      return readdirSync(path.join(target, folder), { recursive }).map(String);
    } catch {
      return [];
    }
  };
  const transcripts = names('corpus', true).filter((n) => /\.md$/iu.test(n)).length;
  const codebooks = names('codebooks', false).filter((n) => /\.ya?ml$/iu.test(n)).length;
  const plans = names('reports', false).filter((n) => /\.plan\.ya?ml$/iu.test(n)).length;
  const found: string[] = [];
  if (transcripts > 0) found.push(`${transcripts} transcript${transcripts === 1 ? '' : 's'}`);
  if (codebooks > 0) found.push(codebooks === 1 ? 'a codebook' : `${codebooks} codebooks`);
  if (plans > 0) found.push(`${plans} plan${plans === 1 ? '' : 's'}`);
  return found;
}

/** A usage error when `target`, or the nearest of its parents that exists, is a file: init makes a project in a folder. */
function refuseFileAsFolder(ctx: Context, target: string): void {
  for (let p = target; ; p = path.dirname(p)) {
    let isFolder: boolean | undefined;
    try {
      isFolder = statSync(p).isDirectory();
    } catch {
      // Not there (yet): look at its parent.
    }
    if (isFolder === false) {
      const shown = path.relative(ctx.io.cwd, p) || p;
      throw new UsageError(`\`${shown.split(path.sep).join('/')}\` is a file, not a folder: give \`verbatim init\` a folder for the project (a new one, or an existing one).`);
    }
    if (isFolder === true || path.dirname(p) === p) return;
  }
}

/** Lines of a `.gitignore` that already keep `.verbatim/` out of git. */
const IGNORES_LOCAL_FOLDER = new Set(['.verbatim', '.verbatim/', '/.verbatim', '/.verbatim/', '.verbatim/*', '.verbatim/**', '/.verbatim/*', '/.verbatim/**']);

/**
 * Appends `.verbatim/` to an existing `.gitignore` that lacks it, keeping
 * every other byte (its line ends, a BOM, an encoding that is not UTF-8).
 * Returns true when the line was added.
 */
function addIgnoredFolder(file: string, replaceLink: boolean): boolean {
  const bytes = readFileSync(file);
  // Latin-1 maps each byte to one character: the lines can be read whatever the encoding.
  const text = bytes.toString('latin1').replace(/^\u00ef\u00bb\u00bf/u, '');
  if (text.split(/\r\n|\n|\r/u).some((line) => IGNORES_LOCAL_FOLDER.has(line.trim()))) return false;
  const eol = text.includes('\r\n') ? '\r\n' : !text.includes('\n') && text.includes('\r') ? '\r' : '\n';
  const separator = text === '' || /[\r\n]$/u.test(text) ? '' : eol;
  writeFileSafely(file, Buffer.concat([bytes, Buffer.from(`${separator}${LOCAL_FOLDER}${eol}`, 'latin1')]), { replaceLink });
  return true;
}
