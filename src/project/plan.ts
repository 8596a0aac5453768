/** Report plan parser (`reports/<name>.plan.yaml`). */
import type { SourceFile } from '../core/source-file.js';
import { validateSchema } from '../yaml/schema.js';
import { parseYaml } from '../yaml/yaml-source.js';
import { REPORT_FORMATS, SECTION_KINDS, type Plan, type PlanSection, type SectionKind } from './model.js';

const KINDS: readonly SectionKind[] = SECTION_KINDS;

/** Parses a plan; returns undefined when its YAML is unreadable. */
export function parsePlan(file: SourceFile): Plan | undefined {
  const yaml = parseYaml(file);
  if (!yaml) return undefined;
  validateSchema('plan', yaml, file, (path) =>
    path[0] === 'sections' && typeof path[1] === 'number'
      ? `section ${path[1] + 1}${path.length > 2 ? ` (\`${path.slice(2).join('.')}\`)` : ''}`
      : path.length === 0
        ? 'the plan'
        : `\`${path.join('.')}\``,
  );
  const data = isRecord(yaml.data) ? yaml.data : {};
  const name = file.path.replace(/^.*\//, '').replace(/\.plan\.ya?ml$/, '').replace(/\.ya?ml$/, '');
  const sections: PlanSection[] = [];
  if (Array.isArray(data.sections)) {
    data.sections.forEach((raw, i) => {
      if (!isRecord(raw) || !KINDS.includes(raw.kind as SectionKind)) return;
      const list = (key: 'codes' | 'by'): { values: string[]; ranges: (readonly [number, number])[] } => {
        const v = raw[key];
        if (typeof v === 'string') return { values: [v], ranges: [yaml.nearest(['sections', i, key])] };
        if (!Array.isArray(v)) return { values: [], ranges: [] };
        const values: string[] = [];
        const ranges: (readonly [number, number])[] = [];
        v.forEach((x, j) => {
          if (typeof x !== 'string') return;
          values.push(x);
          ranges.push(yaml.nearest(['sections', i, key, j]));
        });
        return { values, ranges };
      };
      const codes = list('codes');
      const by = list('by');
      sections.push({
        kind: raw.kind as SectionKind,
        ...(typeof raw.title === 'string' ? { title: raw.title } : {}),
        ...(typeof raw.text === 'string' ? { text: raw.text } : {}),
        codes: codes.values,
        codeRanges: codes.ranges,
        by: by.values,
        byRanges: by.ranges,
        ...(raw.unit === 'respondents' || raw.unit === 'segments' ? { unit: raw.unit } : {}),
        ...(typeof raw.verbatims === 'number' ? { verbatims: raw.verbatims } : {}),
        ...(typeof raw.chart === 'boolean' ? { chart: raw.chart } : {}),
        ...(raw.origin === 'all' || raw.origin === 'auto' || raw.origin === 'manual' ? { origin: raw.origin } : {}),
        ...(raw.quotes === 'reviewed' || raw.quotes === 'all' ? { quotes: raw.quotes } : {}),
        range: yaml.nearest(['sections', i]),
      });
    });
  }
  return {
    file: file.path,
    name,
    title: typeof data.title === 'string' ? data.title : name,
    ...(typeof data.subtitle === 'string' ? { subtitle: data.subtitle } : {}),
    ...(typeof data.author === 'string' ? { author: data.author } : {}),
    ...(typeof data.period === 'string' ? { period: data.period } : {}),
    ...(data.language === 'fr' || data.language === 'en' ? { language: data.language } : {}),
    ...(typeof data.output === 'string' ? { output: data.output, outputRange: yaml.nearest(['output']) } : {}),
    verbatims: typeof data.verbatims === 'number' ? data.verbatims : 3,
    toc: data.toc !== false,
    ...(data.quotes === 'reviewed' || data.quotes === 'all' ? { quotes: data.quotes } : {}),
    ...(Array.isArray(data.formats) && data.formats.length > 0 && data.formats.every((f) => (REPORT_FORMATS as readonly unknown[]).includes(f)) ? { formats: REPORT_FORMATS.filter((f) => (data.formats as unknown[]).includes(f)) } : {}),
    ...themeOf(data.theme),
    ...(isRecord(data.theme) && typeof data.theme.logo === 'string' ? { logoRange: yaml.nearest(['theme', 'logo']) } : {}),
    sections,
  };
}

/** The `theme:` of a plan, its colours as RRGGBB (a value the schema refuses is left out: check reports it). */
function themeOf(raw: unknown): { theme?: NonNullable<Plan['theme']> } {
  if (!isRecord(raw)) return {};
  const theme: NonNullable<Plan['theme']> = {};
  if (typeof raw.font === 'string' && raw.font.trim() !== '') theme.font = raw.font.trim();
  if (typeof raw.logo === 'string' && raw.logo.trim() !== '') theme.logo = raw.logo.trim();
  const colors = isRecord(raw.colors) ? raw.colors : {};
  for (const key of ['accent', 'text', 'muted'] as const) {
    const v = colors[key];
    if (typeof v === 'string' && /^#?[0-9A-Fa-f]{6}$/u.test(v)) theme[key] = v.replace(/^#/u, '').toUpperCase();
  }
  return Object.keys(theme).length > 0 ? { theme } : {};
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
