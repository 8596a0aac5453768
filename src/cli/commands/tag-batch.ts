/**
 * The work of `verbatim tag` on a batch of transcripts: read, parse, check,
 * code and format. The same function runs in the main thread or in worker
 * threads (tag-worker.ts), so that both give byte-identical output.
 */
import type { Coding } from '../../coding/code-transcript.js';
import type { Diagnostic } from '../../core/diagnostic.js';
import { createMasker, maskedSlicer } from '../../core/redact.js';
import type { ProjectFrame } from '../../engine/load-project.js';
import { streamCorpus } from '../../engine/stream.js';

export type TagMode = 'summary' | 'explain' | 'json';

/** The JSON shape of a coding, documented in the README. */
export interface CodingJson {
  transcript: string;
  segment: number;
  code: string;
  origin: 'auto' | 'manual';
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
  for (const item of streamCorpus(frame, { only: options.only, from, to })) {
    const t = item.transcript;
    if (t) {
      // The id is in the front matter: count its lines rather than index the whole file.
      const at = t.positions.get('id')?.[0] ?? 0;
      const before = item.file.text.slice(0, at);
      const p = { line: before.split('\n').length, column: at - before.lastIndexOf('\n') };
      result.ids.push({ id: t.id, file: item.file.path, line: p.line, column: p.column });
    }
    for (const d of item.file.messages) if (d.severity === 'error' && frame.config.rules[d.ruleId] !== 'off') result.problems.push(d);
    if (!t || !item.coding) continue;
    const codings = item.coding.codings;
    const secrets = [...frame.redact, ...(options.redact ?? []), ...t.redact];
    const mask = createMasker(secrets);
    // Coded text is cut from the masked text: a span ending inside a name never shows half of it.
    const slice = maskedSlicer(t.plain, secrets);
    result.transcripts++;
    result.segments += t.segments.length;
    const coded = new Set(codings.map((c) => c.segment)).size;
    result.coded += coded;
    let auto = 0;
    for (const c of codings) if (c.origin === 'auto') auto++;
    result.auto += auto;
    result.manual += codings.length - auto;
    if (options.mode === 'json') {
      for (const c of codings) parts.push(JSON.stringify(codingJson(c, slice)));
    } else if (options.mode === 'explain') {
      parts.push(explain(t.id, mask(t.label), codings, slice));
    } else {
      parts.push(summaryLine(t.id, options.idWidth, t.segments.length, coded, auto, codings.length - auto, topCodes(codings)));
    }
  }
  result.text = parts.join(options.mode === 'json' ? ',\n' : '');
  return result;
}

/** A line of the summary table (the header too, with column names for the figures). */
export function summaryLine(id: string, idWidth: number, segments: number | string, coded: number | string, auto: number | string, manual: number | string, rest: string): string {
  return `${id.padEnd(idWidth)}  ${String(segments).padStart(8)}  ${String(coded).padStart(6)}  ${String(auto).padStart(6)}  ${String(manual).padStart(6)}  ${rest}\n`;
}

/** A coding as JSON: offsets in the plain text, the text cut from the masked text by `slice` (see `maskedSlicer`). */
export function codingJson(c: Coding, slice: (start: number, end: number) => string): CodingJson {
  return {
    transcript: c.transcript,
    segment: c.segment,
    code: c.code,
    origin: c.origin,
    start: c.start,
    end: c.end,
    text: slice(c.start, c.end),
    ...(c.evidence ? { evidence: c.evidence.map((e) => ({ keyword: e.keyword, kind: e.kind, start: e.start, end: e.end, text: slice(e.start, e.end) })) } : {}),
  };
}

function topCodes(codings: readonly Coding[]): string {
  const counts = new Map<string, number>();
  for (const c of codings) counts.set(c.code, (counts.get(c.code) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 3)
    .map(([code, n]) => `${code} (${n})`)
    .join(', ');
}

/** `E07:12 freins.etat  auto  « technostructure » ← technostructure`, one block per transcript. */
function explain(id: string, label: string, codings: readonly Coding[], slice: (start: number, end: number) => string): string {
  const lines = [`${id} — ${label}`];
  for (const c of codings) {
    const address = `${id}:${c.segment}`;
    if (c.origin === 'manual') {
      const what = c.span ? `span « ${clip(slice(c.start, c.end), 60)} »` : 'paragraph';
      lines.push(`  ${address.padEnd(9)} ${c.code}  manual  ${what}`);
    } else {
      const why = (c.evidence ?? []).map((e) => `« ${slice(e.start, e.end)} » ← ${e.kind === 'pattern' ? `/${e.keyword}/` : e.keyword}`).join('; ');
      lines.push(`  ${address.padEnd(9)} ${c.code}  auto    ${why}`);
    }
  }
  if (codings.length === 0) lines.push('  (nothing coded)');
  return `${lines.join('\n')}\n\n`;
}

function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length <= n ? one : `${one.slice(0, n - 1)}…`;
}
