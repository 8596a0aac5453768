/**
 * Codes one transcript: automatic codings from the matcher on every segment,
 * merged with the researcher's markers (`{#code}` adds, `[span]{#code}` adds a
 * span, `{!code}` rejects an automatic code for that paragraph).
 *
 * An automatic coding of a code that the segment carries by hand too is an
 * accepted one (`verbatim review` writes `{#code}`): the segment carries the
 * code once, as the researcher's coding (`origin: 'manual'`) marked
 * `accepted`, with the evidence the keywords gave (see {@link mergeAccepted}).
 */
import type { Paragraph, Transcript } from '../project/model.js';
import type { Evidence, Matcher } from './matcher.js';
import type { TokenBuffer } from './scanner.js';

/** One code on one segment. */
export interface Coding {
  transcript: string;
  /** 1-based number of the segment (respondent paragraph). */
  segment: number;
  /** Full dotted code id. */
  code: string;
  origin: 'auto' | 'manual';
  /** `[start, end)` in the transcript's plain text: the span, or the paragraph. */
  start: number;
  end: number;
  /** True for span codings (`[words]{#code}`, `{>code}…{<code}`). */
  span: boolean;
  /**
   * A manual coding the keywords proposed too: an automatic coding a researcher
   * accepted (the segment carries the code once). Absent otherwise.
   */
  accepted?: true;
  /** For automatic and accepted codings: the keywords that fired, offsets in the plain text. */
  evidence?: Evidence[];
}

/** A `{!code}` that rejected nothing, for the `stale-reject` warning. */
export interface StaleReject {
  transcript: string;
  code: string;
  marker: readonly [number, number];
}

/** The codings of a transcript. */
export interface TranscriptCoding {
  codings: Coding[];
  staleRejects: StaleReject[];
  /** The codes of the rejections that rejected an automatic coding, one per paragraph and code (for `status`). */
  rejected: string[];
}

/**
 * Codes a transcript. Manual codings naming codes that `known` lacks are left
 * out (check reports them).
 */
export function codeTranscript(transcript: Transcript, matcher: Matcher | undefined, known?: ReadonlySet<string>, observe?: (segment: Paragraph, words: TokenBuffer) => void): TranscriptCoding {
  const bySegmentIndex = new Map<number, Paragraph>();
  for (const s of transcript.segments) bySegmentIndex.set(s.index, s);
  const rejected = new Map<number, Map<string, readonly [number, number]>>();
  const manual: Coding[] = [];
  for (const c of transcript.codings) {
    if (known && !known.has(c.code)) continue;
    if (c.kind === 'reject') {
      for (const p of c.paragraphs) {
        const m = rejected.get(p) ?? new Map<string, readonly [number, number]>();
        m.set(c.code, c.marker);
        rejected.set(p, m);
      }
      continue;
    }
    for (const p of c.paragraphs) {
      const segment = bySegmentIndex.get(p);
      if (!segment) continue;
      const start = Math.max(c.start, segment.start);
      const end = Math.min(c.end, segment.end);
      manual.push({ transcript: transcript.id, segment: segment.segment as number, code: c.code, origin: 'manual', start: c.kind === 'span' ? start : segment.start, end: c.kind === 'span' ? end : segment.end, span: c.kind === 'span' });
    }
  }
  const auto: Coding[] = [];
  const used = new Set<string>();
  if (matcher) {
    for (const segment of transcript.segments) {
      const found = matcher.matchRange(transcript.plain, segment.start, segment.end, observe && ((words) => observe(segment, words)));
      const rejects = rejected.get(segment.index);
      for (const [code, evidence] of found) {
        if (rejects?.has(code)) {
          used.add(`${segment.index}:${code}`);
          continue;
        }
        auto.push({
          transcript: transcript.id,
          segment: segment.segment as number,
          code,
          origin: 'auto',
          start: segment.start,
          end: segment.end,
          span: false,
          evidence,
        });
      }
    }
  }
  const staleRejects: StaleReject[] = [];
  const rejectedCodes: string[] = [];
  if (matcher) {
    for (const [index, codes] of rejected) {
      for (const [code, marker] of codes) {
        if (used.has(`${index}:${code}`)) rejectedCodes.push(code);
        else staleRejects.push({ transcript: transcript.id, code, marker });
      }
    }
  }
  const codings = mergeAccepted([...manual, ...auto].sort(compareCodings));
  return { codings, staleRejects, rejected: rejectedCodes };
}

/**
 * Counts an accepted automatic coding once: an automatic coding of a code that
 * its segment carries by hand too (`{#code}`, or a span of it) is dropped, and
 * the first manual coding of that code on the segment is marked `accepted`,
 * with the automatic coding's evidence. `codings` are in {@link compareCodings}
 * order (the result too); both coding stages call this, so they agree.
 */
export function mergeAccepted<C extends Omit<Coding, 'transcript'>>(codings: C[]): C[] {
  if (!codings.some((c) => c.origin === 'manual')) return codings;
  const out: C[] = [];
  for (let i = 0; i < codings.length; ) {
    const segment = (codings[i] as C).segment;
    let j = i;
    while (j < codings.length && (codings[j] as C).segment === segment) j++;
    // The first manual coding of each code on this segment (few: most segments have none).
    let byHand: Map<string, C> | undefined;
    for (let k = i; k < j; k++) {
      const c = codings[k] as C;
      if (c.origin === 'manual' && !byHand?.has(c.code)) (byHand ??= new Map()).set(c.code, c);
    }
    for (let k = i; k < j; k++) {
      const c = codings[k] as C;
      const hand = c.origin === 'auto' ? byHand?.get(c.code) : undefined;
      if (!hand) {
        out.push(c);
        continue;
      }
      hand.accepted = true;
      if (c.evidence) hand.evidence = c.evidence;
    }
    i = j;
  }
  return out;
}

/**
 * Whether a coding counts under an origin filter (`--origin`, a section's
 * `origin:`): an accepted coding is both the researcher's and the keywords',
 * so `auto` keeps what the keywords coded and `manual` what a researcher did.
 */
export function ofOrigin(c: Pick<Coding, 'origin' | 'accepted'>, origin: 'auto' | 'manual'): boolean {
  return c.origin === origin || (origin === 'auto' && c.accepted === true);
}

/** The order of a transcript's codings: by segment, then start, manual before automatic, then code. */
export function compareCodings(a: Omit<Coding, 'transcript'>, b: Omit<Coding, 'transcript'>): number {
  return a.segment - b.segment || a.start - b.start || (a.origin === b.origin ? 0 : a.origin === 'manual' ? -1 : 1) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}
