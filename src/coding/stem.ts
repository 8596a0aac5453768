/**
 * Stemming with natural's Porter stemmers (French Snowball for `fr`, Porter for
 * `en`), memoised: a corpus repeats a few thousand words millions of times.
 * Only the stemmer modules are imported: natural's index loads database
 * drivers and reads `.env`, which a CLI must not do.
 */
import { createRequire } from 'node:module';
import type { Language } from '../project/model.js';
import { detach } from '../core/location.js';
import { fold, lowerForStem } from './normalize.js';

/**
 * Turns a word into its matching key: stemmed, then case and accent folded
 * (a word longer than {@link MAX_STEMMED} is folded only).
 * `once` gives the same key without the memo, for callers that ask once per
 * word anyway (the byte path of `tag`): the memo would only keep copies.
 */
export type Stem = ((word: string) => string) & { once?: (word: string) => string };

const MAX_CACHE = 200_000;

/**
 * The longest word that is stemmed; a longer one is its own key, folded.
 * natural's English Porter stemmer is quadratic on a run of consonants
 * (`categorizeGroups` backtracks over the rest of the run at each letter:
 * 18 s for one word of 64,000 characters); no word of a language, and so no
 * keyword's stem, is this long. A keyword word this long is folded the same
 * way, so it still matches itself. The folded word is its own prefix, as the
 * scanner's trie and the byte-level matcher expect of a stem (see trie.ts).
 */
export const MAX_STEMMED = 64;

/** natural's stemmer of a language, loaded when first asked for (a French project never loads the English one). */
const stemmers: Partial<Record<Language, { stem(word: string): string }>> = {};
function stemmerFor(language: Language): { stem(word: string): string } {
  stemmers[language] ??= createRequire(import.meta.url)(language === 'en' ? 'natural/lib/natural/stemmers/porter_stemmer.js' : 'natural/lib/natural/stemmers/porter_stemmer_fr.js') as { stem(word: string): string };
  return stemmers[language];
}

/** A memoised stemmer for a language. The cache is bounded so memory stays flat on huge vocabularies. */
export function createStemmer(language: Language): Stem {
  const stemmer = stemmerFor(language);
  const once = (word: string): string => (word.length > MAX_STEMMED ? fold(word) : fold(stemmer.stem(lowerForStem(word))));
  let cache = new Map<string, string>();
  const memoised = (word: string): string => {
    let key = cache.get(word);
    if (key === undefined) {
      // Detached copies: the word is often a slice of a whole transcript, which the cache must not keep.
      key = detach(once(word));
      if (cache.size >= MAX_CACHE) cache = new Map();
      cache.set(detach(word), key);
    }
    return key;
  };
  return Object.assign(memoised, { once });
}
