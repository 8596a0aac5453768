/**
 * A code's definition, criteria and the rest of what Verbatim knows about it,
 * folded into the one free-text `<Description>` REFI-QDA has, and read back.
 *
 * ```
 * Le répondant attribue la difficulté à…      ← definition
 *
 * Include:
 * - first criterion
 *
 * Exclude:
 * - …
 *
 * Verbatim id: freins.etat                    ← keeps the id through other tools
 * ```
 * Descriptions written by other tools have none of these headings: all of it
 * becomes the definition.
 */
import type { Code } from '../project/model.js';

/** The parts of a code that travel in its description. */
export type CodeText = Pick<Code, 'definition' | 'include' | 'exclude' | 'examples' | 'keywords' | 'patterns' | 'unless' | 'synthesis' | 'memo'> & {
  /** The full id the code had in Verbatim. */
  id?: string;
};

type ListKey = 'include' | 'exclude' | 'examples' | 'keywords' | 'patterns' | 'unless';
type TextKey = 'synthesis' | 'memo';

const SECTIONS: readonly { heading: string; key: ListKey | TextKey; list: boolean }[] = [
  { heading: 'Include', key: 'include', list: true },
  { heading: 'Exclude', key: 'exclude', list: true },
  { heading: 'Examples', key: 'examples', list: true },
  { heading: 'Keywords', key: 'keywords', list: true },
  { heading: 'Patterns', key: 'patterns', list: true },
  { heading: 'Unless', key: 'unless', list: true },
  { heading: 'Synthesis', key: 'synthesis', list: false },
  { heading: 'Memo', key: 'memo', list: false },
];

const ID_LINE = /^Verbatim id: ([A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9][A-Za-z0-9_-]*)*)$/;

/** Folds a code's texts into one description; empty when there is nothing to say. */
export function foldDescription(code: CodeText): string {
  const blocks: string[] = [];
  if (code.definition?.trim()) blocks.push(code.definition.trim());
  for (const s of SECTIONS) {
    if (s.list) {
      const items = (code[s.key as ListKey] ?? []).map((i) => i.trim()).filter((i) => i !== '');
      if (items.length > 0) blocks.push(`${s.heading}:\n${items.map((i) => `- ${i.replace(/\r\n|\r|\n/g, '\n  ')}`).join('\n')}`);
    } else {
      const text = (code[s.key as TextKey] ?? '').trim();
      if (text) blocks.push(`${s.heading}:\n${text}`);
    }
  }
  if (code.id) blocks.push(`Verbatim id: ${code.id}`);
  return blocks.join('\n\n');
}

/** Reads a description back; text outside the known headings is the definition. */
export function unfoldDescription(description: string | undefined): CodeText {
  const out: CodeText = { include: [], exclude: [], examples: [], keywords: [], patterns: [], unless: [] };
  if (!description) return out;
  const lines = description.replace(/\r\n?/g, '\n').split('\n');
  const idLine = lines.map((l) => ID_LINE.exec(l.trim())).findLast((m) => m !== null);
  if (idLine) out.id = idLine[1];
  const headings = new Map(SECTIONS.map((s) => [`${s.heading}:`, s]));
  let current: (typeof SECTIONS)[number] | undefined;
  const definition: string[] = [];
  const texts = new Map<TextKey, string[]>();
  for (const line of lines) {
    if (ID_LINE.test(line.trim())) continue;
    const heading = headings.get(line.trim());
    if (heading) {
      current = heading;
      continue;
    }
    if (!current) {
      definition.push(line);
      continue;
    }
    if (current.list) {
      const list = out[current.key as ListKey];
      if (/^\s*[-*•] /.test(line)) list.push(line.replace(/^\s*[-*•] /, ''));
      else if (/^\s+\S/.test(line) && list.length > 0) list[list.length - 1] += `\n${line.trim()}`;
      else if (line.trim() !== '') list.push(line.trim());
    } else {
      const t = texts.get(current.key as TextKey) ?? [];
      t.push(line);
      texts.set(current.key as TextKey, t);
    }
  }
  const def = definition.join('\n').trim();
  if (def) out.definition = def;
  for (const [key, t] of texts) {
    const v = t.join('\n').trim();
    if (v) out[key] = v;
  }
  for (const s of SECTIONS) if (s.list) out[s.key as ListKey] = out[s.key as ListKey].map((i) => i.trim()).filter((i) => i !== '');
  return out;
}
