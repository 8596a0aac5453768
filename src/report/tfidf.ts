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
 *
 * Terms are numbered as they are first seen, and a word form is told from the
 * text in place (`WordCache`), so a word of the corpus is stemmed once, not at
 * each occurrence; a vector is two typed arrays, its terms in the order of
 * their first occurrence, which is the order of every sum below (and was the
 * insertion order of the maps this replaced: the figures are the same).
 */
import { scanWords, TokenBuffer } from '../coding/scanner.js';
import { createStemmer, type Stem } from '../coding/stem.js';
import { WordCache } from '../coding/word-cache.js';
import type { Language } from '../project/model.js';

/** A sparse vector over term numbers: `ids[k]` weighs `weights[k]`, in the order of the sums. */
export interface TermVector {
  readonly ids: Int32Array;
  readonly weights: Float64Array;
}

/** A vector that is looked up by term number (a code's centroid, compared with many excerpts). */
export interface DenseVector extends TermVector {
  /** Weight by term number (0 when absent); as long as the vocabulary when it was made. */
  readonly byId: Float64Array;
}

const EMPTY: TermVector = { ids: new Int32Array(0), weights: new Float64Array(0) };

/** Document frequencies of a corpus, and the vectors of any text against them. */
export class TfIdf {
  /** Term numbers, and the terms by number. */
  readonly #ids = new Map<string, number>();
  readonly #terms: string[] = [];
  #df: Int32Array = new Int32Array(1024);
  #n = 0;
  readonly #stemmers = new Map<Language, Stem>();
  /** Word form (as written) → term number, by language. */
  readonly #forms = new Map<Language, WordCache<number>>();
  readonly #tokens = new TokenBuffer();
  /** Scratch, by term number: the count of a term in the text at hand (0 elsewhere), and the last document that counted it. */
  #count: Int32Array = new Int32Array(1024);
  #lastDoc: Int32Array = new Int32Array(1024);
  readonly #order: number[] = [];
  /** Scratch of {@link centroid}: sums by term number (0 elsewhere), and the lookup table of the last centroid and its terms. */
  #sums = new Float64Array(0);
  #dense = new Float64Array(0);
  #denseIds: Int32Array = new Int32Array(0);
  /** See {@link #idfTable}. */
  #idf = { n: -1, table: new Float64Array(0) };

  /** Adds a document (a segment): `text[from, to)`. */
  add(text: string, language: Language, from = 0, to = text.length): void {
    this.#n++;
    const doc = this.#n;
    this.#scan(text, language, from, to);
    const t = this.#tokens;
    const forms = this.#formsOf(language);
    for (let i = 0; i < t.count; i++) {
      const start = t.starts[i] as number;
      const end = t.ends[i] as number;
      const id = forms.get(text, start, end) ?? this.#termAt(text, language, start, end);
      if (this.#lastDoc[id] === doc) continue;
      this.#lastDoc[id] = doc;
      this.#df[id] = (this.#df[id] as number) + 1;
    }
  }

  /** The normalised TF-IDF vector of `text[from, to)`, over term numbers. */
  termVector(text: string, language: Language, from = 0, to = text.length): TermVector {
    this.#scan(text, language, from, to);
    const t = this.#tokens;
    const order = this.#order;
    order.length = 0;
    const forms = this.#formsOf(language);
    for (let i = 0; i < t.count; i++) {
      const start = t.starts[i] as number;
      const end = t.ends[i] as number;
      const id = forms.get(text, start, end) ?? this.#termAt(text, language, start, end);
      const c = this.#count[id] as number;
      if (c === 0) order.push(id);
      this.#count[id] = c + 1;
    }
    const ids: number[] = [];
    const weights: number[] = [];
    const idf = this.#idfTable();
    for (const id of order) {
      const w = (this.#count[id] as number) * (idf[id] as number);
      this.#count[id] = 0;
      if (w > 0) {
        ids.push(id);
        weights.push(w);
      }
    }
    return normaliseTerms(Int32Array.from(ids), Float64Array.from(weights));
  }

  /**
   * The normalised weighted sum of vectors, in the order given (the direction
   * a set of texts points to), looked up by term number. Its lookup table is
   * this object's own, valid until the next call (the picker compares one
   * code's centroid with its excerpts, then goes on to the next code): one
   * table per call was a vocabulary's length per code.
   */
  centroid(vectors: Iterable<{ vector: TermVector; weight: number }>): DenseVector {
    for (let k = 0; k < this.#denseIds.length; k++) this.#dense[this.#denseIds[k] as number] = 0;
    this.#denseIds = new Int32Array(0);
    this.#room(this.#terms.length);
    let sums = this.#sums;
    const order: number[] = [];
    // (The vectors may be made as they are summed, and find terms the corpus did not have: the tables grow.)
    for (const { vector, weight } of vectors) {
      if (this.#terms.length > sums.length) {
        this.#room(this.#terms.length);
        sums = this.#sums;
      }
      for (let k = 0; k < vector.ids.length; k++) {
        const id = vector.ids[k] as number;
        // Weights are positive: a sum is 0 only before the term's first product (and 0 + x is x, as the maps this replaced gave).
        if (sums[id] === 0) order.push(id);
        sums[id] = (sums[id] as number) + (vector.weights[k] as number) * weight;
      }
    }
    const ids = Int32Array.from(order);
    const normal = normaliseTerms(ids, Float64Array.from(order, (id) => sums[id] as number));
    for (const id of order) sums[id] = 0;
    return this.dense(normal);
  }

  /**
   * A vector made ready to be looked up by term number (a centroid made
   * earlier, say): its lookup table is this object's own, as {@link centroid}'s.
   */
  dense(vector: TermVector): DenseVector {
    for (let k = 0; k < this.#denseIds.length; k++) this.#dense[this.#denseIds[k] as number] = 0;
    this.#denseIds = new Int32Array(0);
    this.#room(this.#terms.length);
    const byId = this.#dense;
    for (let k = 0; k < vector.ids.length; k++) byId[vector.ids[k] as number] = vector.weights[k] as number;
    this.#denseIds = vector.ids;
    return { ids: vector.ids, weights: vector.weights, byId };
  }

  /**
   * ln((N + 1) / (df + 1)) by term number, computed once for the corpus as it
   * is (again after an {@link add}, or for terms found since).
   */
  #idfTable(): Float64Array {
    const size = this.#terms.length;
    if (this.#idf.n !== this.#n || this.#idf.table.length < size) {
      const table = new Float64Array(Math.max(size, this.#df.length));
      for (let id = 0; id < table.length; id++) table[id] = Math.log((this.#n + 1) / ((this.#df[id] ?? 0) + 1));
      this.#idf = { n: this.#n, table };
    }
    return this.#idf.table;
  }

  /** Scratch tables of {@link centroid} for `size` terms (both zero, as they are between calls). */
  #room(size: number): void {
    if (this.#sums.length >= size) return;
    const n = Math.max(size, 2 * this.#sums.length);
    const sums = new Float64Array(n);
    sums.set(this.#sums);
    this.#sums = sums;
    this.#dense = new Float64Array(n);
  }

  #scan(text: string, language: Language, from: number, to: number): void {
    scanWords(text, language, this.#tokens, undefined, from, to);
  }

  /** The word forms seen in a language, and their term numbers. */
  #formsOf(language: Language): WordCache<number> {
    let forms = this.#forms.get(language);
    if (!forms) {
      // Room for a large vocabulary of forms: the cache starts again empty when it is full.
      forms = new WordCache<number>(1 << 19);
      this.#forms.set(language, forms);
    }
    return forms;
  }

  /** The number of the term of the word `text[start, end)`, a form not seen yet (or forgotten). */
  #termAt(text: string, language: Language, start: number, end: number): number {
    const forms = this.#formsOf(language);
    let id = forms.get(text, start, end);
    if (id === undefined) {
      let stem = this.#stemmers.get(language);
      if (!stem) {
        stem = createStemmer(language);
        this.#stemmers.set(language, stem);
      }
      const term = (stem.once ?? stem)(text.slice(start, end));
      id = this.#ids.get(term);
      if (id === undefined) {
        id = this.#terms.length;
        this.#terms.push(term);
        this.#ids.set(term, id);
        this.#grow(id + 1);
      }
      forms.set(text, start, end, id);
    }
    return id;
  }

  #grow(size: number): void {
    if (size <= this.#df.length) return;
    const n = Math.max(size, this.#df.length * 2);
    const grown = (a: Int32Array): Int32Array => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.#df = grown(this.#df);
    this.#count = grown(this.#count);
    this.#lastDoc = grown(this.#lastDoc);
  }
}

/** Divides a vector by its length; the empty vector stays empty. */
function normaliseTerms(ids: Int32Array, weights: Float64Array): TermVector {
  let sum = 0;
  for (let k = 0; k < weights.length; k++) sum += (weights[k] as number) * (weights[k] as number);
  if (sum === 0) return EMPTY;
  const norm = Math.sqrt(sum);
  for (let k = 0; k < weights.length; k++) weights[k] = (weights[k] as number) / norm;
  return { ids, weights };
}

/** The cosine of a vector and a centroid (0 when either is empty), summed in the order of the smaller one. */
export function termCosine(a: TermVector, b: DenseVector): number {
  let dot = 0;
  if (a.ids.length <= b.ids.length) {
    for (let k = 0; k < a.ids.length; k++) {
      const id = a.ids[k] as number;
      const x = id < b.byId.length ? (b.byId[id] as number) : 0;
      if (x !== 0) dot += (a.weights[k] as number) * x;
    }
    return dot;
  }
  const mine = new Map<number, number>();
  for (let k = 0; k < a.ids.length; k++) mine.set(a.ids[k] as number, a.weights[k] as number);
  for (let k = 0; k < b.ids.length; k++) {
    const x = mine.get(b.ids[k] as number);
    if (x !== undefined) dot += (b.weights[k] as number) * x;
  }
  return dot;
}
