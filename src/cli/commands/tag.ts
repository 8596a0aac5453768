/**
 * `verbatim tag [ids…]`: run the auto-coding and show, per interview, what
 * was coded (`--explain`: why), or every coding as JSON. Streams over the
 * corpus: memory stays flat on corpora of any size.
 */
import type { Coding } from '../../coding/code-transcript.js';
import { compareDiagnostics, type Diagnostic } from '../../core/diagnostic.js';
import { createMasker, type Masker } from '../../core/redact.js';
import { loadFrame } from '../../engine/load-project.js';
import { streamCorpus } from '../../engine/stream.js';
import { stylish } from '../../formatters/index.js';
import { EXIT, type Context, type ExitCode } from '../context.js';
import { Progress } from '../progress.js';

export interface TagOptions {
  explain?: boolean;
  json?: boolean;
}

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

export async function tag(ids: string[], options: TagOptions, ctx: Context): Promise<ExitCode> {
  const frame = loadFrame(ctx.root, ctx.codebook ? { codebook: ctx.codebook } : {});
  const problems: Diagnostic[] = [];
  const keep = (file: { messages: Diagnostic[] }): void => {
    for (const d of file.messages) if (d.severity === 'error' && frame.config.rules[d.ruleId] !== 'off') problems.push(d);
  };
  frame.files.forEach(keep);
  const projectMask = frame.redact;
  const out = ctx.io.stdout;
  const progress = new Progress(ctx.io, 'Coding');
  const seenIds = new Set<string>();
  const totals = { transcripts: 0, segments: 0, coded: 0, auto: 0, manual: 0 };
  let firstJson = true;
  const idWidth = Math.max(10, ...frame.transcriptPaths.map((p) => p.replace(/^.*\//, '').replace(/\.md$/, '').length));
  if (options.json) out('[');
  else if (!options.explain) out(`${'transcript'.padEnd(idWidth)}  ${'segments'.padStart(8)}  ${'coded'.padStart(6)}  ${'auto'.padStart(6)}  ${'manual'.padStart(6)}  most frequent codes\n`);

  for (const item of streamCorpus(frame, { only: ids })) {
    progress.update(item.index + 1, frame.transcriptPaths.length);
    const t = item.transcript;
    if (t && seenIds.has(t.id)) item.file.report('duplicate-transcript-id', `Transcript id \`${t.id}\` is already used by another transcript; give each interview its own \`id\`.`, t.positions.get('id') ?? [0, 0]);
    if (t) seenIds.add(t.id);
    keep(item.file);
    if (!t || !item.coding) continue;
    const codings = item.coding.codings;
    const mask = createMasker([...projectMask, ...t.redact]);
    totals.transcripts++;
    totals.segments += t.segments.length;
    const coded = new Set(codings.map((c) => c.segment)).size;
    totals.coded += coded;
    const auto = codings.filter((c) => c.origin === 'auto').length;
    totals.auto += auto;
    totals.manual += codings.length - auto;
    if (options.json) {
      for (const c of codings) {
        out(`${firstJson ? '\n' : ',\n'}${JSON.stringify(codingJson(c, t.plain, mask))}`);
        firstJson = false;
      }
    } else if (options.explain) {
      out(explain(t.id, t.label, codings, t.plain, mask));
    } else {
      out(`${t.id.padEnd(idWidth)}  ${String(t.segments.length).padStart(8)}  ${String(coded).padStart(6)}  ${String(auto).padStart(6)}  ${String(codings.length - auto).padStart(6)}  ${topCodes(codings)}\n`);
    }
  }
  progress.done();
  if (options.json) out(firstJson ? ']\n' : '\n]\n');
  else if (!options.explain) {
    out(`${'total'.padEnd(idWidth)}  ${String(totals.segments).padStart(8)}  ${String(totals.coded).padStart(6)}  ${String(totals.auto).padStart(6)}  ${String(totals.manual).padStart(6)}  ${totals.transcripts} transcript${totals.transcripts === 1 ? '' : 's'}\n`);
  }
  if (problems.length > 0) {
    ctx.io.stderr(stylish(problems.sort(compareDiagnostics), { color: ctx.colorErr }));
    return EXIT.problems;
  }
  return EXIT.ok;
}

/** A coding as JSON: offsets in the plain text, the text masked. */
export function codingJson(c: Coding, plain: string, mask: Masker): CodingJson {
  return {
    transcript: c.transcript,
    segment: c.segment,
    code: c.code,
    origin: c.origin,
    start: c.start,
    end: c.end,
    text: mask(plain.slice(c.start, c.end)),
    ...(c.evidence ? { evidence: c.evidence.map((e) => ({ keyword: e.keyword, kind: e.kind, start: e.start, end: e.end, text: mask(e.text) })) } : {}),
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
function explain(id: string, label: string, codings: readonly Coding[], plain: string, mask: Masker): string {
  const lines = [`${id} — ${mask(label)}`];
  for (const c of codings) {
    const address = `${id}:${c.segment}`;
    if (c.origin === 'manual') {
      const what = c.span ? `span « ${clip(mask(plain.slice(c.start, c.end)), 60)} »` : 'paragraph';
      lines.push(`  ${address.padEnd(9)} ${c.code}  manual  ${what}`);
    } else {
      const why = (c.evidence ?? []).map((e) => `« ${mask(e.text)} » ← ${e.kind === 'pattern' ? `/${e.keyword}/` : e.keyword}`).join('; ');
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
