/**
 * The work of `verbatim tag` on a batch of transcripts: read, parse, check,
 * code and format. The same function runs in the main thread or in worker
 * threads (tag-worker.ts), so that both give byte-identical output.
 */
import type { Coding } from '../../coding/code-transcript.js';
import type { Diagnostic } from '../../core/diagnostic.js';
import type { SourceFile } from '../../core/source-file.js';
import { createRedactor, type Slicer } from '../../core/redact.js';
import type { ProjectFrame } from '../../engine/load-project.js';
import { matcherCache } from '../../engine/matchers.js';
import { streamCorpus } from '../../engine/stream.js';
import { SKIPPED, tallyTranscript } from '../../engine/tally.js';
import type { Transcript } from '../../project/model.js';
import { locationOf } from '../../project/transcript.js';
import { withSetting } from '../../engine/diagnostics.js';

export type TagMode = 'summary' | 'explain' | 'json';

/** The JSON shape of a coding, documented in the README. */
export interface CodingJson {
  transcript: string;
  segment: number;
  code: string;
  origin: 'auto' | 'manual';
  /** A manual coding the keywords proposed too (an accepted automatic coding); absent otherwise. */
  accepted?: true;
  start: number;
  end: number;
  text: string;
  evidence?: { keyword: string; kind: 'keyword' | 'pattern'; start: number; end: number; text: string }[];
}

/** What a batch gives back. */
export interface BatchResult {
  /** Formatted output; JSON items are joined with ",\n" (no leading comma). */
  text: string;
  transcripts: number;
  segments: number;
  coded: number;
  auto: number;
  manual: number;
  /** Transcript ids with where they are written, for the duplicate check. */
  ids: { id: string; file: string; line: number; column: number }[];
  /** Errors of the batch's files (structured-cloneable). */
  problems: Diagnostic[];
}

/** Options of {@link tagBatch}. */
export interface BatchOptions {
  mode: TagMode;
  only: readonly string[];
  idWidth: number;
  /** Every transcript's `redact` list: a name one transcript redacts is masked in all of them. */
  redact?: readonly string[];
}

/** Codes and formats the transcripts `frame.transcriptPaths[from, to)`. */
export function tagBatch(frame: ProjectFrame, from: number, to: number, options: BatchOptions): BatchResult {
  const result: BatchResult = { text: '', transcripts: 0, segments: 0, coded: 0, auto: 0, manual: 0, ids: [], problems: [] };
  const parts: string[] = [];
  const only = options.only.length > 0 ? new Set(options.only) : undefined;
  const matcherFor = matcherCache(frame);
  const add = (file: SourceFile, t: Pick<Transcript, 'id' | 'positions'> | undefined, counts?: Counts): void => {
    if (t) {
      // The id is in the front matter: count its lines rather than index the whole file.
      const at = t.positions.get('id')?.[0] ?? 0;
      const before = file.text.slice(0, at);
      result.ids.push({ id: t.id, file: file.path, line: before.split('\n').length, column: at - before.lastIndexOf('\n') });
    }
    for (const d of file.messages) {
      const shown = withSetting(d, frame.config.rules);
      if (shown?.severity === 'error') result.problems.push(shown);
    }
    if (!t || !counts) return;
    result.transcripts++;
    result.segments += counts.segments;
    result.coded += counts.coded;
    result.auto += counts.auto;
    result.manual += counts.manual;
    if (options.mode === 'summary') parts.push(summaryLine(t.id, options.idWidth, counts.segments, counts.coded, counts.auto, counts.manual, topCodes(counts.codes)));
  };
  for (let index = from; index < to; index++) {
    // The summary needs neither offsets nor text: it is counted from the bytes when the file allows (engine/tally.ts).
    const tally = options.mode === 'summary' ? tallyTranscript(frame, frame.transcriptPaths[index] as string, matcherFor, only) : undefined;
    if (tally === SKIPPED) continue;
    if (tally) {
      add(tally.file, tally.header, tally);
      continue;
    }
    for (const item of streamCorpus(frame, { only: options.only, from: index, to: index + 1 })) {
      const t = item.transcript;
      if (!t || !item.codings) {
        add(item.file, t);
        continue;
      }
      const codings = item.codings;
      add(item.file, t, countCodings(codings, t.segments.length));
      if (options.mode === 'summary') continue;
      // Every transcript's redactions apply to all of them (the redactor is built once for the set).
      const r = createRedactor([...frame.redact, ...(options.redact ?? []), ...t.redact]);
      // Coded text is cut from the masked text: a span ending inside a name never shows half of it.
      const slice = r.slicer(t.plain);
      if (options.mode === 'json') {
        for (const c of codings) parts.push(JSON.stringify(codingJson(c, slice, r.mask)));
      } else parts.push(explain(t.id, r.mask(t.label), codings, slice, r.mask, (offset) => locationOf(t, item.file, offset)));
    }
  }
  result.text = parts.join(options.mode === 'json' ? ',\n' : '');
  return result;
}

/** What the summary shows of a transcript. */
export interface Counts {
  segments: number;
  /** Segments with at least one coding. */
  coded: number;
  auto: number;
  manual: number;
  /** Codings per code. */
  codes: Map<string, number>;
}

/** The summary's counts, from a transcript's codings (the byte-level tally computes the same: engine/tally.ts). */
export function countCodings(codings: readonly Coding[], segments: number): Counts {
  const codes = new Map<string, number>();
  let auto = 0;
  for (const c of codings) {
    if (c.origin === 'auto') auto++;
    codes.set(c.code, (codes.get(c.code) ?? 0) + 1);
  }
  return { segments, coded: new Set(codings.map((c) => c.segment)).size, auto, manual: codings.length - auto, codes };
}

/** A line of the summary table (the header too, with column names for the figures). */
export function summaryLine(id: string, idWidth: number, segments: number | string, coded: number | string, auto: number | string, manual: number | string, rest: string): string {
  return `${id.padEnd(idWidth)}  ${String(segments).padStart(8)}  ${String(coded).padStart(6)}  ${String(auto).padStart(6)}  ${String(manual).padStart(6)}  ${rest}\n`;
}

/**
 * A coding as JSON: offsets in the plain text, the text cut from the masked
 * text by `slice` (see `Redactor.slicer`); the keywords and patterns, which
 * may hold a redacted string themselves, masked by `mask`.
 */
export function codingJson(c: Coding, slice: Slicer, mask: (s: string) => string): CodingJson {
  return {
    transcript: c.transcript,
    segment: c.segment,
    code: c.code,
    origin: c.origin,
    ...(c.accepted ? { accepted: true as const } : {}),
    start: c.start,
    end: c.end,
    text: slice(c.start, c.end),
    ...(c.evidence ? { evidence: c.evidence.map((e) => ({ keyword: mask(e.keyword), kind: e.kind, start: e.start, end: e.end, text: slice(e.start, e.end) })) } : {}),
  };
}

/** The three most frequent codes, ties in code order. */
function topCodes(counts: ReadonlyMap<string, number>): string {
  // One pass that keeps the best three (a transcript has dozens of codes; sorting them all cost more than the rest of its line).
  const best: [string, number][] = [];
  const before = (a: [string, number], b: [string, number]): boolean => a[1] > b[1] || (a[1] === b[1] && a[0] < b[0]);
  for (const entry of counts) {
    if (best.length === 3 && !before(entry, best[2] as [string, number])) continue;
    let k = Math.min(best.length, 2);
    if (best.length < 3) best.push(entry);
    while (k > 0 && before(entry, best[k - 1] as [string, number])) {
      best[k] = best[k - 1] as [string, number];
      k--;
    }
    best[k] = entry;
  }
  return best.map(([code, n]) => `${code} (${n})`).join(', ');
}

/**
 * `E07:12  corpus/E07.md:48  freins.etat  auto  « technostructure » ← technostructure`,
 * one block per transcript: the segment's address, then where the coding starts in the file.
 */
function explain(id: string, label: string, codings: readonly Coding[], slice: Slicer, mask: (s: string) => string, location: (offset: number) => string): string {
  const lines = [`${id} — ${label}`];
  for (const c of codings) {
    const address = `${`${id}:${c.segment}`.padEnd(9)} ${mask(location(c.start))}`;
    if (c.origin === 'manual') {
      const what = c.span ? `span « ${clip(slice(c.start, c.end), 60)} »` : 'paragraph';
      lines.push(`  ${address}  ${c.code}  manual  ${what}`);
    } else {
      const why = (c.evidence ?? []).map((e) => `« ${slice(e.start, e.end)} » ← ${mask(e.kind === 'pattern' ? `/${e.keyword}/` : e.keyword)}`).join('; ');
      lines.push(`  ${address}  ${c.code}  auto    ${why}`);
    }
  }
  if (codings.length === 0) lines.push('  (nothing coded)');
  return `${lines.join('\n')}\n\n`;
}

function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length <= n ? one : `${one.slice(0, n - 1)}…`;
}
