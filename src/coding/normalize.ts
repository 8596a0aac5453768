/** Case and accent folding shared by the tokenizer, the stemmer and the matcher. */

const COMBINING = /[\u0300-\u036f]/g;

/** Lower case, ligatures spelled out (œ → oe), diacritics removed: `État` → `etat`. */
export function fold(word: string): string {
  const lower = word.toLowerCase();
  // Fast path: plain ASCII needs nothing more.
  if (/^[\x00-\x7f]*$/.test(lower)) return lower;
  return lower.replace(/œ/g, 'oe').replace(/æ/g, 'ae').normalize('NFD').replace(COMBINING, '').normalize('NFC');
}

/** Lower case with ligatures spelled out, accents kept (what the stemmers expect). */
export function lowerForStem(word: string): string {
  const lower = word.toLowerCase();
  if (/^[\x00-\x7f]*$/.test(lower)) return lower;
  return lower.replace(/œ/g, 'oe').replace(/æ/g, 'ae');
}
