/**
 * Texts that are transformed on their way in or out (redactions masked, line
 * breaks normalised, escapes inserted) carry a map from the offsets of the
 * original text to offsets of the new one, so that codings follow their words.
 */

/** Which edge of a span an offset is: it matters only inside a replaced run. */
export type Side = 'start' | 'end';

/**
 * How offsets strictly inside a replaced run map: `expand` sends a start to
 * the replacement's start and an end to its end (a span that touches a masked
 * name covers the whole mask); `before` sends both to the replacement's start.
 */
export type Interior = 'expand' | 'before';

/** A text derived from a source text, with the offset map. */
export interface MappedText {
  readonly text: string;
  /** Maps an offset of the source text (0…source length) to an offset of `text`. */
  map(offset: number, side?: Side): number;
}

interface Piece {
  src: number;
  srcLength: number;
  tgt: number;
  tgtLength: number;
  /** undefined: copied as is. */
  interior?: Interior;
}

/** Builds a {@link MappedText} piece by piece, left to right over the source. */
export class TextMapBuilder {
  private readonly pieces: Piece[] = [];
  private readonly out: string[] = [];
  private src = 0;
  private tgt = 0;

  constructor(private readonly source: string) {}

  /** Copies the source up to `to`. */
  copyTo(to: number): this {
    if (to > this.src) {
      this.push({ src: this.src, srcLength: to - this.src, tgt: this.tgt, tgtLength: to - this.src }, this.source.slice(this.src, to));
    }
    return this;
  }

  /** Replaces the source run `[at, at + length)` (after copying up to `at`) with `text`. */
  replace(at: number, length: number, text: string, interior: Interior = 'expand'): this {
    this.copyTo(at);
    this.push({ src: at, srcLength: length, tgt: this.tgt, tgtLength: text.length, interior }, text);
    return this;
  }

  /** Inserts `text` at `at`; the source offset `at` maps before it. */
  insert(at: number, text: string): this {
    return this.replace(at, 0, text, 'before');
  }

  /** Copies the rest of the source and returns the result. */
  done(): MappedText {
    this.copyTo(this.source.length);
    const pieces = this.pieces.slice();
    const text = this.out.join('');
    const sourceLength = this.source.length;
    const map = (offset: number, side: Side = 'start'): number => {
      if (offset <= 0) return 0;
      if (offset >= sourceLength) {
        // Insertions at the very end are after every offset of the source.
        return text.length - trailingInsertions(pieces, sourceLength);
      }
      // The last piece starting at or before offset (insertions at offset come first and are skipped).
      let lo = 0;
      let hi = pieces.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((pieces[mid] as Piece).src <= offset) lo = mid;
        else hi = mid - 1;
      }
      let k = lo;
      // Prefer the first piece that starts exactly at offset (an insertion there maps before itself).
      while (k > 0 && (pieces[k - 1] as Piece).src === offset) k--;
      const p = pieces[k] as Piece;
      const inside = offset - p.src;
      if (p.interior === undefined) return p.tgt + inside;
      if (inside === 0) return p.tgt;
      if (inside >= p.srcLength) return p.tgt + p.tgtLength;
      return p.interior === 'expand' && side === 'end' ? p.tgt + p.tgtLength : p.tgt;
    };
    return { text, map };
  }

  private push(piece: Piece, text: string): void {
    this.pieces.push(piece);
    this.out.push(text);
    this.src = piece.src + piece.srcLength;
    this.tgt += piece.tgtLength;
  }
}

function trailingInsertions(pieces: readonly Piece[], sourceLength: number): number {
  let n = 0;
  for (let i = pieces.length - 1; i >= 0; i--) {
    const p = pieces[i] as Piece;
    if (p.src === sourceLength && p.srcLength === 0) n += p.tgtLength;
    else break;
  }
  return n;
}

/** The identity map of a text. */
export function identity(text: string): MappedText {
  return { text, map: (offset) => Math.max(0, Math.min(offset, text.length)) };
}

/** Chains two maps: `first` turns A into B, `second` B into C. */
export function compose(first: MappedText, second: MappedText): MappedText {
  return { text: second.text, map: (offset, side) => second.map(first.map(offset, side), side) };
}

/** CRLF and lone CR become LF; an offset between CR and LF maps before the LF. */
export function normalizeNewlines(text: string): MappedText {
  const b = new TextMapBuilder(text);
  const re = /\r\n?/g;
  for (let m = re.exec(text); m; m = re.exec(text)) b.replace(m.index, m[0].length, '\n', 'before');
  return b.done();
}

/**
 * Offsets in code points: `prefix[i]` is the number of code points in
 * `text.slice(0, i)` (an offset inside a surrogate pair counts the pair as not yet reached).
 */
export function codePointIndex(text: string): (utf16: number) => number {
  const prefix = new Uint32Array(text.length + 1);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    prefix[i] = n;
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        prefix[i + 1] = n;
        i++;
      }
    }
    n++;
  }
  prefix[text.length] = n;
  return (utf16) => prefix[Math.max(0, Math.min(utf16, text.length))] as number;
}

/** The length of a text in code points. */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
