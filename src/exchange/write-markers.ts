/**
 * Writes codings into a transcript as inline markers, so that the transcript
 * parser gives back exactly the same plain text and the same codings:
 *
 * - a coding of a whole paragraph: `{#code}` at the end of the paragraph;
 * - a span inside one paragraph: `[words]{#code}`, when its brackets nest
 *   with the other spans' brackets;
 * - any other span (crossing another span, or paragraphs): `{>code}` … `{<code}`.
 *
 * Codings are first snapped to words Verbatim can code: an edge in the blank
 * lines between paragraphs, on a speaker label or timestamp, or in a heading
 * moves to the nearest paragraph text. Other edges stay where they are, even
 * on a space or a line break, so that a coding selects the same text as in
 * the producing tool; only a begin/end marker between two blanks (which the
 * parser would remove with them) moves onto the words. The result is then parsed and compared;
 * a coding the parser does not give back is rewritten in the begin/end form,
 * and dropped (and reported) if that fails too.
 */
import { SourceFile } from '../core/source-file.js';
import type { Paragraph, Transcript } from '../project/model.js';
import { parseTranscript, type TranscriptOptions } from '../project/transcript.js';

/** A coding to write, in body offsets (UTF-16; the result's offsets are in the plain text, see {@link PlacedCoding}). */
export interface MarkerCoding<T = unknown> {
  code: string;
  start: number;
  end: number;
  /** Code every paragraph of the transcript (a coding of the whole source). */
  whole?: boolean;
  /** The caller's own reference, handed back in the results. */
  ref?: T;
}

/** Where a coding was written. */
export interface PlacedCoding<T = unknown> {
  coding: MarkerCoding<T>;
  /** Offsets in the transcript's plain text (the body, after the blank line that ends the front matter). */
  start: number;
  end: number;
  form: 'paragraph' | 'span' | 'begin-end';
  /** Set when an edge was moved, with the reason. */
  adjusted?: string;
}

/** A coding that could not be written. */
export interface DroppedCoding<T = unknown> {
  coding: MarkerCoding<T>;
  reason: string;
}

/** The transcript file with its markers. */
export interface MarkedTranscript<T = unknown> {
  /** Front matter + body with markers. */
  text: string;
  placed: PlacedCoding<T>[];
  dropped: DroppedCoding<T>[];
  /** The parsed result, for callers that check it. */
  transcript: Transcript | undefined;
}

const OPTIONS: TranscriptOptions = { language: 'fr', speakers: {}, codeInterviewer: false };

interface Group<T> {
  start: number;
  end: number;
  codes: string[];
  items: PlacedCoding<T>[];
}

function parse(path: string, text: string): Transcript | undefined {
  return parseTranscript(new SourceFile(path, text), OPTIONS);
}

/** The paragraphs markers may go in: text paragraphs with words. */
function textParagraphs(t: Transcript): Paragraph[] {
  return t.paragraphs.filter((p) => p.kind === 'text' && p.text !== '').sort((a, b) => a.start - b.start);
}

/** Moves the edges of a coding onto paragraph words; undefined when none is covered. */
function snap(start: number, end: number, paragraphs: readonly Paragraph[]): { start: number; end: number } | undefined {
  let s = start;
  if (!paragraphs.some((p) => p.start <= s && s < p.end)) {
    const next = paragraphs.find((p) => p.start >= s);
    if (!next) return undefined;
    s = next.start;
  }
  let e = end;
  if (!paragraphs.some((p) => p.start < e && e <= p.end)) {
    const previous = paragraphs.findLast((p) => p.end <= e);
    if (!previous) return undefined;
    e = previous.end;
  }
  return s < e ? { start: s, end: e } : undefined;
}

/** The maps between body offsets and plain offsets. */
interface BodyOffsets {
  /** A body offset (an escape's backslash goes with the character it escapes) → plain offset. */
  toPlain(offset: number): number;
  /** A plain offset → where a marker goes in the body (before an escape's backslash). */
  toBody(offset: number): number;
}

/**
 * The maps between `body` and the plain text of `t` (the transcript of the
 * front matter, `bodyStart` characters, and `body`), or undefined when the
 * plain text is not the body with its escapes' backslashes removed (the body
 * holds markers, or is not read as written).
 */
function bodyOffsets(t: Transcript, bodyStart: number, body: string): BodyOffsets | undefined {
  const plain = t.plain;
  // The plain text starts where the front matter ends: the blank line after it is in it.
  let lead = 0;
  while (lead < plain.length && t.toSource(lead) < bodyStart) lead++;
  // Where each plain character is in the body.
  const at = new Int32Array(plain.length - lead);
  let b = 0;
  for (let p = lead; p < plain.length; p++) {
    const source = t.toSource(p) - bodyStart;
    // Only escapes' backslashes may be skipped.
    for (; b < source; b++) {
      if (body[b] !== '\\') return undefined;
    }
    if (body[source] !== plain[p]) return undefined;
    at[p - lead] = source;
    b = source + 1;
  }
  if (b !== body.length) return undefined;
  return {
    toPlain: (offset) => {
      // The first plain character at or after `offset` in the body.
      let lo = 0;
      let hi = at.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((at[mid] as number) < offset) lo = mid + 1;
        else hi = mid;
      }
      return lead + lo;
    },
    toBody: (offset) => (offset <= lead ? 0 : (at[offset - lead - 1] as number) + 1),
  };
}

/** True when two ranges cross (overlap without one containing the other). */
function cross(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return (a.start < b.start && b.start < a.end && a.end < b.end) || (b.start < a.start && a.start < b.end && b.end < a.end);
}

/**
 * Writes `codings` into `body` under `frontMatter` (which must end with the
 * closing `---` line and a blank line).
 */
export function writeMarkers<T>(path: string, frontMatter: string, body: string, codings: readonly MarkerCoding<T>[]): MarkedTranscript<T> {
  const base = parse(path, frontMatter + body);
  const dropped: DroppedCoding<T>[] = [];
  const offsets = base ? bodyOffsets(base, frontMatter.length, body) : undefined;
  if (!base || !offsets) {
    return { text: frontMatter + body, placed: [], dropped: codings.map((coding) => ({ coding, reason: 'the text could not be read as a transcript' })), transcript: base };
  }
  const plain = base.plain;
  const shifted = codings.map((c) => ({ ...c, start: offsets.toPlain(c.start), end: offsets.toPlain(c.end), original: c }));
  const paragraphs = textParagraphs(base);
  const inParagraph = (s: number, e: number): Paragraph | undefined => paragraphs.find((p) => p.start <= s && e <= p.end);

  // Snap, then keep one coding per (code, range).
  const placed: PlacedCoding<T>[] = [];
  const seen = new Set<string>();
  for (const shiftedCoding of shifted) {
    const coding = shiftedCoding.original;
    const { start: cStart, end: cEnd } = shiftedCoding;
    let range: { start: number; end: number } | undefined;
    if (coding.whole) {
      const first = paragraphs[0];
      const last = paragraphs[paragraphs.length - 1];
      range = first && last ? { start: first.start, end: last.end } : undefined;
    } else if (cEnd <= cStart) {
      dropped.push({ coding, reason: 'the selection is empty' });
      continue;
    } else {
      range = snap(cStart, cEnd, paragraphs);
    }
    if (!range) {
      dropped.push({ coding, reason: 'the selection covers no paragraph text (only blank lines, a speaker label, a timestamp or a heading)' });
      continue;
    }
    const key = `${coding.code}\u0000${range.start}\u0000${range.end}`;
    if (seen.has(key)) {
      dropped.push({ coding, reason: 'the same code on the same text is already written (a duplicate coding)' });
      continue;
    }
    seen.add(key);
    const adjusted = !coding.whole && (range.start !== cStart || range.end !== cEnd) ? describeAdjustment(plain, cStart, cEnd, range) : undefined;
    const p = inParagraph(range.start, range.end);
    const form: PlacedCoding['form'] = p && p.start === range.start && p.end === range.end ? 'paragraph' : p ? 'span' : 'begin-end';
    placed.push({ coding, start: range.start, end: range.end, form, ...(adjusted ? { adjusted } : {}) });
  }

  // Brackets must nest: choose spans greedily (outer first), the rest use begin/end.
  const risky = (x: PlacedCoding<T>): boolean => /[[\]\\]/.test(plain.slice(x.start, x.end)) || body[offsets.toBody(x.start) - 1] === '\\';
  const assignForms = (): void => {
    const brackets: PlacedCoding<T>[] = [];
    const spans = placed.filter((x) => x.form === 'span').sort((a, b) => a.start - b.start || b.end - a.end);
    for (const x of spans) {
      if (risky(x) || brackets.some((y) => cross(x, y))) x.form = 'begin-end';
      else brackets.push(x);
    }
    // Begin/end markers pair with the latest open one of the same code: same-code ranges must nest.
    const byCode = new Map<string, PlacedCoding<T>[]>();
    for (const x of placed.filter((y) => y.form === 'begin-end').sort((a, b) => a.start - b.start || b.end - a.end)) {
      const list = byCode.get(x.coding.code) ?? [];
      if (list.some((y) => cross(x, y) || (y.start === x.start && y.end === x.end))) {
        placed.splice(placed.indexOf(x), 1);
        dropped.push({ coding: x.coding, reason: 'it overlaps another coding of the same code without containing it' });
        continue;
      }
      list.push(x);
      byCode.set(x.coding.code, list);
    }
  };
  assignForms();

  // Each failed attempt converts, trims or drops at least one coding, so this ends.
  for (let attempt = 0; ; attempt++) {
    const text = frontMatter + render(body, placed, offsets.toBody);
    const parsed = parse(path, text);
    const failing = verify(plain, base, parsed, placed);
    if (failing.length === 0) {
      placed.sort((a, b) => a.start - b.start || a.end - b.end || (a.coding.code < b.coding.code ? -1 : 1));
      return { text, placed, dropped, transcript: parsed };
    }
    // After many attempts (pathological texts), failing codings are dropped at once: each attempt parses the whole transcript.
    const patient = attempt < 50;
    for (const x of failing) {
      if (x.form === 'span' && patient) {
        x.form = 'begin-end';
        continue;
      }
      // A `{>code}`/`{<code}` between two blanks swallows them when the parser removes it: move it onto the words.
      let start = x.start;
      let end = x.end;
      while (start < end && /\s/.test(plain[start] as string)) start++;
      while (end > start && /\s/.test(plain[end - 1] as string)) end--;
      const key = `${x.coding.code}\u0000${start}\u0000${end}`;
      const trimmed = (start !== x.start || end !== x.end) && start < end && patient;
      if (trimmed && seen.has(key)) {
        placed.splice(placed.indexOf(x), 1);
        dropped.push({ coding: x.coding, reason: 'the same code on the same text is already written (a duplicate coding)' });
        continue;
      }
      if (trimmed) {
        seen.add(key);
        x.start = start;
        x.end = end;
        x.adjusted ??= 'edges moved off the blank space around the words';
        const p = inParagraph(start, end);
        x.form = p && p.start === start && p.end === end ? 'paragraph' : p ? 'span' : 'begin-end';
        continue;
      }
      placed.splice(placed.indexOf(x), 1);
      dropped.push({ coding: x.coding, reason: 'no marker written at this place reads back as the same coding' });
    }
    assignForms();
  }
}

function describeAdjustment(plain: string, start: number, end: number, range: { start: number; end: number }): string {
  const cut = (a: number, b: number): string => plain.slice(Math.min(a, b), Math.max(a, b));
  const removed = [start < range.start ? cut(start, range.start) : '', range.end < end ? cut(range.end, end) : ''].join('');
  return removed.trim() === '' ? 'edges moved off the blank lines between paragraphs' : 'edges moved off a speaker label, timestamp or heading';
}

/** The body with every marker inserted. */
function render<T>(body: string, placed: readonly PlacedCoding<T>[], toBody: (offset: number) => number): string {
  const at = new Map<number, { closes: Group<T>[]; ends: string[]; begins: string[]; opens: Group<T>[]; paragraph: string[] }>();
  const slot = (pos: number) => {
    let s = at.get(pos);
    if (!s) {
      s = { closes: [], ends: [], begins: [], opens: [], paragraph: [] };
      at.set(pos, s);
    }
    return s;
  };
  const groups = new Map<string, Group<T>>();
  for (const x of placed) {
    const start = toBody(x.start);
    const end = toBody(x.end);
    if (x.form === 'paragraph') slot(end).paragraph.push(x.coding.code);
    else if (x.form === 'begin-end') {
      slot(start).begins.push(x.coding.code);
      slot(end).ends.push(x.coding.code);
    } else {
      const key = `${start}:${end}`;
      let g = groups.get(key);
      if (!g) {
        g = { start, end, codes: [], items: [] };
        groups.set(key, g);
        slot(start).opens.push(g);
        slot(end).closes.push(g);
      }
      g.codes.push(x.coding.code);
      g.items.push(x);
    }
  }
  const positions = [...at.keys()].sort((a, b) => a - b);
  const out: string[] = [];
  let last = 0;
  for (const pos of positions) {
    out.push(body.slice(last, pos));
    last = pos;
    const s = at.get(pos)!;
    // Inner spans close first (the parser pairs `]` with the latest `[`).
    for (const g of s.closes.sort((a, b) => b.start - a.start)) out.push(`]{${g.codes.map((c) => `#${c}`).join(' ')}}`);
    const be = [...s.ends.map((c) => `<${c}`), ...s.begins.map((c) => `>${c}`)];
    if (be.length > 0) out.push(`{${be.join(' ')}}`);
    out.push('['.repeat(s.opens.length));
    if (s.paragraph.length > 0) out.push(` {${s.paragraph.map((c) => `#${c}`).join(' ')}}`);
  }
  out.push(body.slice(last));
  return out.join('');
}

/**
 * The codings to change before the next attempt. When the plain text or the
 * paragraphs came out different, every later offset shifts, so only the
 * codings with an edge where the difference starts are blamed (an edge
 * separated from it by blanks only, else the nearest one); otherwise the
 * codings the parser did not give back.
 */
function verify<T>(plain: string, base: Transcript, parsed: Transcript | undefined, placed: readonly PlacedCoding<T>[]): PlacedCoding<T>[] {
  if (!parsed) return [...placed];
  let diff = -1;
  if (parsed.plain !== plain) {
    diff = 0;
    while (diff < plain.length && plain[diff] === parsed.plain[diff]) diff++;
  } else {
    const a = base.paragraphs;
    const b = parsed.paragraphs;
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const p = a[i];
      const q = b[i];
      if (!p || !q || p.start !== q.start || p.end !== q.end || p.role !== q.role || p.kind !== q.kind || p.speaker !== q.speaker) {
        diff = Math.min(p?.start ?? plain.length, q?.start ?? plain.length);
        break;
      }
    }
  }
  if (diff >= 0) {
    const blank = (c: string | undefined): boolean => c === undefined || /\s/.test(c);
    const blankBetween = (edge: number): boolean => /^\s*$/.test(plain.slice(Math.min(edge, diff), Math.max(edge, diff)));
    // The parser widens a `{…}` marker's cut over the blanks around it when both sides are blank.
    const swallows = (edge: number): boolean => (blank(plain[edge - 1]) && blank(plain[edge])) || ((edge === 0 || plain[edge - 1] === '\n') && (plain[edge] === ' ' || plain[edge] === '\t'));
    const near = placed.filter((x) => blankBetween(x.start) || blankBetween(x.end));
    const blamed = near.filter((x) => (blankBetween(x.start) && swallows(x.start)) || (blankBetween(x.end) && swallows(x.end)));
    if (blamed.length > 0) return blamed;
    if (near.length > 0) return near;
    const distance = (x: PlacedCoding<T>): number => Math.min(Math.abs(x.start - diff), Math.abs(x.end - diff));
    const nearest = [...placed].sort((x, y) => distance(x) - distance(y))[0];
    return nearest ? [nearest] : [];
  }
  const counts = new Map<string, number>();
  for (const c of parsed.codings) {
    if (c.kind === 'reject') continue;
    const key = `${c.code}\u0000${c.start}\u0000${c.end}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const failing: PlacedCoding<T>[] = [];
  for (const x of placed) {
    const key = `${x.coding.code}\u0000${x.start}\u0000${x.end}`;
    const n = counts.get(key) ?? 0;
    if (n === 0) failing.push(x);
    else counts.set(key, n - 1);
  }
  return failing;
}
