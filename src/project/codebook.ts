/** Codebook parser: nested codes with dotted full ids, positions for every keyword. */
import { checkId } from '../core/ids.js';
import type { SourceFile } from '../core/source-file.js';
import { validateSchema } from '../yaml/schema.js';
import { parseYaml, type DataPath, type YamlData } from '../yaml/yaml-source.js';
import type { Code, Codebook, Language } from './model.js';

/**
 * Parses a codebook file. Returns undefined when the YAML is unreadable; schema
 * violations are reported and the codes that can be read are kept.
 */
export function parseCodebook(file: SourceFile): Codebook | undefined {
  const yaml = parseYaml(file);
  if (!yaml) return undefined;
  validateSchema('codebook', yaml, file, (path) => describeCodebookPath(yaml.data, path));
  const data = isRecord(yaml.data) ? yaml.data : {};
  const codes = new Map<string, Code>();
  const roots: string[] = [];
  const name = file.path.replace(/^.*\//, '').replace(/\.[^.]*$/, '');

  const walk = (list: unknown, path: DataPath, parent: Code | undefined): void => {
    if (!Array.isArray(list)) return;
    list.forEach((raw, i) => {
      const here = [...path, i];
      if (!isRecord(raw) || (typeof raw.id !== 'string' && typeof raw.id !== 'number')) return;
      const localId = String(raw.id).trim();
      if (localId === '' || localId.includes('.')) {
        if (localId.includes('.')) {
          file.report('invalid-id', `The id \`${localId}\` contains a dot: write the local id only (\`${localId.split('.').pop() ?? ''}\`) and nest the code under its parent with \`children\`.`, yaml.nearest([...here, 'id']));
        }
        return;
      }
      const id = parent ? `${parent.id}.${localId}` : localId;
      const range = yaml.nearest([...here, 'id']);
      const first = codes.get(id);
      if (first) {
        const p = file.lines.point(first.range[0]);
        file.report('duplicate-code-id', `Duplicate code id \`${id}\`, first defined at ${p.line}:${p.column}; rename one of them.`, range);
        return;
      }
      const label = typeof raw.label === 'string' && raw.label.trim() !== '' ? raw.label.trim() : localId;
      const code: Code = {
        id,
        localId,
        label,
        ...(optionalText(raw.definition) ? { definition: optionalText(raw.definition) } : {}),
        include: texts(raw.include),
        exclude: texts(raw.exclude),
        examples: texts(raw.examples),
        ...words(raw.keywords, 'keywords', here, yaml),
        ...strings(raw.patterns, here, yaml),
        ...unless(raw.unless, here, yaml),
        ...(optionalText(raw.synthesis) ? { synthesis: optionalText(raw.synthesis) } : {}),
        ...(optionalText(raw.memo) ? { memo: optionalText(raw.memo) } : {}),
        ...(typeof raw.color === 'string' ? { color: raw.color } : {}),
        ...(parent ? { parent: parent.id } : {}),
        children: [],
        depth: parent ? parent.depth + 1 : 0,
        order: codes.size,
        range,
      };
      codes.set(id, code);
      if (parent) parent.children.push(id);
      else roots.push(id);
      walk(raw.children, [...here, 'children'], code);
    });
  };
  walk(data.codes, ['codes'], undefined);

  for (const code of codes.values()) {
    if (!code.definition) {
      file.report('missing-definition', `Code \`${code.id}\` has no \`definition\`: say when a researcher should apply it, so that coders agree.`, code.range);
    }
  }
  const language = data.language === 'fr' || data.language === 'en' ? (data.language as Language) : undefined;
  if (typeof data.id === 'string') checkId(file, data.id, 'The codebook id', yaml.nearest(['id']));
  else checkId(file, name, 'The codebook id', [0, 0], 'it comes from the file name: rename the file, or set `id` in the codebook');
  return {
    file: file.path,
    id: typeof data.id === 'string' ? data.id : name,
    title: typeof data.title === 'string' ? data.title : name,
    ...(data.version !== undefined && data.version !== null ? { version: String(data.version) } : {}),
    ...(language ? { language } : {}),
    ...(typeof data.description === 'string' ? { description: data.description } : {}),
    codes,
    roots,
  };
}

function words(value: unknown, key: 'keywords', path: DataPath, yaml: YamlData): { keywords: string[]; keywordRanges: (readonly [number, number])[] } {
  const keywords: string[] = [];
  const keywordRanges: (readonly [number, number])[] = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      if (typeof v !== 'string' && typeof v !== 'number') return;
      keywords.push(String(v).trim());
      keywordRanges.push(yaml.nearest([...path, key, i]));
    });
  }
  return { keywords, keywordRanges };
}

function unless(value: unknown, path: DataPath, yaml: YamlData): { unless: string[]; unlessRanges: (readonly [number, number])[] } {
  const r = words(value, 'keywords', [], yaml);
  // Ranges are looked up under `unless`, not `keywords`.
  const unlessRanges = r.keywords.map((_, i) => yaml.nearest([...path, 'unless', i]));
  return { unless: r.keywords, unlessRanges };
}

function strings(value: unknown, path: DataPath, yaml: YamlData): { patterns: string[]; patternRanges: (readonly [number, number])[] } {
  const patterns: string[] = [];
  const patternRanges: (readonly [number, number])[] = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      if (typeof v !== 'string') return;
      patterns.push(v);
      patternRanges.push(yaml.nearest([...path, 'patterns', i]));
    });
  }
  return { patterns, patternRanges };
}

function texts(value: unknown): string[] {
  if (typeof value === 'string') return value.trim() === '' ? [] : [value.trim()];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string').map((v) => v.trim()).filter((v) => v !== '');
  return [];
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** "code `freins.etat`" for a data path inside `codes`, the generic form otherwise. */
function describeCodebookPath(data: unknown, path: DataPath): string {
  const ids: string[] = [];
  let node: unknown = data;
  let i = 0;
  let last = -1;
  while (i < path.length) {
    const key = path[i];
    if ((key === 'codes' || key === 'children') && isRecord(node) && Array.isArray(node[key]) && typeof path[i + 1] === 'number') {
      node = (node[key] as unknown[])[path[i + 1] as number];
      ids.push(isRecord(node) && (typeof node.id === 'string' || typeof node.id === 'number') ? String(node.id) : `#${(path[i + 1] as number) + 1}`);
      i += 2;
      last = i;
    } else break;
  }
  if (ids.length === 0) return path.length === 0 ? 'the codebook' : `\`${path.join('.')}\``;
  const code = `code \`${ids.join('.')}\``;
  return last === path.length ? code : `\`${path.slice(last).join('.')}\` of ${code}`;
}
