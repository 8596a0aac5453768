/**
 * REFI-QDA export: the codebook (`.qdc`) and the whole project (`.qdpx`: a zip
 * of `project.qde` and `sources/`). Pure: data in, XML text and zip bytes out.
 *
 * - GUIDs are name-based (see `guid.ts`), so exports are stable run to run;
 *   no date is written (every date attribute is optional in the schemas).
 * - Sources are the transcripts' plain texts (markers removed, redactions
 *   masked, LF line breaks, UTF-8 without BOM); selections use code points in
 *   those texts, end exclusive.
 * - A code's definition, criteria, keywords, synthesis and memo are folded
 *   into its `<Description>` with its Verbatim id, so that they come back on import.
 */
import { zipSync, strToU8 } from 'fflate';
import { createRedactor, redactorOf, type Redactor } from '../core/redact.js';
import type { Code, Codebook, Transcript } from '../project/model.js';
import { foldDescription } from './description.js';
import {
  attributeIds,
  codesInOrder,
  distinctCodings,
  exportCoding,
  exportedText,
  selectCodings,
  uniqueTranscripts,
  type ExportInput,
  type ExportOptions,
} from './export-common.js';
import { guidFor } from './guid.js';
import { buildXml, el, type XmlElement } from './xml.js';

/** The namespaces Verbatim writes (it reads the variants tools use, see `xml.ts`). */
export const CODEBOOK_NAMESPACE = 'urn:QDA-XML:codebook:1.0';
/** See {@link CODEBOOK_NAMESPACE}. */
export const PROJECT_NAMESPACE = 'urn:QDA-XML:project:1.0';

/** The GUID of a code, from its full id. */
export const codeGuid = (id: string): string => guidFor(`code:${id}`);
/** The GUID of a transcript's source (also its file name in `sources/`). */
export const sourceGuid = (id: string): string => guidFor(`source:${id}`);

/** `#RGB` and `#RRGGBB` as `#RRGGBB`; anything else is left out. */
export function refiColor(color: string | undefined): string | undefined {
  if (!color) return undefined;
  const c = color.trim();
  if (/^#[0-9a-fA-F]{6}$/.test(c)) return c.toUpperCase();
  if (/^#[0-9a-fA-F]{3}$/.test(c)) return `#${[...c.slice(1)].map((x) => x + x).join('')}`.toUpperCase();
  return undefined;
}

/** The folded description of a code, masked. */
function codeDescription(code: Code, redactor: Redactor): string {
  return redactor.mask(
    foldDescription({
      ...(code.definition ? { definition: code.definition } : {}),
      include: code.include,
      exclude: code.exclude,
      examples: code.examples,
      keywords: code.keywords,
      patterns: code.patterns,
      unless: code.unless,
      ...(code.synthesis ? { synthesis: code.synthesis } : {}),
      ...(code.memo ? { memo: code.memo } : {}),
      id: code.id,
    }),
  );
}

/** The nested `<Code>` elements of a codebook (the same shape in QDC and QDE). */
function codeElements(codebook: Codebook, redactor: Redactor): XmlElement[] {
  const build = (id: string): XmlElement => {
    const code = codebook.codes.get(id) as Code;
    const description = codeDescription(code, redactor);
    return el('Code', { guid: codeGuid(code.id), name: redactor.mask(code.label), isCodable: 'true', color: refiColor(code.color) }, [
      description ? el('Description', {}, description) : undefined,
      ...code.children.map(build),
    ]);
  };
  return codebook.roots.map(build);
}

/** Why an export cannot be written (a user-facing message). */
export class ExportError extends Error {}

/** The codebook as a QDC document. */
export function buildQdc(codebook: Codebook | undefined, options: ExportOptions & { redactor?: Redactor } = {}): string {
  if (!codebook || codebook.roots.length === 0) throw new ExportError('The project has no codebook with codes: a QDC codebook needs at least one code.');
  return buildXml(el('CodeBook', { xmlns: CODEBOOK_NAMESPACE, origin: options.generator }, [el('Codes', {}, codeElements(codebook, options.redactor ?? createRedactor([])))]));
}

/** A transcript's description: its label, then what Verbatim needs back on import. */
export function sourceDescription(t: Transcript, redactor: Redactor): string {
  const lines = [redactor.mask(t.label)];
  const trailer: string[] = [];
  const speakers = Object.entries(t.speakers);
  if (speakers.length > 0) trailer.push(`Speakers: ${speakers.map(([k, v]) => `${redactor.mask(k)} = ${v}`).join('; ')}`);
  trailer.push(`Language: ${t.language}`);
  if (t.date) trailer.push(`Date: ${t.date}`);
  return [...lines, '', ...trailer].join('\n');
}

/** The files of a QDPX archive before zipping. */
export interface QdpxContent {
  /** `project.qde`. */
  qde: string;
  /** `sources/<guid>.txt` files. */
  sources: { path: string; text: string }[];
  /** How many codings the archive carries. */
  codings: number;
}

const USERS = {
  auto: { guid: guidFor('user:auto'), name: 'Verbatim automatic coding' },
  manual: { guid: guidFor('user:manual'), name: 'Researcher (hand coding)' },
} as const;

/** Builds `project.qde` and the source texts. */
export function buildQdpxContent(input: ExportInput, options: ExportOptions & { name?: string } = {}): QdpxContent {
  const redactor = redactorOf(input);
  const transcripts = uniqueTranscripts(input.transcripts);
  const codebook = input.codebook;
  const known = new Set(codebook?.codes.keys() ?? []);
  const codings = distinctCodings(selectCodings(input.codings, options.origin).filter((c) => known.has(c.code)));
  const codeOrder = new Map(codesInOrder(codebook).map((c) => [c.id, c.order]));

  // Variables: one per attribute, typed Text; the label and value labels ride in the description.
  const attributes = attributeIds(input);
  const declared = new Map((input.panel?.attributes ?? []).map((a) => [a.id, a]));
  const variables = attributes.map((id) => {
    const a = declared.get(id);
    const parts: string[] = [];
    if (a && a.label !== id) parts.push(redactor.mask(a.label));
    if (a && a.values.length > 0) parts.push(`Values:\n${a.values.map((v) => `- ${redactor.mask(v.id)}: ${redactor.mask(v.label)}`).join('\n')}`);
    const description = parts.join('\n\n');
    return el('Variable', { guid: guidFor(`variable:${id}`), name: redactor.mask(id), typeOfVariable: 'Text' }, [description ? el('Description', {}, description) : undefined]);
  });

  const cases = transcripts.map((t) =>
    el('Case', { guid: guidFor(`case:${t.id}`), name: t.id }, [
      el('Description', {}, redactor.mask(t.label)),
      ...attributes
        .filter((a) => t.attributes[a] !== undefined)
        .map((a) => el('VariableValue', {}, [el('VariableRef', { targetGUID: guidFor(`variable:${a}`) }), el('TextValue', {}, redactor.mask(t.attributes[a] as string))])),
      el('SourceRef', { targetGUID: sourceGuid(t.id) }),
    ]),
  );

  const usedUsers = new Set<'auto' | 'manual'>();
  const files: { path: string; text: string }[] = [];
  let carried = 0;
  const sources = transcripts.map((t) => {
    const text = exportedText(t, redactor);
    const guid = sourceGuid(t.id);
    files.push({ path: `sources/${guid}.txt`, text: text.text });
    // One selection per range, holding one Coding per code.
    const byRange = new Map<string, { start: number; end: number; quote: string; codings: { code: string; origin: 'auto' | 'manual' }[] }>();
    for (const c of codings) {
      if (c.transcript !== t.id) continue;
      const x = exportCoding(c, text);
      if (x.end <= x.start) continue;
      const key = `${x.start}:${x.end}`;
      const range = byRange.get(key) ?? { start: x.start, end: x.end, quote: x.text, codings: [] };
      range.codings.push({ code: c.code, origin: c.origin });
      byRange.set(key, range);
    }
    const selections = [...byRange.values()]
      .sort((a, b) => a.start - b.start || a.end - b.end)
      .map((r) => {
        r.codings.sort((a, b) => (codeOrder.get(a.code) ?? 0) - (codeOrder.get(b.code) ?? 0));
        const users = new Set(r.codings.map((c) => c.origin));
        const selectionUser = users.has('manual') ? 'manual' : 'auto';
        return el('PlainTextSelection', { guid: guidFor(`selection:${t.id}:${r.start}:${r.end}`), name: quoteName(r.quote), startPosition: r.start, endPosition: r.end, creatingUser: USERS[selectionUser].guid }, [
          ...r.codings.map((c) => {
            usedUsers.add(c.origin);
            carried++;
            return el('Coding', { guid: guidFor(`coding:${t.id}:${r.start}:${r.end}:${c.code}`), creatingUser: USERS[c.origin].guid }, [el('CodeRef', { targetGUID: codeGuid(c.code) })]);
          }),
        ]);
      });
    return el('TextSource', { guid, name: t.id, plainTextPath: `internal://${guid}.txt` }, [el('Description', {}, sourceDescription(t, redactor)), ...selections]);
  });

  const users = (['manual', 'auto'] as const).filter((u) => usedUsers.has(u)).map((u) => el('User', { guid: USERS[u].guid, name: USERS[u].name }));
  const name = redactor.mask(options.name ?? codebook?.title ?? 'Verbatim project');
  const root = el('Project', { xmlns: PROJECT_NAMESPACE, name, origin: options.generator }, [
    users.length > 0 ? el('Users', {}, users) : undefined,
    codebook && codebook.roots.length > 0 ? el('CodeBook', {}, [el('Codes', {}, codeElements(codebook, redactor))]) : undefined,
    variables.length > 0 ? el('Variables', {}, variables) : undefined,
    cases.length > 0 ? el('Cases', {}, cases) : undefined,
    sources.length > 0 ? el('Sources', {}, sources) : undefined,
    codebook?.description ? el('Description', {}, redactor.mask(codebook.description)) : undefined,
  ]);
  return { qde: buildXml(root), sources: files, codings: carried };
}

/** A short quote for a selection's `name` (as ATLAS.ti writes), on one line. */
function quoteName(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(one);
  return chars.length > 80 ? `${chars.slice(0, 79).join('')}…` : one;
}

/** A fixed date for zip entries (local time, so that the bytes do not depend on the time zone). */
const ZIP_DATE = new Date(2000, 0, 1, 0, 0, 0);

/** Zips a QDPX: `project.qde` then `sources/`, deflated, with fixed dates. */
export function zipQdpx(content: QdpxContent): Uint8Array {
  const entries: Record<string, Uint8Array> = { 'project.qde': strToU8(content.qde) };
  for (const s of [...content.sources].sort((a, b) => (a.path < b.path ? -1 : 1))) entries[s.path] = strToU8(s.text);
  return zipSync(entries, { level: 6, mtime: ZIP_DATE });
}
