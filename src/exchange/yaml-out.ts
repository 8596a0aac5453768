/**
 * Writing the YAML files of an imported project: transcript front matter,
 * the codebook and the panel, in the layout Verbatim's own files use.
 */
import { stringify } from 'yaml';
import type { Role } from '../project/model.js';
import type { CodeText } from './description.js';

const OPTIONS = { lineWidth: 0, indent: 2, indentSeq: true, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN' } as const;

function yaml(value: unknown): string {
  return stringify(value, OPTIONS);
}

/** What an imported transcript's front matter holds. */
export interface FrontMatter {
  id: string;
  label?: string;
  attributes?: Record<string, string>;
  date?: string;
  language?: string;
  speakers: Record<string, Role>;
  redact?: string[];
  /** The researcher's notes on the interview (never shown in reports). */
  notes?: string;
  /** YAML comment lines put after the data (hints for the researcher), without `#`. */
  comments?: string[];
}

/** The front matter block, `---` lines included, followed by a blank line. */
export function frontMatter(meta: FrontMatter): string {
  const data: Record<string, unknown> = { id: meta.id };
  if (meta.label !== undefined) data.label = meta.label;
  data.attributes = meta.attributes ?? {};
  if (meta.date) data.date = meta.date;
  if (meta.language) data.language = meta.language;
  data.speakers = meta.speakers;
  if (meta.redact && meta.redact.length > 0) data.redact = meta.redact;
  if (meta.notes) data.notes = meta.notes;
  const comments = (meta.comments ?? []).map((c) => `# ${c}\n`).join('');
  return `---\n${yaml(data)}${comments}---\n\n`;
}

/** A code to write in an imported codebook. */
export interface ImportedCode extends Omit<CodeText, 'id'> {
  /** Local id. */
  id: string;
  label: string;
  color?: string;
  children: ImportedCode[];
}

function codeData(c: ImportedCode): Record<string, unknown> {
  const d: Record<string, unknown> = { id: c.id, label: c.label };
  if (c.color) d.color = c.color;
  if (c.definition) d.definition = c.definition;
  for (const k of ['include', 'exclude', 'examples', 'keywords', 'patterns', 'unless'] as const) if (c[k].length > 0) d[k] = c[k];
  if (c.synthesis) d.synthesis = c.synthesis;
  if (c.memo) d.memo = c.memo;
  if (c.children.length > 0) d.children = c.children.map(codeData);
  return d;
}

/** A codebook file. */
export function codebookYaml(meta: { id: string; title: string; description?: string; source: string }, codes: readonly ImportedCode[]): string {
  const data: Record<string, unknown> = { id: meta.id, title: meta.title };
  if (meta.description) data.description = meta.description;
  data.codes = codes.map(codeData);
  return `# Imported by \`verbatim import\` from ${meta.source}.\n${yaml(data)}`;
}

/** A panel attribute to write. */
export interface ImportedAttribute {
  id: string;
  label: string;
  /** Declared values (id → label); empty for a free attribute. */
  values: { id: string; label: string }[];
}

/** A panel file. */
export function panelYaml(attributes: readonly ImportedAttribute[], source: string): string {
  const data = {
    attributes: Object.fromEntries(
      attributes.map((a) => [a.id, { label: a.label, ...(a.values.length > 0 ? { values: Object.fromEntries(a.values.map((v) => [v.id, v.label])) } : {}) }]),
    ),
  };
  return `# Imported by \`verbatim import\` from ${source}.\n${yaml(data)}`;
}
