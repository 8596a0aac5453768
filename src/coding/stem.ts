/**
 * Stemming with natural's Porter stemmers (French Snowball for `fr`, Porter for
 * `en`), memoised: a corpus repeats a few thousand words millions of times.
 * Only the stemmer modules are imported: natural's index loads database
 * drivers and reads `.env`, which a CLI must not do.
 */
import porterEn from 'natural/lib/natural/stemmers/porter_stemmer.js';
import porterFr from 'natural/lib/natural/stemmers/porter_stemmer_fr.js';
import type { Language } from '../project/model.js';
import { detach } from '../core/location.js';
import { fold, lowerForStem } from './normalize.js';

/** Turns a word into its matching key: stemmed, then case and accent folded. */
export type Stem = (word: string) => string;

const MAX_CACHE = 200_000;

/** A memoised stemmer for a language. The cache is bounded so memory stays flat on huge vocabularies. */
export function createStemmer(language: Language): Stem {
  const stemmer = language === 'en' ? porterEn : porterFr;
  let cache = new Map<string, string>();
  return (word: string): string => {
    let key = cache.get(word);
    if (key === undefined) {
      // Detached copies: the word is often a slice of a whole transcript, which the cache must not keep.
      key = detach(fold(stemmer.stem(lowerForStem(word))));
      if (cache.size >= MAX_CACHE) cache = new Map();
      cache.set(detach(word), key);
    }
    return key;
  };
}
