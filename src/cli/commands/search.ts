/**
 * `verbatim search QUERY…`: a keyword-in-context concordance over the
 * respondent text, with the codebook's keyword semantics (stems, phrases,
 * `word*`, `=word`). Streams over the corpus, so it works on any size.
 */
import { compileMatcher } from '../../coding/matcher.js';
import { compareDiagnostics, type Diagnostic } from '../../core/diagnostic.js';
import { createRedactor, maskDeep } from '../../core/redact.js';
import type { Codebook, Code, Language } from '../../project/model.js';
import { locationOf } from '../../project/transcript.js';
import { masked, withSetting } from '../../engine/diagnostics.js';
import { corpusRedactions, loadFrame } from '../../engine/load-project.js';
import { streamCorpus } from '../../engine/stream.js';
import { diagnosticsFromHere, EXIT, UsageError, type Context, type ExitCode } from '../context.js';
import { parseWhole } from '../numbers.js';
import { stylish } from '../../formatters/index.js';
import { Progress } from '../progress.js';

/** The widest `--context`, in characters on each side. */
export const MAX_CONTEXT = 1000;

export interface SearchOptions {
  context?: string;
  json?: boolean;
  limit?: string;
}

/** One concordance line. */
export interface Hit {
  transcript: string;
  segment: number;
  address: string;
  /** Where the match is in the file: `corpus/T03.md:12`. */
  location: string;
  /** The query that matched, as written. */
  query: string;
  start: number;
  end: number;
  left: string;
  match: string;
  right: string;
}

export async function search(queries: string[], options: SearchOptions, ctx: Context): Promise<ExitCode> {
  if (queries.length === 0) throw new UsageError('Give at least one word or phrase to search for.');
  // Context wider than a screen of text is a mistake (and a width of a billion built a string too long for JavaScript).
  const width = parseWhole(options.context, '--context', { fallback: 40, min: 0, max: MAX_CONTEXT });
  const limit = parseWhole(options.limit, '--limit', { fallback: Infinity, min: 1 });
  const frame = loadFrame(ctx.root, ctx.codebook ? { codebook: ctx.codebook } : {});
  const matchers = new Map<Language, ReturnType<typeof compileMatcher>>();
  const matcherFor = (language: Language): ReturnType<typeof compileMatcher> => {
    let m = matchers.get(language);
    if (!m) {
      m = compileMatcher(queryCodebook(queries), language);
      const bad = m.problems[0];
      if (bad) throw new UsageError(bad.message.replace(/ of `q\d+`/, ''));
      matchers.set(language, m);
    }
    return m;
  };
  // Every transcript's redactions apply to all of them (a name one respondent redacts may come up in another interview).
  const redactor = createRedactor([...frame.redact, ...corpusRedactions(frame)]);
  const progress = new Progress(ctx.io, 'Searching');
  // The project's errors, shown as every command shows them (the results may be incomplete where a file is broken).
  const problems: Diagnostic[] = [];
  const collect = (messages: readonly Diagnostic[]): void => {
    for (const d of messages) {
      const shown = withSetting(d, frame.config.rules);
      if (shown?.severity === 'error') problems.push(masked(shown, redactor));
    }
  };
  for (const f of frame.files) collect(f.messages);
  const hits: Hit[] = [];
  let transcripts = 0;
  const respondents = new Set<string>();
  for (const item of streamCorpus({ ...frame, codebook: undefined }, { code: false })) {
    progress.update(item.index + 1, frame.transcriptPaths.length);
    collect(item.file.messages);
    const t = item.transcript;
    if (!t) continue;
    transcripts++;
    // Context is cut from the masked text: a cut through a name never shows half of it.
    const slice = redactor.slicer(t.plain);
    const matcher = matcherFor(t.language);
    for (const s of t.segments) {
      for (const [, evidence] of matcher.matchRange(t.plain, s.start, s.end)) {
        for (const e of evidence) {
          if (hits.length >= limit) break;
          respondents.add(t.id);
          const left = slice(Math.max(s.start, e.start - width), e.start).replace(/\s+/g, ' ');
          const right = slice(e.end, Math.min(s.end, e.end + width)).replace(/\s+/g, ' ');
          hits.push({ transcript: t.id, segment: s.segment as number, address: `${t.id}:${s.segment}`, location: locationOf(t, item.file, e.start), query: redactor.mask(e.keyword), start: e.start, end: e.end, left, match: slice(e.start, e.end), right });
        }
      }
    }
    if (!options.json) {
      // Print as we go: the concordance of a large corpus never sits in memory.
      for (const h of hits.splice(0)) ctx.io.stdout(redactor.mask(line(h, width)));
    }
  }
  progress.done();
  if (options.json) ctx.io.stdout(`${JSON.stringify(maskDeep(hits, redactor), null, 2)}\n`);
  else ctx.io.stderr(`${respondents.size} of ${transcripts} transcript${transcripts === 1 ? '' : 's'} match.\n`);
  if (problems.length === 0) return EXIT.ok;
  ctx.io.stderr(stylish(diagnosticsFromHere(ctx, problems).sort(compareDiagnostics), { color: ctx.colorErr }));
  return EXIT.problems;
}

/** A codebook with one code per query, so that queries get the keyword semantics. */
function queryCodebook(queries: readonly string[]): Codebook {
  const codes = new Map<string, Code>();
  queries.forEach((q, i) => {
    const id = `q${i + 1}`;
    codes.set(id, { id, localId: id, label: q, include: [], exclude: [], examples: [], keywords: [q], patterns: [], unless: [], children: [], depth: 0, order: i, range: [0, 0], keywordRanges: [[0, 0]], patternRanges: [], unlessRanges: [] });
  });
  return { file: '(query)', id: 'query', title: 'query', codes, roots: [...codes.keys()] };
}

function line(h: Hit, width: number): string {
  const left = h.left.length > width ? h.left.slice(-width) : h.left;
  return `${h.address.padEnd(9)} ${h.location}  ${left.padStart(width)}[${h.match}]${h.right}\n`;
}
