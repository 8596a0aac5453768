/**
 * A trie over folded word prefixes that lets the scanner reject, without
 * building a string or stemming, every word that cannot match the anchor word
 * of any keyword (see `chooseAnchor` in matcher.ts).
 *
 * Why a prefix of the stem is enough: natural's French stemmer only deletes
 * suffixes or replaces them by a short ending, so the folded stem of a word
 * is the folded word's own prefix except for the letters a replacement
 * wrote. Those end the stem, and natural's source (porter_stemmer_fr.js)
 * has only these: `iqu` (`…ication`, `…icité` → `…iqu`) and `ant`/`ent`
 * (`…amment` → `…ant`, `…emment`/`…ence` → `…ent`), two letters; `abl`
 * (`…abilité`), `al` (`…aux`), `eux` (`…euse`) and a final `i` (from `y`),
 * one letter; none for any other stem, so that `prot` asks for words that
 * begin with `prot`, not `pro`. Accents and case are folded away on both
 * sides. English Porter replacements stay within two letters. A property
 * test (tests/unit/matcher.test.ts) checks this invariant on random words
 * with every replacing suffix, and on the words of the demo corpus.
 */
import type { Language } from '../project/model.js';
import type { CompiledKeyword } from './keyword.js';
import { foldUnit } from './normalize.js';
import type { ScanTrie } from './scanner.js';

/** Letters at the end of a stem that may differ from the word (see the module comment). */
export function stemSlack(stem: string, language: Language): number {
  if (language !== 'fr') return 2;
  if (stem.endsWith('iqu') || stem.endsWith('ant') || stem.endsWith('ent')) return 2;
  return stem.endsWith('abl') || stem.endsWith('al') || stem.endsWith('eux') || stem.endsWith('i') ? 1 : 0;
}

/** The folded prefix a word must start with to match a keyword's anchor element. */
export function keywordPrefix(k: CompiledKeyword, language: Language): string {
  const anchor = k.elements[k.anchor];
  if (!anchor) return '';
  return anchor.kind === 'stem' ? anchor.value.slice(0, Math.max(0, anchor.value.length - stemSlack(anchor.value, language))) : anchor.value;
}

/** Builds the flat trie of the keywords' anchor elements. */
export function buildTrie(keywords: readonly CompiledKeyword[], language: Language): ScanTrie {
  const prefixes = keywords.map((k) => keywordPrefix(k, language));
  // The alphabet: every character of a prefix gets a symbol from 1.
  const alphabet = new Map<number, number>();
  for (const p of prefixes) for (let i = 0; i < p.length; i++) if (!alphabet.has(p.charCodeAt(i))) alphabet.set(p.charCodeAt(i), alphabet.size + 1);
  const width = alphabet.size + 1;
  const children: number[][] = [[]];
  const isTerminal: boolean[] = [false];
  for (const p of prefixes) {
    let node = 0;
    for (let i = 0; i < p.length && !isTerminal[node]; i++) {
      const s = alphabet.get(p.charCodeAt(i)) as number;
      let n = (children[node] as number[])[s];
      if (n === undefined) {
        n = children.length;
        children.push([]);
        isTerminal.push(false);
        (children[node] as number[])[s] = n;
      }
      node = n;
    }
    isTerminal[node] = true;
  }
  const next = new Int32Array(children.length * width);
  children.forEach((row, node) => row.forEach((n, s) => (next[node * width + s] = n)));
  const terminal = Uint8Array.from(isTerminal, (t) => (t ? 1 : 0));

  // Symbols of code units, computed on first sight: -3 unknown, -2 several letters, -1 none, 0 not in the alphabet.
  const symbolOf = new Int16Array(65536).fill(-3);
  const several = new Map<number, number[]>();
  const symbol = (code: number): number => {
    let s = symbolOf[code] as number;
    if (s === -3) {
      const f = foldUnit(code);
      if (f.length === 0) s = -1;
      else if (f.length === 1) s = alphabet.get(f.charCodeAt(0)) ?? 0;
      else {
        s = -2;
        several.set(code, [...f].map((ch) => alphabet.get(ch.charCodeAt(0)) ?? 0));
      }
      symbolOf[code] = s;
    }
    return s;
  };
  const ascii = new Int16Array(128);
  for (let c = 0; c < 128; c++) ascii[c] = symbol(c);
  return { width, next, terminal, rootTerminal: terminal[0] === 1, ascii, symbol, symbols: (code) => several.get(code) ?? [] };
}
