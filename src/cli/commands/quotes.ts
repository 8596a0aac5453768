/**
 * `verbatim quotes CODE`: every excerpt carrying a code (or a descendant),
 * with its address and the respondent's pseudonymous label, grouped by
 * transcript or by the values of an attribute.
 */
import { groupsOf, isAncestor, type Dataset } from '../../analysis/dataset.js';
import type { Coding as SegmentCoding } from '../../coding/code-transcript.js';
import { plainTextOf } from '../../engine/corpus.js';
import type { Redactor, Slicer } from '../../core/redact.js';
import { didYouMean } from '../../core/suggest.js';
import type { Respondent } from '../../project/model.js';
import { UsageError, type Context, type ExitCode } from '../context.js';
import { exitFor, loadDataset, renderJson, type FilterFlags } from './analysis-shared.js';

export interface QuotesOptions extends FilterFlags {
  by?: string;
  json?: boolean;
}

/** One excerpt. */
export interface Quote {
  transcript: string;
  label: string;
  segment: number;
  address: string;
  code: string;
  origin: 'auto' | 'manual';
  /** True for a span coding: `text` is the span, not the paragraph. */
  span: boolean;
  start: number;
  end: number;
  text: string;
}

export async function quotes(code: string, options: QuotesOptions, ctx: Context): Promise<ExitCode> {
  const loaded = loadDataset(ctx, options, (ds) => {
    if (!ds.codebook?.codes.has(code)) return `Unknown code \`${code}\`${didYouMean(code, ds.codebook?.codes.keys() ?? []) || ''}.`.replace(/\?\.$/, '?');
    if (options.by && !ds.panel?.attributes.some((a) => a.id === options.by) && !ds.transcripts.some((t) => options.by && t.attributes[options.by] !== undefined)) {
      return `Unknown attribute \`${options.by}\`${didYouMean(options.by, ds.panel?.attributes.map((a) => a.id) ?? [])}.`.replace(/\?\.$/, '?');
    }
    return undefined;
  });
  if (!loaded) throw new UsageError('No codebook: nothing to quote.');
  const { ds } = loaded;
  const { redactor } = loaded;
  // The records hold no text: each transcript that has an excerpt is read again, one at a time.
  const excerpts = collectQuotes(ds, code, redactor, plainTextOf(loaded.project));
  if (options.json) {
    ctx.io.stdout(renderJson(options.by ? groupsOf(ds, options.by).map((g) => ({ value: g.value, label: g.label, quotes: excerpts.filter((q) => g.transcripts.some((t) => t.id === q.transcript)) })) : excerpts, redactor));
    return exitFor(loaded);
  }
  const out: string[] = [];
  const codeLabel = ds.codebook?.codes.get(code)?.label ?? code;
  out.push(`${code} — ${codeLabel}: ${excerpts.length} excerpt${excerpts.length === 1 ? '' : 's'} from ${new Set(excerpts.map((q) => q.transcript)).size} respondent${new Set(excerpts.map((q) => q.transcript)).size === 1 ? '' : 's'}`, '');
  const groups = options.by ? groupsOf(ds, options.by).map((g) => ({ title: `${g.label} (${g.value})`, ids: new Set(g.transcripts.map((t) => t.id)) })) : [{ title: '', ids: undefined }];
  for (const g of groups) {
    const mine = excerpts.filter((q) => !g.ids || g.ids.has(q.transcript));
    // Ids and values are printed as written, but a redacted name in one is masked too.
    if (g.title) out.push(redactor.mask(`## ${g.title}: ${mine.length}`), '');
    let last = '';
    for (const q of mine) {
      if (q.transcript !== last) {
        out.push(redactor.mask(`${q.transcript} — ${q.label}`));
        last = q.transcript;
      }
      const tag = `${q.code === code ? '' : `${q.code}, `}${q.origin}${q.span ? ', span' : ''}`;
      out.push(redactor.mask(`  ${q.address} (${tag})`));
      for (const line of wrap(q.text, 76)) out.push(`    ${line}`);
    }
    out.push('');
  }
  ctx.io.stdout(`${out.join('\n').trimEnd()}\n`);
  return exitFor(loaded);
}

/**
 * The excerpts of a code and its descendants, one per (segment, span): a span
 * coding gives its span; a paragraph coding gives the paragraph, unless a span
 * of the same code already quotes that segment. Ordered by transcript, then
 * position.
 */
export function collectQuotes<T extends Respondent>(ds: Dataset<T>, code: string, redactor: Redactor, textOf: (t: T) => string | undefined): Quote[] {
  // Excerpts are cut from the masked text, so that a span ending inside a name never shows half of it.
  // Codings come transcript by transcript: only the current transcript's text is kept.
  let current: { id: string; slice: Slicer | undefined } | undefined;
  const slice = (t: T, start: number, end: number): string | undefined => {
    if (current?.id !== t.id) {
      const text = textOf(t);
      current = { id: t.id, slice: text === undefined ? undefined : redactor.slicer(text) };
    }
    return current.slice?.(start, end);
  };
  const byId = new Map<string, T>(ds.transcripts.map((t) => [t.id, t]));
  const wanted = (c: SegmentCoding): boolean => c.code === code || isAncestor(ds.codebook, code, c.code);
  const chosen = ds.codings.filter(wanted);
  const spanned = new Set(chosen.filter((c) => c.span).map((c) => `${c.transcript}:${c.segment}:${c.code}`));
  const seen = new Set<string>();
  const out: Quote[] = [];
  for (const c of chosen) {
    if (!c.span && spanned.has(`${c.transcript}:${c.segment}:${c.code}`)) continue;
    const key = `${c.transcript}:${c.segment}:${c.start}:${c.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const t = byId.get(c.transcript);
    if (!t) continue;
    const text = slice(t, c.start, c.end);
    // A transcript that cannot be read again (changed or removed since it was coded) gives no excerpt.
    if (text === undefined) continue;
    out.push({
      transcript: t.id,
      label: redactor.mask(t.label),
      segment: c.segment,
      address: `${t.id}:${c.segment}`,
      code: c.code,
      origin: c.origin,
      span: c.span,
      start: c.start,
      end: c.end,
      text: text.replace(/\s+/g, ' ').trim(),
    });
  }
  const order = new Map(ds.transcripts.map((t, i) => [t.id, i]));
  return out.sort((a, b) => (order.get(a.transcript) ?? 0) - (order.get(b.transcript) ?? 0) || a.start - b.start || a.end - b.end);
}

/** Wraps text at spaces to lines of at most `width` characters. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}
