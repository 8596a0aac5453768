/**
 * Offsets are the internal currency for positions; 1-based line/column pairs
 * are only computed at the edge, for messages (as vfile-location does).
 * Columns count UTF-16 code units, like JavaScript string indices.
 */
export interface Point {
  /** 1-based line. */
  line: number;
  /** 1-based column, in UTF-16 code units. */
  column: number;
}

/** Maps offsets of one text to 1-based line/column points. */
export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
    }
    this.starts = starts;
  }

  /** The point of an offset; offsets past the end clamp to the end. */
  point(offset: number): Point {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - (this.starts[lo] as number) + 1 };
  }

  /** The offset of a point (inverse of {@link point}). */
  offset(point: Point): number {
    const start = this.starts[point.line - 1];
    if (start === undefined) return this.text.length;
    return Math.min(start + point.column - 1, this.text.length);
  }

  /** Number of lines. */
  get lines(): number {
    return this.starts.length;
  }
}

/**
 * A copy of `s` that does not keep its parent string alive. V8 represents a
 * slice of 13 characters or more as a view on the whole parent: a cache keyed
 * by words sliced from a file would keep every file in memory.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (` ${s}`).slice(1);
}
