/**
 * Tokenization with offsets kept (natural's tokenizers return bare strings, so
 * offsets would be lost). Words are runs of Unicode letters and digits; hyphens
 * split words (`co-construction` → `co`, `construction`) the same way in text
 * and keywords; French elisions are split off and dropped (`l'État` → `État`),
 * while apostrophes inside words are kept (`aujourd'hui`, `quelqu'un`).
 */
import type { Language } from '../project/model.js';

/** A word of the text. */
export interface Token {
  /** The word as written. */
  text: string;
  /** `[start, end)` in the tokenized text. */
  start: number;
  end: number;
}

/** French elided forms, written before an apostrophe. */
export const ELISIONS: ReadonlySet<string> = new Set(['l', 'd', 'j', 'n', 's', 'c', 'm', 't', 'qu', 'jusqu', 'lorsqu', 'puisqu', 'quoiqu']);

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

/**
 * Splits `text` into word tokens.
 *
 * @param language
 *   `fr` splits elisions off; `en` keeps apostrophes inside words but drops a final `'s`.
 */
export function tokenize(text: string, language: Language = 'fr'): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const word = m[0];
    const at = m.index;
    if (!/['’]/.test(word)) {
      tokens.push({ text: word, start: at, end: at + word.length });
      continue;
    }
    pushApostrophed(tokens, word, at, language);
  }
  return tokens;
}

/** A word with apostrophes: split its elisions off (fr) or its possessive (en). */
function pushApostrophed(tokens: Token[], word: string, at: number, language: Language): void {
  const parts = word.split(/['’]/);
  if (language === 'en') {
    const last = parts[parts.length - 1]?.toLowerCase();
    const text = last === 's' && parts.length === 2 ? (parts[0] as string) : word;
    tokens.push({ text, start: at, end: at + text.length });
    return;
  }
  let offset = at;
  let i = 0;
  // Leading elisions: l', d', qu', jusqu'… (possibly chained: "qu'l" is not French, but "d'l'" costs nothing)
  while (i < parts.length - 1 && ELISIONS.has((parts[i] as string).toLowerCase())) {
    offset += (parts[i] as string).length + 1;
    i++;
  }
  const rest = word.slice(offset - at);
  if (rest !== '') tokens.push({ text: rest, start: offset, end: offset + rest.length });
}
