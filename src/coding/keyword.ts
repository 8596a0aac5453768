/**
 * A compiled keyword: the shape the matcher (matcher.ts) builds from the
 * codebook and that the trie (trie.ts) and the byte-level matcher
 * (utf8-matcher.ts) read. Kept apart from the matcher so that those modules
 * depend on the data, not on the module that compiles it.
 */

/** One word of a keyword. */
export interface Element {
  kind: 'stem' | 'prefix' | 'exact';
  /** The stem, folded prefix or folded word to compare with. */
  value: string;
  /** The word as written, folded (to recognise stop words). */
  word: string;
}

/** A compiled keyword (or `unless` veto) of a code. */
export interface CompiledKeyword {
  code: string;
  /** The keyword as written in the codebook. */
  source: string;
  elements: Element[];
  /**
   * The element looked up first (the anchor): the most specific word of a
   * phrase, so that `à lui seul` is looked for at `seul`, not at every `à`.
   */
  anchor: number;
  /** Index in the code's `keywords` (or `unless`) list. */
  index: number;
  veto: boolean;
}
