/**
 * Transcript parser: front matter (YAML with positions in the file), paragraphs,
 * speaker markers, timestamps and inline coding markers. Pure: text in, data
 * and diagnostics out.
 */
import { append } from '../core/arrays.js';
import { checkId, checkValue } from '../core/ids.js';
import type { Diagnostic } from '../core/diagnostic.js';
import type { SourceFile } from '../core/source-file.js';
import { validateSchema } from '../yaml/schema.js';
import { parseYaml, type YamlData } from '../yaml/yaml-source.js';
import { escapeCuts, scanMarkers, type RawMarker } from './markers.js';
import { redactStrings } from './redact-list.js';
import type { Language, ManualCoding, Paragraph, Respondent, Role, Transcript } from './model.js';

/** Project-level defaults a transcript can override. */
export interface TranscriptOptions {
  language: Language;
  speakers: Readonly<Record<string, Role>>;
  /** Code interviewer paragraphs too. */
  codeInterviewer: boolean;
}

/** Front matter: `---` on the first line, closed by `---` or `...`. */
const OPEN = /^---[ \t]*(?:\r\n|\n|\r)/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*(?:\r\n|\n|\r|$)/m;
/** A time such as `00:12:03`, `12:03` or `00:12:03.250` (shared with the importers). */
export const TIME_SOURCE = String.raw`(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?`;
const TIMESTAMP = new RegExp(String.raw`\[(${TIME_SOURCE})\][ \t]*`, 'y');
/**
 * A speaker label and its colon: `**Q :**`, `**Q:**`, `**Q** :`, `Q :`, `Q:`, the label in group
 * 1, 2 or 3; the parser checks it against `speakers` (shared with the importers, which find the
 * labels of imported texts).
 */
export const SPEAKER_SOURCE = String.raw`(?:\*\*([^*\n:]{1,40}?)[ \t]*:[ \t]*\*\*|\*\*([^*\n:]{1,40}?)\*\*[ \t]*:|([^\s*:[#{][^*\n:]{0,39}?)[ \t]*:(?=[ \t]|$))`;
const SPEAKER = new RegExp(String.raw`${SPEAKER_SOURCE}[ \t]*`, 'my');
/**
 * The usual labels of the one who asks, folded (lower case, no accents): an
 * undeclared `**Enquêteur :**` or `Interviewer:` is the interviewer's turn,
 * not respondent text (with an `unknown-speaker` warning that says so).
 */
const INTERVIEWER_LABELS = new Set(['q', 'i', 'interviewer', 'intervieweur', 'intervieweuse', 'enqueteur', 'enquetrice', 'enqueteuse', 'moderator', 'moderateur', 'moderatrice', 'animateur', 'animatrice', 'facilitator']);
/** The usual labels of the one who answers, folded: the turn after an undeclared interviewer label is still an answer. */
const RESPONDENT_LABELS = new Set(['r', 'repondant', 'repondante', 'respondent', 'enquete', 'enquetee', 'interviewe', 'interviewee', 'participant', 'participante']);

/** A label folded for the lists above: lower case, accents and the trailing `·e`/`(e)` of inclusive writing dropped. */
function foldLabel(label: string): string {
  return label.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/(?:[·.]e|\(e\))$/u, '').trim();
}

/** The role an undeclared label has by default: the usual interviewer and respondent labels, in French and English. */
export function defaultRoleOf(label: string): Role | undefined {
  const folded = foldLabel(label);
  return INTERVIEWER_LABELS.has(folded) ? 'interviewer' : RESPONDENT_LABELS.has(folded) ? 'respondent' : undefined;
}

/** True for a label that names the interviewer in words (`Interviewer`, `Enquêtrice`…), not a letter. */
export function isInterviewerWord(label: string): boolean {
  const folded = foldLabel(label);
  return folded.length > 1 && INTERVIEWER_LABELS.has(folded);
}
const HEADING = /^#{1,6}(?:[ \t]|$)/;
const COMMENT = /^<!--[\s\S]*-->\s*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What the front matter says, and where the body starts. */
export type TranscriptHeader = Omit<Respondent, 'segmentCount'>;

/**
 * Parses a transcript. Returns undefined only when the file is unusable
 * (broken front matter); every other mistake is a diagnostic on `file`.
 */
/**
 * Where an offset of a transcript's plain text is in its file, as a terminal
 * or an editor opens it: `corpus/T03.md:12` (the file's path as diagnostics
 * give it, relative to the project, and the line). `file` is the transcript's
 * own file, as read.
 */
export function locationOf(t: Pick<Transcript, 'file' | 'toSource'>, file: SourceFile, offset: number): string {
  return `${t.file}:${file.lines.point(t.toSource(offset)).line}`;
}

export function parseTranscript(file: SourceFile, options: TranscriptOptions): Transcript | undefined {
  const header = parseFrontMatter(file, options);
  if (!header) return undefined;
  const body = readBody(file, header.bodyOffset, header.speakers, options.codeInterviewer);
  if (body.segments.length === 0) reportNoRespondentText(file, header);
  return { ...header, ...body, segmentCount: body.segments.length };
}

/** The `no-respondent-text` warning (shared with the byte-level tally, which finds no segment by itself). */
export function reportNoRespondentText(file: SourceFile, header: TranscriptHeader): void {
  file.report('no-respondent-text', `No respondent paragraph: nothing in \`${header.id}\` can be coded. Start the answers with a speaker marker declared as \`respondent\` in \`speakers\` (by default \`**R :**\`).`, [header.bodyOffset, header.bodyOffset]);
}

/**
 * Parses the front matter. `file.text` may stop right after it (the byte-level
 * tally decodes no more): nothing here looks past the closing `---`.
 */
export function parseFrontMatter(file: SourceFile, options: TranscriptOptions): TranscriptHeader | undefined {
  const text = file.text;
  const fallbackId = file.path.replace(/^.*\//, '').replace(/\.[^.]*$/, '');
  let bodyOffset = 0;
  let yaml: YamlData | undefined;
  const open = OPEN.exec(text);
  if (open) {
    const rest = text.slice(open[0].length);
    const close = CLOSE.exec(rest);
    if (!close) {
      file.fail('yaml-syntax', 'The front matter opened on line 1 is never closed: add a line `---` after it.', [0, 3]);
      return undefined;
    }
    const yamlStart = open[0].length;
    const yamlEnd = yamlStart + close.index;
    bodyOffset = yamlEnd + close[0].length;
    yaml = parseYaml(file, yamlStart, yamlEnd);
    if (!yaml) return undefined;
    if (yaml.data !== null && yaml.data !== undefined) validateSchema('transcript', yaml, file, describeFrontMatter);
  }
  const meta = isRecord(yaml?.data) ? yaml.data : {};
  const positions = new Map<string, readonly [number, number]>();
  const at = (key: string, ...path: (string | number)[]): void => {
    const r = yaml?.range(path);
    if (r) positions.set(key, r);
  };

  const named = typeof meta.id === 'string' || typeof meta.id === 'number';
  const id = named ? String(meta.id) : fallbackId;
  if (named) checkId(file, id, 'The transcript id', yaml?.nearest(['id']));
  else checkId(file, id, 'The transcript id', [0, 0], 'it comes from the file name: rename the file, or set `id` in the front matter');
  at('id', 'id');
  at('label', 'label');
  const attributes: Record<string, string> = {};
  if (isRecord(meta.attributes)) {
    for (const [k, v] of Object.entries(meta.attributes)) {
      if (v === null || v === undefined || typeof v === 'object') continue;
      attributes[k] = String(v);
      at(`attributes.${k}`, 'attributes', k);
      const key = yaml?.range(['attributes', k], 'key');
      if (key) positions.set(`attributes.${k}:key`, key);
      checkId(file, k, 'The attribute id', key);
      checkValue(file, attributes[k], k, positions.get(`attributes.${k}`));
    }
  }
  let date: string | undefined;
  if (typeof meta.date === 'string') {
    date = meta.date;
    at('date', 'date');
    if (!DATE.test(date) || Number.isNaN(Date.parse(date))) {
      file.report('invalid-date', `The date \`${date}\` is not a valid YYYY-MM-DD date.`, yaml?.nearest(['date']));
    }
  }
  // An entry whose role is not one has its own `invalid-value`: the label keeps its default role (if it has one), so that its paragraphs are not all misread too.
  const speakers: Record<string, Role> = {};
  if (isRecord(meta.speakers)) {
    for (const [label, role] of Object.entries(meta.speakers)) {
      if (isRole(role)) {
        speakers[label] = role;
        if (role === 'respondent' && isInterviewerWord(label)) warnInterviewerAsRespondent(file, label, yaml?.nearest(['speakers', label]));
      } else if (Object.hasOwn(options.speakers, label) && isRole(options.speakers[label])) speakers[label] = options.speakers[label] as Role;
    }
  } else Object.assign(speakers, options.speakers);
  const language: Language = meta.language === 'en' || meta.language === 'fr' ? meta.language : options.language;
  const redact = redactStrings(meta.redact);
  const label = typeof meta.label === 'string' && meta.label.trim() !== '' ? meta.label.trim() : id;
  if (label === id) {
    file.report('missing-respondent-label', `No \`label\` in the front matter: reports will show the id \`${id}\`; add a pseudonymous description such as \`label: Un maire d'une commune rurale\`.`, yaml ? yaml.nearest([]) : [0, 0]);
  }
  return { file: file.path, id, label, attributes, ...(date ? { date } : {}), language, speakers, redact, bodyOffset, positions };
}

/**
 * `Interviewer: respondent`: kept as declared, since the researcher wrote it,
 * but an interviewer's words coded as answers are rarely what is meant (shared
 * with `verbatim.yaml`'s `speakers`).
 */
export function warnInterviewerAsRespondent(file: SourceFile, label: string, range: readonly [number, number] | undefined): void {
  file.report('invalid-value', `Speaker \`${label}\` is declared a \`respondent\`, so the questions of an interviewer would be coded as answers: write \`${label}: interviewer\` if it is the one who asks (or rename the label if it really answers).`, range, { severity: 'warning' });
}

interface Body {
  plain: string;
  paragraphs: Paragraph[];
  segments: Paragraph[];
  codings: ManualCoding[];
  toSource(offset: number): number;
}

interface Block {
  start: number;
  end: number;
}

/** Splits the body into paragraphs (runs of non-blank lines), without building a string per line. */
function blocks(text: string, from: number): Block[] {
  const out: Block[] = [];
  let current: Block | undefined;
  // Line ends: \n, \r\n, or a lone \r (old Mac files), found natively.
  const eolRe = text.includes('\r', from) ? /\r\n|\r|\n/g : /\n/g;
  let pos = from;
  const n = text.length;
  while (pos < n) {
    eolRe.lastIndex = pos;
    const m = eolRe.exec(text);
    const end = m ? m.index : n;
    const nextLine = m ? m.index + m[0].length : n;
    let k = pos;
    while (k < end) {
      const c = text.charCodeAt(k);
      if (!isLineSpace(c)) break;
      k++;
    }
    if (k === end) {
      if (current) out.push(current);
      current = undefined;
    } else if (current) current.end = end;
    else current = { start: pos, end };
    pos = nextLine;
  }
  if (current) out.push(current);
  return out;
}

/** Headings and comments are kept for offsets but never coded; `raw` is the whole paragraph. */
export function blockKind(raw: string): 'heading' | 'comment' | undefined {
  return HEADING.test(raw) ? 'heading' : COMMENT.test(raw) ? 'comment' : undefined;
}

/** What opens a paragraph: a timestamp, a speaker label, in either order. */
export interface Head {
  /** Where the paragraph's words start. */
  pos: number;
  timestamp: number | undefined;
  /** A declared speaker label, and its role. */
  speaker?: string;
  role?: Role;
  /**
   * A label that `speakers` does not declare: any bold one, and the usual
   * interviewer and respondent labels written plain; `role` is the role such a
   * usual label has by default (the head's `role` too), undefined for another.
   */
  unknown?: { name: string; range: readonly [number, number]; role?: Role };
}

/** Reads the timestamp and speaker label that may open the paragraph `text[start, end)`. */
export function readHead(text: string, start: number, end: number, speakers: Record<string, Role>): Head {
  const head: Head = { pos: start, timestamp: undefined };
  const readTimestamp = (): void => {
    TIMESTAMP.lastIndex = head.pos;
    const t = TIMESTAMP.exec(text);
    if (t && head.pos + t[0].length <= end) {
      head.timestamp ??= seconds(t[1] as string);
      head.pos += t[0].length;
    }
  };
  readTimestamp();
  SPEAKER.lastIndex = head.pos;
  const s = SPEAKER.exec(text);
  if (s && head.pos + s[0].length <= end) {
    const name = (s[1] ?? s[2] ?? s[3] ?? '').trim();
    // Own keys only: `constructor :` or `toString :` must not find Object.prototype's functions.
    const declared = Object.hasOwn(speakers, name) && isRole(speakers[name]) ? speakers[name] : undefined;
    if (declared) {
      head.speaker = name;
      head.role = declared;
      head.pos += s[0].length;
      readTimestamp();
    } else {
      const usual = defaultRoleOf(name);
      const range = [head.pos, head.pos + s[0].trimEnd().length] as const;
      if (usual) {
        // `**Enquêteur :**`: the interviewer's turn, the label not part of the text.
        head.unknown = { name, range, role: usual };
        head.speaker = name;
        head.role = usual;
        head.pos += s[0].length;
        readTimestamp();
      } else if ((s[1] ?? s[2]) !== undefined && name !== '') {
        // Any other bold label: its paragraph goes on as the previous speaker's, label included, as before; say so.
        head.unknown = { name, range };
      }
    }
  }
  return head;
}

function readBody(file: SourceFile, bodyOffset: number, speakers: Record<string, Role>, codeInterviewer: boolean): Body {
  const text = file.text;
  const cuts: [number, number][] = [];
  // One shape for every paragraph (no conditional spreads): V8 keeps such objects fast.
  interface Pending {
    role: Role;
    kind: Paragraph['kind'];
    speaker: string | undefined;
    timestamp: number | undefined;
    sourceStart: number;
    sourceEnd: number;
    contentStart: number;
    markers: RawMarker[];
  }
  const pending: Pending[] = [];
  let speaker: string | undefined;
  let role: Role = 'respondent';
  // One warning per undeclared label, at its first paragraph, with the number of paragraphs it opens.
  const seen = new Map<string, { count: number; diagnostic: Diagnostic }>();
  const undeclared = ({ name, range, role: usual }: NonNullable<Head['unknown']>): void => {
    const earlier = seen.get(name);
    if (earlier) {
      earlier.count++;
      earlier.diagnostic.note = unknownSpeakerNote(speakers, earlier.count);
      return;
    }
    const taken = usual === 'interviewer'
      ? 'it is taken as the interviewer (its paragraphs are not coded)'
      : usual === 'respondent'
        ? 'it is taken as a respondent (its paragraphs are coded)'
        : speaker === undefined
          ? 'its paragraphs are read as respondent text, label included'
          : `its paragraphs are read as the text of \`${speaker}\` before it, label included`;
    const diagnostic = file.report('unknown-speaker', `Speaker \`${name}\` is not declared: ${taken}. Add \`${name}: ${usual ?? 'interviewer'}\` (or \`${usual === 'respondent' ? 'interviewer' : 'respondent'}\`) under \`speakers\` in the front matter.`, range, { note: unknownSpeakerNote(speakers, 1) });
    seen.set(name, { count: 1, diagnostic });
  };
  for (const block of blocks(text, bodyOffset)) {
    const kind = blockKind(text.slice(block.start, block.end));
    if (kind) {
      append(cuts, escapeCuts(text, block.start, block.end));
      pending.push({ role: 'other', kind, speaker: undefined, timestamp: undefined, sourceStart: block.start, sourceEnd: block.end, contentStart: block.end, markers: [] });
      continue;
    }
    const head = readHead(text, block.start, block.end, speakers);
    if (head.role) {
      speaker = head.speaker;
      role = head.role;
    }
    if (head.unknown) undeclared(head.unknown);
    const pos = head.pos;
    const timestamp = head.timestamp;
    const scanned = scanMarkers(file, pos, block.end);
    append(cuts, scanned.cuts);
    pending.push({
      role,
      kind: 'text',
      speaker,
      timestamp,
      sourceStart: block.start,
      sourceEnd: block.end,
      contentStart: pos,
      markers: scanned.markers,
    });
  }

  // The plain text is the body minus the markers.
  cuts.sort((a, b) => a[0] - b[0]);
  const { plain, toPlain, toSource } = removeCuts(text, bodyOffset, cuts);

  const paragraphs: Paragraph[] = [];
  const segments: Paragraph[] = [];
  for (const p of pending) {
    const [start, end] = trimSpaces(plain, toPlain(p.contentStart), toPlain(p.sourceEnd));
    const paragraph: Paragraph = {
      index: paragraphs.length,
      role: p.role,
      speaker: p.speaker,
      segment: undefined,
      timestamp: p.timestamp,
      start,
      end,
      sourceStart: p.sourceStart,
      sourceEnd: p.sourceEnd,
      text: plain.slice(start, end),
      kind: p.kind,
    };
    const coded = paragraph.kind === 'text' && paragraph.text !== '' && (paragraph.role === 'respondent' || (codeInterviewer && paragraph.role === 'interviewer'));
    if (coded) {
      paragraph.segment = segments.length + 1;
      segments.push(paragraph);
    }
    paragraphs.push(paragraph);
  }

  const codings = collectCodings(file, pending, paragraphs, toPlain);
  return { plain, paragraphs, segments, codings, toSource };
}

/** The note of an `unknown-speaker` warning: what is declared, and how many paragraphs the label opens. */
function unknownSpeakerNote(speakers: Record<string, Role>, count: number): string {
  const declared = `Declared: ${Object.keys(speakers).map((k) => `\`${k}\``).join(', ') || 'none'}.`;
  return count > 1 ? `${declared} ${count} paragraphs start with this label.` : declared;
}

/** Text with cuts removed, and the maps between its offsets and the original's. */
export interface Plain {
  plain: string;
  /** Original offset → plain offset (offsets inside a cut map to the cut's position). */
  toPlain(src: number): number;
  /** Plain offset → original offset. */
  toSource(offset: number): number;
}

/** `text` from `from` on, minus `cuts` (sorted, disjoint); two sorted arrays map offsets both ways. */
export function removeCuts(text: string, from: number, cuts: readonly (readonly [number, number])[]): Plain {
  const pieces: string[] = [];
  const cutStarts: number[] = [];
  const removedBefore: number[] = [];
  let last = from;
  let removed = 0;
  for (const [s, e] of cuts) {
    pieces.push(text.slice(last, s));
    cutStarts.push(s);
    removedBefore.push(removed);
    removed += e - s;
    last = e;
  }
  pieces.push(text.slice(last));
  const plain = pieces.join('');
  const cutEnds = cuts.map((c) => c[1]);
  const toPlain = (src: number): number => {
    let lo = 0;
    let hi = cutStarts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cutStarts[mid] as number) < src) lo = mid + 1;
      else hi = mid;
    }
    // lo = number of cuts starting before src
    if (lo === 0) return src - from;
    const k = lo - 1;
    const inside = src < (cutEnds[k] as number) ? src - (cutStarts[k] as number) : (cutEnds[k] as number) - (cutStarts[k] as number);
    return src - from - (removedBefore[k] as number) - inside;
  };
  const plainCutPos = cutStarts.map(toPlain);
  const toSource = (offset: number): number => {
    let lo = 0;
    let hi = plainCutPos.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((plainCutPos[mid] as number) <= offset) lo = mid + 1;
      else hi = mid;
    }
    const k = lo - 1;
    if (k < 0) return offset + from;
    return offset + from + (removedBefore[k] as number) + ((cutEnds[k] as number) - (cutStarts[k] as number));
  };
  return { plain, toPlain, toSource };
}

/** `[start, end)` without the spaces (`isSpace`) at either end. */
export function trimSpaces(text: string, start: number, end: number): [number, number] {
  let a = start;
  let b = end;
  while (a < b && isSpace(text.charCodeAt(a))) a++;
  while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
  return [a, b];
}

/** Turns raw markers into codings, each once (`duplicate-marker` for a repeat); pairs `{>code}` with the next `{<code}`. */
function collectCodings(
  file: SourceFile,
  pending: { markers: RawMarker[] }[],
  paragraphs: Paragraph[],
  toPlain: (src: number) => number,
): ManualCoding[] {
  const codings: ManualCoding[] = [];
  const open = new Map<string, { at: number; marker: readonly [number, number] }[]>();
  const covered = (start: number, end: number): number[] => coveredParagraphs(paragraphs, start, end);
  // A code once per paragraph, a span once: a repeated marker adds nothing but copies of the same coding in every output.
  const first = new Map<string, readonly [number, number]>();
  const add = (coding: ManualCoding): void => {
    const key = coding.kind === 'span' ? `span ${coding.code} ${coding.start} ${coding.end}` : `${coding.kind} ${coding.code} ${coding.paragraphs[0] as number}`;
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, coding.marker);
      codings.push(coding);
      return;
    }
    const line = file.lines.point(earlier[0]).line;
    const what = coding.kind === 'span' ? `This span of \`${coding.code}\` repeats the one marked on line ${line}` : `\`${coding.code}\` is already ${coding.kind === 'reject' ? 'rejected' : 'coded'} on this paragraph (line ${line})`;
    file.report('duplicate-marker', `${what}: the repeat counts once; remove it.`, coding.marker);
  };
  pending.forEach((p, index) => {
    // Markers alone in a paragraph belong to the paragraph above.
    let target = paragraphs[index] as Paragraph;
    if (target.text === '') {
      for (let j = index - 1; j >= 0; j--) {
        const q = paragraphs[j] as Paragraph;
        if (q.kind === 'text' && q.text !== '') {
          target = q;
          break;
        }
      }
    }
    for (const m of p.markers) {
      for (const code of m.codes) {
        switch (m.type) {
          case 'add':
          case 'reject':
            add({ code: code.id, kind: m.type === 'add' ? 'paragraph' : 'reject', start: target.start, end: target.end, paragraphs: [target.index], marker: code.range });
            break;
          case 'span': {
            const [s, e] = m.span as readonly [number, number];
            const start = toPlain(s);
            const end = toPlain(e);
            if (end <= start) {
              file.report('marker-syntax', 'Empty span `[]`: put the coded words between the brackets.', m.range);
              break;
            }
            add({ code: code.id, kind: 'span', start, end, paragraphs: [target.index], marker: code.range });
            break;
          }
          case 'begin': {
            const stack = open.get(code.id) ?? [];
            stack.push({ at: toPlain(m.range[1]), marker: code.range });
            open.set(code.id, stack);
            break;
          }
          case 'end': {
            const begin = open.get(code.id)?.pop();
            if (!begin) {
              file.report('marker-syntax', `\`{<${code.id}}\` ends a span that was never begun: add \`{>${code.id}}\` where it starts.`, m.range);
              break;
            }
            const end = toPlain(m.range[0]);
            add({ code: code.id, kind: 'span', start: begin.at, end, paragraphs: covered(begin.at, end), marker: begin.marker });
            break;
          }
        }
      }
    }
  });
  for (const [id, stack] of open) {
    for (const b of stack) {
      file.report('marker-syntax', `\`{>${id}}\` begins a span that never ends: add \`{<${id}}\` where it stops.`, [b.marker[0] - 2, b.marker[1] + 1]);
    }
  }
  return codings;
}

/**
 * The indices of the text paragraphs that `[start, end)` touches (an empty
 * range touches the paragraph it is in). Paragraphs are in text order, their
 * starts and ends never decreasing, so a binary search finds the first one:
 * a search of every paragraph per span was quadratic (46 s for 100,000
 * paragraphs with spans).
 */
function coveredParagraphs(paragraphs: readonly Paragraph[], start: number, end: number): number[] {
  let lo = 0;
  let hi = paragraphs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((paragraphs[mid] as Paragraph).end > start) hi = mid;
    else lo = mid + 1;
  }
  const limit = Math.max(end, start + 1);
  const out: number[] = [];
  for (let i = lo; i < paragraphs.length; i++) {
    const p = paragraphs[i] as Paragraph;
    if (p.start >= limit) break;
    if (p.kind === 'text') out.push(p.index);
  }
  return out;
}

/** A character that leaves a line blank (a blank line ends a paragraph). */
export function isLineSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0b || c === 0x0c || c === 0xa0 || c === 0xfeff || (c > 0x7f && /\s/.test(String.fromCharCode(c)));
}

/** A character trimmed from both ends of a paragraph's words. */
export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || (c > 0x7f && /\s/.test(String.fromCharCode(c)));
}

function seconds(stamp: string): number {
  const parts = stamp.replace(',', '.').split(':').map(Number);
  return parts.reduce((acc, n) => acc * 60 + n, 0);
}

function isRole(v: unknown): v is Role {
  return v === 'interviewer' || v === 'respondent' || v === 'other';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeFrontMatter(path: readonly (string | number)[]): string {
  if (path.length === 0) return 'the front matter';
  return `\`${path.join('.')}\` of the front matter`;
}
