/**
 * The map from a text derived piece by piece from a source (normalised for
 * matching, or with escapes undone) back to the source: for each character
 * of the derived text, the range of the source it comes from. Kept per
 * piece, not per character: a piece copied one for one (offsets differ by a
 * constant), or a block of the source that became other characters.
 */
export class PieceMap {
  // Per piece: where it starts in the derived text, where its source starts, and ends (-1: one for one).
  readonly #at: number[] = [];
  readonly #from: number[] = [];
  readonly #to: number[] = [];

  /** From derived offset `at` on, characters come one for one from source offset `from` on. */
  copy(at: number, from: number): void {
    this.#at.push(at);
    this.#from.push(from);
    this.#to.push(-1);
  }

  /** From derived offset `at` on, characters come from the whole source range `[from, to)`. */
  block(at: number, from: number, to: number): void {
    this.#at.push(at);
    this.#from.push(from);
    this.#to.push(to);
  }

  /** Where the source of derived character `i` starts. */
  from(i: number): number {
    const p = this.#piece(i);
    return this.#to[p] === -1 ? (this.#from[p] as number) + i - (this.#at[p] as number) : (this.#from[p] as number);
  }

  /** Where the source of derived character `i` ends. */
  to(i: number): number {
    const p = this.#piece(i);
    const end = this.#to[p] as number;
    return end === -1 ? (this.#from[p] as number) + i - (this.#at[p] as number) + 1 : end;
  }

  /** The last piece starting at or before `i` (of pieces starting at the same place, the last, which is not empty). */
  #piece(i: number): number {
    let lo = 0;
    let hi = this.#at.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.#at[mid] as number) <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
