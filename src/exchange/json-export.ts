/**
 * The whole analysed project as one JSON document, for scripts and other
 * tools: codebook, panel, transcripts (exported text and segments) and every
 * coding. Offsets are code points in each transcript's `text`; every text is
 * masked.
 */
import type { Evidence } from '../coding/matcher.js';
import { redactorOf } from '../core/redact.js';
import { attributeIds, codesInOrder, exportCoding, exportedText, selectCodings, uniqueTranscripts, type ExportInput, type ExportOptions } from './export-common.js';

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
    return [{ transcript: c.transcript, segment: c.segment, code: c.code, origin: c.origin, span: c.span, start: x.start, end: x.end, text: x.text, ...(evidence ? { evidence } : {}) }];
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
