/**
 * What every export shares: the project data it reads, which codings it
 * keeps, and each transcript's exported text: the plain text (markers
 * removed) with redactions masked, LF line breaks and no leading blank lines. Exported offsets are
 * code points in that text (REFI-QDA §10.2), whatever the format.
 */
import { ofOrigin, type Coding } from '../coding/code-transcript.js';
import { MASK, type Redactor } from '../core/redact.js';
import type { Codebook, Code, Panel, Transcript } from '../project/model.js';
import type { OffsetUnit } from './offsets.js';
import { TextMapBuilder, codePointIndex, compose, identity, normalizeNewlines, type MappedText, type Side } from './text-map.js';

/** The parts of an analysed project that exports read (a `CodedProject` fits). */
export interface ExportInput {
  transcripts: readonly Transcript[];
  codebook?: Codebook;
  panel?: Panel;
  codings: readonly Coding[];
  /** Project-level redactions (verbatim.yaml and `.verbatim/redact.txt`). */
  redact: readonly string[];
}

/** Which codings an export carries. */
export type OriginFilter = 'all' | 'manual' | 'auto';

/** Options every export takes. */
export interface ExportOptions {
  /** Codings to carry: all (default), only the researcher's, or only automatic ones. */
  origin?: OriginFilter;
  /** `Verbatim 0.1.0`: written as the REFI `origin`. */
  generator?: string;
}

/** A transcript as exports show it. */
export interface ExportedText {
  transcript: Transcript;
  /** The masked plain text with LF line breaks. */
  text: string;
  /** Plain-text offset (UTF-16) → offset in `text` (UTF-16). */
  toText(offset: number, side: Side): number;
  /** Offset in `text` (UTF-16) → code points. */
  codePoints(utf16: number): number;
}

/** The exported text of a transcript and its offset maps. */
export function exportedText(transcript: Transcript, redactor: Redactor): ExportedText {
  const masked = maskedText(transcript.plain, redactor);
  // Texts without CR or surrogates (most) take no copy and no table: their maps are the identity.
  const lf = masked.text.includes('\r') ? compose(masked, normalizeNewlines(masked.text)) : masked;
  // The plain text starts with the blank line after the front matter: exported texts start with words.
  const lead = /^\s*\n/.exec(lf.text)?.[0].length ?? 0;
  const map = lead > 0 ? compose(lf, dropLead(lf.text, lead)) : lf;
  const cp = /[\ud800-\udfff]/.test(map.text) ? codePointIndex(map.text) : (u: number): number => Math.max(0, Math.min(u, map.text.length));
  return { transcript, text: map.text, toText: (o, side) => map.map(o, side), codePoints: cp };
}

/** `text` without its first `lead` characters; an offset in them maps to 0. */
function dropLead(text: string, lead: number): MappedText {
  return { text: text.slice(lead), map: (offset) => (offset <= lead ? 0 : Math.min(offset, text.length) - lead) };
}

/** A coding with its offsets in code points of the exported text. */
export interface ExportedCoding {
  coding: Coding;
  /** Code points in the exported text (or UTF-16 code units, when asked). */
  start: number;
  end: number;
  /** The coded words as exported (masked). */
  text: string;
}

/** Converts a coding's offsets into the exported text, in code points (or UTF-16 code units). */
export function exportCoding(coding: Coding, text: ExportedText, unit: OffsetUnit = 'code-points'): ExportedCoding {
  const s = text.toText(coding.start, 'start');
  const e = Math.max(s, text.toText(coding.end, 'end'));
  const at = unit === 'utf16' ? (u: number): number => u : text.codePoints;
  return { coding, start: at(s), end: at(e), text: text.text.slice(s, e) };
}

/** The codings an export keeps, in project order. */
export function selectCodings(codings: readonly Coding[], origin: OriginFilter = 'all'): Coding[] {
  return origin === 'all' ? [...codings] : codings.filter((c) => ofOrigin(c, origin));
}

/** Codes in codebook order (depth first). */
export function codesInOrder(codebook: Codebook | undefined): Code[] {
  return codebook ? [...codebook.codes.values()].sort((a, b) => a.order - b.order) : [];
}

/**
 * The attributes to export, in panel order, then those only found in
 * transcripts, in order of first appearance.
 */
export function attributeIds(input: Pick<ExportInput, 'panel' | 'transcripts'>): string[] {
  const ids = (input.panel?.attributes ?? []).map((a) => a.id);
  const seen = new Set(ids);
  for (const t of input.transcripts) {
    for (const k of Object.keys(t.attributes)) {
      if (!seen.has(k)) {
        seen.add(k);
        ids.push(k);
      }
    }
  }
  return ids;
}

/**
 * `text` with every redacted string masked, and the map from its offsets:
 * exported codings are carried through the mask (a span that touches a masked
 * name covers the whole mask).
 */
export function maskedText(text: string, redactor: Redactor): MappedText {
  const ranges = redactor.ranges(text);
  if (ranges.length === 0) return identity(text);
  const b = new TextMapBuilder(text);
  for (const [start, end] of ranges) b.replace(start, end - start, MASK, 'expand');
  return b.done();
}
