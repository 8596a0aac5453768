/**
 * Validates YAML data against the JSON Schemas in `schemas/` (the same files
 * editors use through `# yaml-language-server: $schema=…`) and turns schema
 * errors into positioned diagnostics with messages that say what to do.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { SourceFile } from '../core/source-file.js';
import { didYouMean, listNames } from '../core/suggest.js';
import type { DataPath, YamlData } from './yaml-source.js';

export type SchemaName = 'codebook' | 'panel' | 'plan' | 'transcript' | 'config';

/** `id` as a code id may be written (accents dropped, other characters as `-`), or undefined when nothing is left. */
function asciiId(id: string): string | undefined {
  const ascii = id
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^[-_]+|-+$/g, '');
  return /^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(ascii) ? ascii : undefined;
}

/** Names a place in the data for messages, e.g. "code `freins.etat`". */
export type Describe = (path: DataPath) => string;

let ajv: Ajv | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();

/** The folder of the JSON Schemas, beside `src/` and `dist/`. */
export const schemaDir = new URL('../../schemas/', import.meta.url);

/**
 * The validators compiled at build time by scripts/build-validators.js
 * (dist/yaml/validators.cjs); undefined when running from the sources.
 */
let prebuilt: Partial<Record<SchemaName, ValidateFunction>> | undefined | null;

function validator(name: SchemaName): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    if (prebuilt === undefined) {
      try {
        prebuilt = createRequire(import.meta.url)('./validators.cjs') as Partial<Record<SchemaName, ValidateFunction>>;
      } catch {
        prebuilt = null;
      }
    }
    v = prebuilt?.[name];
    if (!v) {
      // From the sources (tests): compile now, with the same options as the build.
      // ajv itself is loaded only here: the built program never needs its compiler.
      if (!ajv) {
        const { Ajv: AjvClass } = createRequire(import.meta.url)('ajv') as { Ajv: new (options: object) => Ajv };
        ajv = new AjvClass({ allErrors: true, verbose: true, strict: false });
      }
      const schema = JSON.parse(readFileSync(new URL(`${name}.schema.json`, schemaDir), 'utf8')) as object;
      v = ajv.compile(schema);
    }
    compiled.set(name, v);
  }
  return v;
}

/**
 * Checks `yaml.data` against a schema; reports every violation on `file`.
 *
 * @returns
 *   true when the data is valid.
 */
export function validateSchema(name: SchemaName, yaml: YamlData, file: SourceFile, describe: Describe = defaultDescribe): boolean {
  const validate = validator(name);
  if (validate(yaml.data)) return true;
  for (const error of prune(validate.errors ?? [])) report(error, yaml, file, describe);
  return false;
}

/** Drops the branch errors of a failed anyOf: one message for the whole choice is clearer. */
function prune(errors: readonly ErrorObject[]): ErrorObject[] {
  const choices = errors.filter((e) => e.keyword === 'anyOf');
  return errors.filter(
    (e) => !choices.some((c) => c !== e && e.schemaPath.startsWith(`${c.schemaPath}/`) && e.instancePath.startsWith(c.instancePath)),
  );
}

function toPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function report(error: ErrorObject, yaml: YamlData, file: SourceFile, describe: Describe): void {
  const path = toPath(error.instancePath);
  const where = describe(path);
  const last = path[path.length - 1];
  const name = typeof last === 'string' ? `\`${last}\`` : 'this item';
  const description = (error.parentSchema as { description?: string } | undefined)?.description;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = (error.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const hint = allowed.length > 0 ? didYouMean(key, allowed) : '';
      file.report('unknown-key', `Unknown key \`${key}\` in ${where}${hint || '; remove it or fix its spelling.'}`, yaml.nearest([...path, key], 'key'), {
        ...(allowed.length > 0 ? { note: `Known keys: ${listNames(allowed, 'and')}.` } : {}),
      });
      return;
    }
    case 'required': {
      const key = (error.params as { missingProperty: string }).missingProperty;
      const rule = key === 'label' ? 'missing-label' : 'missing-key';
      const why = key === 'label' ? ': it names the code in tables and reports' : '';
      file.report(rule, `Missing \`${key}\` in ${where}; add one${why}.`, startOf(yaml, path));
      return;
    }
    case 'minLength': {
      if (last === 'label') {
        file.report('missing-label', `Empty \`label\` in ${describe(path.slice(0, -1))}; write the name shown in reports.`, yaml.nearest(path));
      } else file.report('invalid-value', `${name} in ${where} must not be empty.`, yaml.nearest(path));
      return;
    }
    case 'type': {
      const expected = (error.params as { type: string | string[] }).type;
      const types = (Array.isArray(expected) ? expected : String(expected).split(',')).map(typeName);
      file.report('invalid-type', `${capital(name)} in ${describe(path.slice(0, -1))} must be ${[...new Set(types)].join(' or ')}, not ${kindOf(error.data)}.`, yaml.nearest(path));
      return;
    }
    case 'anyOf': {
      file.report('invalid-type', `${capital(name)} in ${describe(path.slice(0, -1))} has the wrong form${description ? `: ${lower(description)}` : ''}`.replace(/\.?$/, '.'), yaml.nearest(path));
      return;
    }
    case 'enum': {
      const allowed = ((error.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
      const value = shown(error.data);
      file.report('invalid-value', `${capital(name)} in ${describe(path.slice(0, -1))} must be ${listNames(allowed)}, not \`${value}\`${didYouMean(value, allowed).replace(/^; /, ' (').replace(/\?$/, ')')}.`, yaml.nearest(path));
      return;
    }
    case 'pattern': {
      if (last === 'id') {
        const id = shown(error.data);
        const asAscii = asciiId(String(error.data));
        file.report('invalid-id', `The id \`${id}\` in ${describe(path.slice(0, -1))} is not valid: a code id is ASCII letters (without accents) and digits, with \`-\` or \`_\` after the first one, and no space or dot${asAscii && asAscii !== id ? `: write \`${asAscii}\`` : ''} (nest codes with \`children\`: the full id is the dotted path of the ids).`, yaml.nearest(path));
        return;
      }
      const rule = error.schemaPath.includes('propertyNames') ? 'invalid-id' : 'invalid-value';
      file.report(rule, `${capital(name)} \`${shown(error.data)}\` in ${describe(path.slice(0, -1))} is not valid${description ? `: ${lower(description)}` : ''}`.replace(/\.?$/, '.'), yaml.nearest(path));
      return;
    }
    case 'propertyNames': {
      const key = (error.params as { propertyName: string }).propertyName;
      file.report('invalid-id', `The name \`${key}\` in ${where} is not valid: use letters, digits, \`-\` and \`_\`.`, yaml.nearest([...path, key], 'key'));
      return;
    }
    default: {
      file.report('invalid-value', `${capital(name)} in ${describe(path.slice(0, -1))} ${error.message ?? 'is not valid'}.`, yaml.nearest(path));
    }
  }
}

function startOf(yaml: YamlData, path: DataPath): [number, number] {
  const r = yaml.nearest(path);
  return [r[0], r[0]];
}

function typeName(t: string): string {
  switch (t) {
    case 'string':
      return 'a text';
    case 'array':
      return 'a list';
    case 'object':
      return 'a mapping (`key: value` lines)';
    case 'integer':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'boolean':
      return '`true` or `false`';
    default:
      return t;
  }
}

/** A value for a message: scalars as written, a list or mapping by its kind (never its `toString`, which YAML can set). */
function shown(value: unknown): string {
  return typeof value === 'object' && value !== null ? kindOf(value) : String(value);
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'a text';
  if (typeof value === 'boolean') return `\`${String(value)}\``;
  return `the number ${String(value)}`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function lower(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** "`codes[0].children[2]`", or "the file" at the root. */
export function defaultDescribe(path: DataPath): string {
  if (path.length === 0) return 'the file';
  return `\`${path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('')}\``;
}
