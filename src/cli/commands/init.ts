/** `verbatim init [dir]`: scaffold a small working project. Never overwrites a file. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

export async function init(dir: string | undefined, options: InitOptions, ctx: Context): Promise<ExitCode> {
  if (options.language !== 'fr' && options.language !== 'en') throw new UsageError('--language takes `fr` or `en`.');
  const target = path.resolve(ctx.io.cwd, dir ?? '.');
  const files = options.language === 'en' ? INIT_FILES_EN : INIT_FILES_FR;
  const written: string[] = [];
  const kept: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(target, name);
    if (existsSync(file) && !options.force) {
      kept.push(name);
      continue;
    }
    writeFileSafely(file, content, { replaceLink: options.force === true });
    written.push(name);
  }
  // The JSON Schemas, so that editors validate while researchers type.
  const schemas = path.join(target, 'schemas');
  if (!existsSync(schemas) || options.force) {
    // One atomic write per schema, like every other file Verbatim writes.
    const from = fileURLToPath(schemaDir);
    for (const name of readdirSync(from).filter((n) => n.endsWith('.json')).sort()) {
      writeFileSafely(path.join(schemas, name), readFileSync(path.join(from, name)), { replaceLink: options.force === true });
    }
    written.push('schemas/');
  }
  const rel = path.relative(ctx.io.cwd, target) || '.';
  for (const w of written) ctx.io.stdout(`created ${path.join(rel, w)}\n`);
  for (const k of kept) ctx.io.stderr(`kept ${path.join(rel, k)} (it exists; --force overwrites)\n`);
  ctx.io.stdout(`\nNext: cd ${rel} && verbatim check\n`);
  return EXIT.ok;
}
