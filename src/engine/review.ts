/**
 * The review of automatic codings (`verbatim review`): the queue of what the
 * keywords proposed and no researcher has decided yet, and the decision on
 * one of them, written as the marker a researcher would type.
 *
 * The state lives in the transcripts, as markers (git-diffable, no other
 * store). An automatic coding of code C on a segment is
 * - accepted when the segment carries C by hand too (`{#C}`, or a span of C):
 *   accepting writes `{#C}` at the end of the paragraph, and the segment then
 *   carries C once, as a manual coding marked `accepted` (`mergeAccepted`);
 * - rejected when the paragraph has `{!C}` (the automatic coding is then
 *   gone): rejecting writes `{!C}` there;
 * - unreviewed otherwise: it is in the queue.
 *
 * A decision changes nothing but the inserted marker: the file is edited on
 * its bytes (BOM and line ends kept), refused when it is not UTF-8 or when it
 * changed on disk since it was read, and written atomically.
 */
import path from 'node:path';
import { ofOrigin, type Coding } from '../coding/code-transcript.js';
import type { SourceFile } from '../core/source-file.js';
import { readSourceFile } from './read.js';
import type { Paragraph, Transcript } from '../project/model.js';
import { locationOf } from '../project/transcript.js';
import type { ProjectFrame } from './load-project.js';
import { applyChanges, editedFile, type FileChange } from './refactor.js';
import { streamCorpus } from './stream.js';

/** One automatic coding waiting for a decision. */
export interface ReviewItem {
  transcript: string;
  segment: number;
  /** `T03:4`. */
  address: string;
  /** Where the paragraph starts in the file: `corpus/T03.md:12`. */
  location: string;
  code: string;
  /** The words that fired the code, as written in the text, the keyword or pattern each matched, and where they are in `text`. */
  evidence: { text: string; keyword: string; start: number; end: number }[];
  /** The paragraph's words. */
  text: string;
}

/** Which automatic codings to review: of these codes (or their descendants), in these transcripts (all when empty). */
export interface ReviewFilter {
  codes?: readonly string[];
  transcripts?: readonly string[];
}

/** Whether `code` is one of `codes` or a descendant of one. */
function inCodes(code: string, codes: readonly string[] | undefined): boolean {
  return !codes || codes.length === 0 || codes.some((c) => code === c || code.startsWith(`${c}.`));
}

/** The unreviewed automatic codings of one coded transcript, in order. */
function unreviewed(t: Transcript, file: SourceFile, codings: readonly Coding[], codes: readonly string[] | undefined): ReviewItem[] {
  const out: ReviewItem[] = [];
  // The automatic codings left are the unreviewed ones: accepted ones are manual codings now, rejected ones gone.
  for (const c of codings) {
    if (c.origin !== 'auto' || !inCodes(c.code, codes)) continue;
    const paragraph = t.segments[c.segment - 1] as Paragraph;
    out.push({
      transcript: t.id,
      segment: c.segment,
      address: `${t.id}:${c.segment}`,
      location: locationOf(t, file, paragraph.start),
      code: c.code,
      evidence: (c.evidence ?? []).map((e) => ({ text: t.plain.slice(e.start, e.end), keyword: e.kind === 'pattern' ? `/${e.keyword}/` : e.keyword, start: e.start - paragraph.start, end: e.end - paragraph.start })),
      text: paragraph.text,
    });
  }
  return out;
}

/** The queue: every unreviewed automatic coding of the corpus that the filter keeps, transcript by transcript (streamed). */
export function* reviewQueue(frame: ProjectFrame, filter: ReviewFilter = {}): Generator<ReviewItem> {
  for (const item of streamCorpus(frame, filter.transcripts && filter.transcripts.length > 0 ? { only: filter.transcripts } : {})) {
    if (!item.transcript || !item.codings) continue;
    yield* unreviewed(item.transcript, item.file, item.codings, filter.codes);
  }
}

/** A decision on one automatic coding. */
export type Verdict = 'accept' | 'reject';

/** A decision made: the file written, and the marker inserted in it. */
export interface Decision {
  verdict: Verdict;
  item: ReviewItem;
  file: string;
  /** The marker, with the space before it, and where it went in the decoded text. */
  marker: string;
  offset: number;
  change: FileChange;
}

/**
 * Finds the segment of an address: `T03:4` (transcript id, segment number)
 * or `corpus/T03.md:12` (a transcript's path and a line of its paragraph).
 */
function resolve(frame: ProjectFrame, address: string): { transcript: Transcript; file: SourceFile; codings: readonly Coding[]; segment: number } | string {
  const m = /^(.+):(\d+)$/u.exec(address.trim());
  if (!m) return `\`${address}\` is not an address: give \`T03:4\` (transcript and segment) or \`corpus/T03.md:12\` (file and line).`;
  const [, head, number] = m as unknown as [string, string, string];
  const n = Number(number);
  const byPath = frame.transcriptPaths.indexOf(head.split('\\').join('/').replace(/^\.\//u, ''));
  // An id is looked for first in the file named after it (`E07` in `…/E07.md`, the usual layout), then everywhere.
  const named = frame.transcriptPaths.findIndex((p) => path.basename(p, path.extname(p)) === head);
  const all = [...frame.transcriptPaths.keys()];
  const order = byPath >= 0 ? [byPath] : named >= 0 ? [named, ...all.filter((i) => i !== named)] : all;
  for (const index of order) {
    for (const item of streamCorpus(frame, { from: index, to: index + 1 })) {
      const t = item.transcript;
      if (!t || !item.codings || (byPath < 0 && t.id !== head)) continue;
      if (byPath < 0) {
        if (n < 1 || n > t.segments.length) return `\`${t.id}\` has ${t.segments.length} segment${t.segments.length === 1 ? '' : 's'}: there is no \`${address}\`.`;
        return { transcript: t, file: item.file, codings: item.codings, segment: n };
      }
      // A line of the file: the segment whose paragraph holds it.
      const lines = item.file.lines;
      const p = t.segments.find((s) => lines.point(s.sourceStart).line <= n && n <= lines.point(s.sourceEnd).line);
      if (!p) return `Line ${n} of \`${head}\` is in no respondent paragraph.`;
      return { transcript: t, file: item.file, codings: item.codings, segment: p.segment as number };
    }
  }
  return byPath >= 0 ? `\`${head}\` cannot be read as a transcript: run \`verbatim check\`.` : `No transcript \`${head}\`.`;
}

/**
 * Decides one automatic coding: the file with its marker, not written yet
 * ({@link applyDecision} writes it), or why it cannot be made.
 */
export function planDecision(frame: ProjectFrame, address: string, code: string, verdict: Verdict): Decision | string {
  const found = resolve(frame, address);
  if (typeof found === 'string') return found;
  const { transcript: t, file, codings, segment } = found;
  const here = `${t.id}:${segment}`;
  const item = unreviewed(t, file, codings, [code]).find((x) => x.segment === segment && x.code === code);
  if (!item) {
    if (codings.some((c) => c.segment === segment && c.code === code && c.origin === 'manual')) return `\`${code}\` is coded by hand at ${here} already: nothing to ${verdict}.`;
    const rejected = t.codings.some((c) => c.kind === 'reject' && c.code === code && t.segments[segment - 1] && c.paragraphs.includes((t.segments[segment - 1] as Paragraph).index));
    if (rejected) return `\`${code}\` is rejected at ${here} already ({!${code}}): nothing to ${verdict}.`;
    const auto = codings.filter((c) => c.segment === segment && ofOrigin(c, 'auto')).map((c) => `\`${c.code}\``);
    return `The keywords do not code ${here} with \`${code}\`${auto.length > 0 ? `; they code it with ${auto.join(', ')}` : ''}.`;
  }
  const paragraph = t.segments[segment - 1] as Paragraph;
  const marker = ` {${verdict === 'accept' ? '#' : '!'}${code}}`;
  const offset = paragraph.sourceEnd;
  const change = editedFile(frame.root, file, () => [{ start: offset, end: offset, text: marker }]);
  if (typeof change === 'string') return change;
  if (!change) return `Nothing to write in \`${file.path}\` (an internal error).`;
  return { verdict, item, file: file.path, marker, offset, change };
}

/** Writes a decision's file, all of it or nothing. */
export function applyDecision(frame: ProjectFrame, decision: Decision): void {
  applyChanges(frame.root, [decision.change]);
}

/**
 * Takes a decision back: removes the marker it inserted, if it is still
 * there, byte for byte as it went in. A message when it cannot.
 */
export function undoDecision(frame: ProjectFrame, decision: Decision): string | undefined {
  const file = readSourceFile(frame.root, decision.file);
  const { offset, marker } = decision;
  if (file.fatal || file.text.slice(offset, offset + marker.length) !== marker) return `\`${decision.file}\` changed since the decision: its marker \`${marker.trim()}\` is no longer where it was written; nothing was undone.`;
  const change = editedFile(frame.root, file, () => [{ start: offset, end: offset + marker.length, text: '' }]);
  if (typeof change === 'string') return change;
  if (change) applyChanges(frame.root, [change]);
  return undefined;
}
