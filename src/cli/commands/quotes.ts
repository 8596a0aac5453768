/**
 * `verbatim quotes CODE`: every excerpt carrying a code (or a descendant),
 * with its address and the respondent's pseudonymous label, grouped by
 * transcript or by the values of an attribute.
 */
import { codesProblem, groupsOf, isAncestor, type Dataset } from '../../analysis/dataset.js';
import type { Coding as SegmentCoding } from '../../coding/code-transcript.js';
import { textAgainOf, type TextAgain } from '../../engine/corpus.js';
import { maskDeep, type Redactor, type Slicer } from '../../core/redact.js';
import { didYouMean } from '../../core/suggest.js';
import type { Respondent } from '../../project/model.js';
import { EXIT, type Context, type ExitCode } from '../context.js';
import { exitFor, loadDataset, type FilterFlags } from './analysis-shared.js';

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
  /** Where the excerpt starts in the file: `corpus/T03.md:12` (read with the text). */
  location: string;
  code: string;
  origin: 'auto' | 'manual';
  /** A manual coding the keywords proposed too (an accepted automatic coding); absent otherwise. */
  accepted?: true;
  /** True for a span coding: `text` is the span, not the paragraph. */
  span: boolean;
  start: number;
  end: number;
  text: string;
}

export async function quotes(code: string, options: QuotesOptions, ctx: Context): Promise<ExitCode> {
  const loaded = loadDataset(ctx, options, (ds) => {
    const unknown = codesProblem(ds, [code]);
    if (unknown) return unknown;
    if (options.by && !ds.panel?.attributes.some((a) => a.id === options.by) && !ds.transcripts.some((t) => options.by && t.attributes[options.by] !== undefined)) {
      return `Unknown attribute \`${options.by}\`${didYouMean(options.by, ds.panel?.attributes.map((a) => a.id) ?? [])}.`.replace(/\?\.$/, '?');
    }
    return undefined;
  });
  // No codebook is the project's problem (loadDataset said so), not the command line's: exit 1.
  if (!loaded) return EXIT.problems;
  const { ds, redactor } = loaded;
  const refs = collectQuotes(ds, code, redactor);
  const groups = options.by
    ? groupsOf(ds, options.by).map((g) => ({ value: g.value, label: g.label, ids: new Set(g.transcripts.map((t) => t.id)) }))
    : [{ value: '', label: '', ids: undefined }];
  const texts = textsOf(ds, redactor, textAgainOf(loaded.project));
  // Written a transcript at a time, each text read again only while its excerpts are printed: the output is never one string.
  const write = async (chunk: string): Promise<void> => {
    ctx.io.stdout(chunk);
    await ctx.io.stdoutDrained?.();
  };
  if (options.json) {
    const mask = (v: unknown): unknown => maskDeep(v, redactor);
    if (!options.by) await writeJsonArray(write, quotesOf(refs, texts), mask, 0);
    else {
      await write(groups.length === 0 ? '[]\n' : '[\n');
      for (const [i, g] of groups.entries()) {
        const head = JSON.stringify(mask({ value: g.value, label: g.label }), null, 2).slice(0, -2).replace(/\n/g, '\n  ');
        await write(`  ${head},\n    "quotes": `);
        await writeJsonArray(write, quotesOf(refs.filter((q) => g.ids?.has(q.transcript)), texts), mask, 4);
        await write(`  }${i === groups.length - 1 ? '' : ','}\n`);
      }
      if (groups.length > 0) await write(']\n');
    }
    return exitFor(loaded);
  }
  const codeLabel = ds.codebook?.codes.get(code)?.label ?? code;
  const respondents = new Set(refs.map((q) => q.transcript)).size;
  let pending = `${code} — ${codeLabel}: ${refs.length} excerpt${refs.length === 1 ? '' : 's'} from ${respondents} respondent${respondents === 1 ? '' : 's'}\n\n`;
  for (const g of groups) {
    const mine = g.ids ? refs.filter((q) => g.ids?.has(q.transcript)) : refs;
    if (g.ids) pending += `${redactor.mask(`## ${g.label} (${g.value}): ${mine.length}`)}\n\n`;
    let last = '';
    for (const q of quotesOf(mine, texts)) {
      if (q.transcript !== last) {
        if (pending.length > 65536) {
          // Trailing blank lines wait: the last chunk ends with one newline.
          const body = pending.trimEnd();
          await write(body);
          pending = pending.slice(body.length);
        }
        pending += `${redactor.mask(`${q.transcript} — ${q.label}`)}\n`;
        last = q.transcript;
      }
      const tag = `${q.code === code ? '' : `${q.code}, `}${q.origin}${q.span ? ', span' : ''}`;
      pending += `${redactor.mask(`  ${q.address}  ${q.location} (${tag})`)}\n`;
      for (const line of wrap(q.text, 76)) pending += `    ${line}\n`;
    }
    pending += '\n';
  }
  await write(`${pending.trimEnd()}\n`);
  return exitFor(loaded);
}

/** An excerpt before its text is read: where it is in the plain text. */
export type QuoteRef = Omit<Quote, 'text' | 'location'>;

/**
 * The excerpts of a code and its descendants, one per (segment, span): a span
 * coding gives its span; a paragraph coding gives the paragraph, unless a span
 * of the same code already quotes that segment. Ordered by transcript, then
 * position. Their texts are read by {@link quotesOf}.
 */
export function collectQuotes<T extends Respondent>(ds: Dataset<T>, code: string, redactor: Redactor): QuoteRef[] {
  const byId = new Map<string, T>(ds.transcripts.map((t) => [t.id, t]));
  const wanted = (c: SegmentCoding): boolean => c.code === code || isAncestor(ds.codebook, code, c.code);
  const chosen = ds.codings.filter(wanted);
  const spanned = new Set(chosen.filter((c) => c.span).map((c) => `${c.transcript}:${c.segment}:${c.code}`));
  const seen = new Set<string>();
  const out: QuoteRef[] = [];
  for (const c of chosen) {
    if (!c.span && spanned.has(`${c.transcript}:${c.segment}:${c.code}`)) continue;
    const key = `${c.transcript}:${c.segment}:${c.start}:${c.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const t = byId.get(c.transcript);
    if (!t) continue;
    out.push({
      transcript: t.id,
      label: redactor.mask(t.label),
      segment: c.segment,
      address: `${t.id}:${c.segment}`,
      code: c.code,
      origin: c.origin,
      ...(c.accepted ? { accepted: true as const } : {}),
      span: c.span,
      start: c.start,
      end: c.end,
    });
  }
  const order = new Map(ds.transcripts.map((t, i) => [t.id, i]));
  return out.sort((a, b) => (order.get(a.transcript) ?? 0) - (order.get(b.transcript) ?? 0) || a.start - b.start || a.end - b.end);
}

/** Masked excerpts of a transcript's text and where they start in the file, the text read once for a run of its excerpts. */
type Texts = (transcript: string, start: number, end: number) => { text: string; location: string } | undefined;

function textsOf<T extends Respondent>(ds: Dataset<T>, redactor: Redactor, textOf: (t: T) => TextAgain | undefined): Texts {
  const byId = new Map<string, T>(ds.transcripts.map((t) => [t.id, t]));
  let current: { id: string; slice: Slicer; again: TextAgain } | undefined | { id: string; slice?: undefined; again?: undefined };
  return (id, start, end) => {
    if (current?.id !== id) {
      const t = byId.get(id);
      const again = t && textOf(t);
      current = again ? { id, slice: redactor.slicer(again.plain), again } : { id };
    }
    return current.slice && current.again ? { text: current.slice(start, end), location: current.again.location(start) } : undefined;
  };
}

/**
 * The excerpts with their texts, in order. A transcript that changed on disk
 * since it was coded gives no text: its excerpt says so rather than quote
 * other words, or vanish from a count already printed.
 */
function* quotesOf(refs: readonly QuoteRef[], texts: Texts): Generator<Quote> {
  for (const q of refs) {
    const found = texts(q.transcript, q.start, q.end);
    const { transcript, label, segment, address, ...rest } = q;
    yield { transcript, label, segment, address, location: found?.location ?? '', ...rest, text: found === undefined ? CHANGED : found.text.replace(/\s+/g, ' ').trim() };
  }
}

/** The text of an excerpt whose transcript changed between coding and printing. */
const CHANGED = '(this transcript changed while it was read: run the command again)';

/**
 * A JSON array as `JSON.stringify(items, null, 2)` writes it, `indent`
 * spaces in, an item at a time.
 */
async function writeJsonArray(write: (chunk: string) => Promise<void>, items: Iterable<unknown>, mask: (v: unknown) => unknown, indent: number): Promise<void> {
  const pad = ' '.repeat(indent);
  let first = true;
  let pending = '';
  for (const item of items) {
    pending += `${first ? '[\n' : ',\n'}${pad}  ${JSON.stringify(mask(item), null, 2).replace(/\n/g, `\n${pad}  `)}`;
    first = false;
    if (pending.length > 65536) {
      await write(pending);
      pending = '';
    }
  }
  await write(first ? '[]\n' : `${pending}\n${pad}]\n`);
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
