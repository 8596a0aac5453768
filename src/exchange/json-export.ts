/**
 * The whole analysed project as one JSON document, for scripts and other
 * tools: codebook, panel, transcripts (exported text and segments) and every
 * coding. Offsets are code points in each transcript's `text`; every text is
 * masked.
 *
 * Written as the transcripts come ({@link JsonWriter}): the document is
 * `JSON.stringify(doc, null, 2)` of the whole, made a part at a time; the
 * codings, which come after the transcripts, wait in scratch storage.
 */
import type { Coding } from '../coding/code-transcript.js';
import type { Evidence } from '../coding/matcher.js';
import type { Transcript } from '../project/model.js';
import { codesInOrder, exportCoding, exportedText, selectCodings, type ExportedText, type ExportInput, type ExportOptions } from './export-common.js';
import { Groups, joinText, scratchText, textOut, writeInMemory, type ExportMeta, type ExportTarget, type ExportWriter, type Scratch } from './export-writer.js';

/** The version of the JSON layout; bumped on any incompatible change. */
export const JSON_EXPORT_VERSION = 1;

/**
 * Elements of one of the document's arrays (`transcripts`, `codings`) as the
 * whole document writes them: each at its indentation, joined by `,` and a
 * line break. They are laid out by `JSON.stringify` itself, inside an object
 * that puts them at the depth they have in the document, whose wrapping is
 * then cut off (which is faster than indenting each line again).
 */
function elements(values: readonly unknown[]): string {
  const json = JSON.stringify({ a: values }, null, 2);
  return json.slice(WRAP_START.length, json.length - WRAP_END.length);
}
const WRAP_START = '{\n  "a": [\n    ';
const WRAP_END = '\n  ]\n}';

/** Codings are written to scratch storage this many at a time. */
const BATCH = 500;

/** The JSON export, as a writer. */
export class JsonWriter implements ExportWriter {
  private meta!: ExportMeta;
  private out!: (text: string) => void;
  private codingParts!: Scratch;
  private groups!: Groups<{ text: ExportedText }>;
  private transcripts = 0;
  codings = 0;

  constructor(private readonly target: ExportTarget) {}

  begin(meta: ExportMeta): void {
    this.meta = meta;
    this.out = textOut(this.target, 'json');
    this.codingParts = this.target.scratch();
    this.groups = new Groups(meta.shared, (t) => ({ text: exportedText(t, meta.redactor) }));
    const m = (s: string): string => meta.redactor.mask(s);
    const mList = (l: readonly string[]): string[] => l.map(m);
    const codebook = meta.codebook
      ? {
          id: meta.codebook.id,
          title: m(meta.codebook.title),
          ...(meta.codebook.version ? { version: meta.codebook.version } : {}),
          ...(meta.codebook.language ? { language: meta.codebook.language } : {}),
          ...(meta.codebook.description ? { description: m(meta.codebook.description) } : {}),
          codes: codesInOrder(meta.codebook).map((c) => ({
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
    const declared = new Map((meta.panel?.attributes ?? []).map((a) => [a.id, a]));
    const panel = {
      attributes: meta.attributes.map((id) => {
        const a = declared.get(id);
        return { id, label: m(a?.label ?? id), values: (a?.values ?? []).map((v) => ({ id: m(v.id), label: m(v.label) })) };
      }),
    };
    const head = {
      format: 'verbatim-project',
      version: JSON_EXPORT_VERSION,
      ...(meta.generator ? { generator: meta.generator } : {}),
      offsets: 'code points in transcripts[].text, end exclusive',
      codebook,
      panel,
    };
    // The document up to `"transcripts": `: the head without its closing `\n}`.
    this.out(`${JSON.stringify(head, null, 2).slice(0, -2)},\n  "transcripts": `);
  }

  add(t: Transcript, codings: readonly Coding[]): void {
    const { first, state } = this.groups.next(t);
    const m = (s: string): string => this.meta.redactor.mask(s);
    const text = state.text;
    if (first) {
      const at = (o: number, side: 'start' | 'end'): number => text.codePoints(text.toText(o, side));
      const element = {
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
      this.out(`${this.transcripts === 0 ? '[\n    ' : ',\n    '}${elements([element])}`);
      this.transcripts++;
    }
    // The codings of every transcript of the id, on the text of the first, written to scratch storage a few hundred at a time.
    let batch: unknown[] = [];
    const flush = (): void => {
      if (batch.length === 0) return;
      this.codingParts.write(`${this.codings === batch.length ? '' : ',\n    '}${elements(batch)}`);
      batch = [];
    };
    for (const c of selectCodings(codings, this.meta.origin)) {
      const x = exportCoding(c, text);
      const evidence = c.evidence?.map((e: Evidence) => {
        const s = text.toText(e.start, 'start');
        const end = text.toText(e.end, 'end');
        return { keyword: m(e.keyword), kind: e.kind, start: text.codePoints(s), end: text.codePoints(end), text: text.text.slice(s, end) };
      });
      batch.push({ transcript: c.transcript, segment: c.segment, code: c.code, origin: c.origin, ...(c.accepted ? { accepted: true } : {}), span: c.span, start: x.start, end: x.end, text: x.text, ...(evidence ? { evidence } : {}) });
      this.codings++;
      if (batch.length >= BATCH) flush();
    }
    flush();
  }

  end(): void {
    this.out(this.transcripts === 0 ? '[]' : '\n  ]');
    this.out(',\n  "codings": ');
    if (this.codings === 0) this.out('[]');
    else {
      this.out('[\n    ');
      for (const piece of scratchText(this.codingParts)) this.out(piece);
      this.out('\n  ]');
    }
    this.out('\n}\n');
    this.codingParts.dispose();
  }
}

/** Builds the JSON export (pretty-printed, final newline) of a loaded project, in memory. */
export function projectJson(input: ExportInput, options: ExportOptions = {}): string {
  return joinText(writeInMemory(input, (target) => new JsonWriter(target), options).chunks);
}
