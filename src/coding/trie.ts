/**
 * A trie over folded word prefixes that rejects, without building a string or
 * stemming, every word that cannot match the first word of any keyword.
 *
 * Why a prefix of the stem is enough: natural's French stemmer only deletes
 * suffixes or replaces them by a short ending, so the folded stem of a word
 * is the folded word's own prefix except for its last letters: two letters
 * when the stem ends in `qu` (`…ication` → `…iqu`) or `nt` (`…emment` →
 * `…ent`), one when it ends in `t`, `x`, `l` or `i` (`…ence` → `…ent`,
 * `…euse` → `…eux`, `…aux` → `…al`, `…y` → `…i`), none otherwise; accents
 * and case are folded away on both sides. English Porter replacements stay
 * within two letters. A property test (tests/unit/trie.test.ts) checks this
 * invariant on random words.
 */
import type { Language } from '../project/model.js';
import type { CompiledKeyword } from './matcher.js';
import { foldUnit } from './normalize.js';

/** Letters at the end of a stem that may differ from the word (see the module comment). */
export function stemSlack(stem: string, language: Language): number {
  if (language !== 'fr') return 2;
  if (stem.endsWith('qu') || stem.endsWith('nt')) return 2;
  const last = stem[stem.length - 1];
  return last === 't' || last === 'x' || last === 'l' || last === 'i' ? 1 : 0;
}

/** The compiled trie. */
export interface PrefixTrie {
  /** True when the word `text[start, end)` may match a keyword's first word. */
  accepts(text: string, start: number, end: number): boolean;
}

/** Builds the trie from the keywords' first elements. */
export function buildTrie(keywords: readonly CompiledKeyword[], language: Language): PrefixTrie {
  const children: Map<number, number>[] = [new Map()];
  const terminal: boolean[] = [false];
  for (const k of keywords) {
    const first = k.elements[0];
    if (!first) continue;
    const prefix = first.kind === 'stem' ? first.value.slice(0, Math.max(0, first.value.length - stemSlack(first.value, language))) : first.value;
    let node = 0;
    for (let i = 0; i < prefix.length && !terminal[node]; i++) {
      const c = prefix.charCodeAt(i);
      let next = (children[node] as Map<number, number>).get(c);
      if (next === undefined) {
        next = children.length;
        children.push(new Map());
        terminal.push(false);
        (children[node] as Map<number, number>).set(c, next);
      }
      node = next;
    }
    terminal[node] = true;
  }
  const rootTerminal = terminal[0] === true;
  return {
    accepts(text: string, start: number, end: number): boolean {
      if (rootTerminal) return true;
      let node = 0;
      for (let i = start; i < end; i++) {
        const code = text.charCodeAt(i);
        // ASCII letters and digits fold to themselves in lower case: the common case, without a lookup.
        const folded = code < 0x80 ? (code >= 0x41 && code <= 0x5a ? code | 0x20 : code) : -1;
        if (folded >= 0) {
          const next = (children[node] as Map<number, number>).get(folded);
          if (next === undefined) return false;
          if (terminal[next]) return true;
          node = next;
          continue;
        }
        const f = foldUnit(code);
        for (let j = 0; j < f.length; j++) {
          const next = (children[node] as Map<number, number>).get(f.charCodeAt(j));
          if (next === undefined) return false;
          if (terminal[next]) return true;
          node = next;
        }
      }
      return false;
    },
  };
}
