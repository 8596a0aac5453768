/**
 * Masking of redacted strings (names, places) in every output. Case is
 * ignored and any run of spaces in a redacted string matches any run of white
 * space, so that a name broken across lines is still masked.
 */

/** What replaces a redacted string. */
export const MASK = '[·]';

/** A function that masks the given strings in a text; the identity when there are none. */
export type Masker = (text: string) => string;

/** Builds a masker for `secrets` (longest first, so that "Jean Dupont" wins over "Jean"). */
export function createMasker(secrets: readonly string[]): Masker {
  const clean = [...new Set(secrets.map((s) => s.trim()).filter((s) => s !== ''))].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  if (clean.length === 0) return (text) => text;
  const source = clean.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '[\\s\\u00a0]+')).join('|');
  const re = new RegExp(source, 'giu');
  return (text) => text.replace(re, MASK);
}
