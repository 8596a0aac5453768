/**
 * TF-IDF vectors over the corpus's segments, to find the verbatims closest to
 * what a code is about. Written here rather than taken from natural's TfIdf
 * so that words are the coding's own (the same tokenizer and stemmer as the
 * keywords) and every sum runs in a fixed order: identical inputs give
 * identical scores, bit for bit.
 *
 * weight(term, text) = count(term, text) × ln((N + 1) / (df(term) + 1)), where
 * N is the number of segments and df the segments containing the term; a term
 * present in every segment weighs nothing. Vectors are L2-normalised, so the
 * cosine of two vectors is their dot product.
 */
import { createStemmer, type Stem } from '../coding/stem.js';
import { tokenize } from '../coding/tokenize.js';
import type { Language } from '../project/model.js';

/** A sparse, normalised vector: term → weight. */
export type Vector = ReadonlyMap<string, number>;

/** Document frequencies of a corpus, and the vectors of any text against them. */
export class TfIdf {
  readonly #df = new Map<string, number>();
  readonly #n: number;
  readonly #stemmers = new Map<Language, Stem>();

  /**
   * @param documents
   *   The corpus: one text per segment, with its language.
   */
  constructor(documents: readonly { text: string; language: Language }[]) {
    this.#n = documents.length;
    for (const d of documents) {
      for (const term of new Set(this.terms(d.text, d.language))) this.#df.set(term, (this.#df.get(term) ?? 0) + 1);
    }
  }

  /** The stemmed, folded words of a text, in order. */
  terms(text: string, language: Language): string[] {
    let stem = this.#stemmers.get(language);
    if (!stem) {
      stem = createStemmer(language);
      this.#stemmers.set(language, stem);
    }
    const s = stem;
    return tokenize(text, language).map((t) => s(t.text));
  }

  /** The normalised TF-IDF vector of a text. */
  vector(text: string, language: Language): Vector {
    const tf = new Map<string, number>();
    for (const term of this.terms(text, language)) tf.set(term, (tf.get(term) ?? 0) + 1);
    const out = new Map<string, number>();
    for (const [term, count] of tf) {
      const w = count * Math.log((this.#n + 1) / ((this.#df.get(term) ?? 0) + 1));
      if (w > 0) out.set(term, w);
    }
    return normalise(out);
  }
}

/** Divides a vector by its length; the empty vector stays empty. */
export function normalise(v: ReadonlyMap<string, number>): Vector {
  let sum = 0;
  for (const w of v.values()) sum += w * w;
  if (sum === 0) return new Map();
  const norm = Math.sqrt(sum);
  const out = new Map<string, number>();
  for (const [t, w] of v) out.set(t, w / norm);
  return out;
}

/** The cosine of two normalised vectors (0 when either is empty). */
export function cosine(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [t, w] of small) {
    const x = large.get(t);
    if (x !== undefined) dot += w * x;
  }
  return dot;
}

/**
 * The normalised weighted sum of vectors, in the order given: the direction a
 * set of texts points to.
 */
export function centroid(vectors: readonly { vector: Vector; weight: number }[]): Vector {
  const sum = new Map<string, number>();
  for (const { vector, weight } of vectors) for (const [t, w] of vector) sum.set(t, (sum.get(t) ?? 0) + w * weight);
  return normalise(sum);
}
