/**
 * Turning another tool's plain text into a transcript body without moving a
 * word: line breaks become LF, paragraphs become blank-line separated, and
 * anything the transcript parser would read as a coding marker is escaped.
 * Every change is recorded in a map, so that codings follow their words.
 */
import { ESCAPED } from '../project/markers.js';
import { TextMapBuilder, compose, type MappedText } from './text-map.js';

/**
 * `lines`: every line is a paragraph (what NVivo, MAXQDA and Word-derived
 * texts do); `blocks`: paragraphs are separated by blank lines and lines are
 * wrapped inside them (Markdown, Verbatim's own exports, plain-text transcripts).
 */
export type ParagraphMode = 'lines' | 'blocks';

/** Decides how paragraphs are delimited in a text (LF line breaks). */
export function paragraphMode(text: string): ParagraphMode {
  const lines = text.split('\n').filter((l) => l.trim() !== '').length;
  const blocks = text.split(/\n[ \t]*\n/).filter((b) => b.trim() !== '').length;
  // Blank-line paragraphs of a few wrapped lines each; otherwise one paragraph per line.
  return blocks >= 2 && lines / blocks <= 20 ? 'blocks' : lines <= 1 ? 'blocks' : 'lines';
}

/** CRLF and CR become LF; in `lines` mode a single line break becomes a blank line. */
export function normalizeBreaks(text: string, mode: ParagraphMode): MappedText {
  const b = new TextMapBuilder(text);
  const re = /(?:\r\n|\r|\n)+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const breaks = m[0].match(/\r\n|\r|\n/g)?.length ?? 0;
    const out = mode === 'lines' && breaks === 1 ? '\n\n' : '\n'.repeat(breaks);
    if (out !== m[0]) b.replace(m.index, m[0].length, out, 'before');
  }
  return b.done();
}

/**
 * Escapes `{` before `#`, `!`, `<` or `>` with a backslash, as the marker
 * scanner reads it, so that a text quoting marker syntax stays text, and a
 * backslash that the scanner would read as an escape (before a bracket, a
 * brace or a backslash), so that it stays in the plain text. Returns how many
 * escapes were added.
 */
export function escapeMarkers(text: string): MappedText & { escapes: number } {
  const b = new TextMapBuilder(text);
  let escapes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ((c === '\\' && ESCAPED.includes(text[i + 1] ?? ' ')) || (c === '{' && '#!<>'.includes(text[i + 1] ?? ' '))) {
      b.insert(i, '\\');
      escapes++;
    }
  }
  return { ...b.done(), escapes };
}

/** A body made from a source text. */
export interface PreparedBody extends MappedText {
  mode: ParagraphMode;
  escapes: number;
}

/** Normalises breaks and escapes markers; `mode` defaults to the detected one. */
export function prepareBody(raw: string, mode?: ParagraphMode): PreparedBody {
  const chosen = mode ?? paragraphMode(raw.replace(/\r\n?/g, '\n'));
  const breaks = normalizeBreaks(raw, chosen);
  const escaped = escapeMarkers(breaks.text);
  const map = compose(breaks, escaped);
  return { text: map.text, map: map.map, mode: chosen, escapes: escaped.escapes };
}
