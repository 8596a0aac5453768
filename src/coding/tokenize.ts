/**
 * Tokenization with offsets kept (natural's tokenizers return bare strings, so
 * offsets would be lost). Words are runs of Unicode letters and digits (with
 * combining marks); hyphens and other punctuation split words
 * (`co-construction` → `co`, `construction`) the same way in text and
 * keywords; French elisions are split off and dropped (`l'État` → `État`),
 * while apostrophes inside words are kept (`aujourd'hui`, `quelqu'un`).
 */
import type { Language } from '../project/model.js';
import { scanWords, TokenBuffer } from './scanner.js';

export { isElision } from './scanner.js';

/** A word of the text. */
export interface Token {
  /** The word as written. */
  text: string;
  /** `[start, end)` in the tokenized text. */
  start: number;
  end: number;
}

const buffer = new TokenBuffer();

/**
 * Splits `text` into word tokens.
 *
 * @param language
 *   `fr` splits elisions off; `en` keeps apostrophes inside words but drops a final `'s`.
 */
export function tokenize(text: string, language: Language = 'fr'): Token[] {
  scanWords(text, language, buffer);
  const tokens: Token[] = new Array(buffer.count);
  for (let i = 0; i < buffer.count; i++) {
    const start = buffer.starts[i] as number;
    const end = buffer.ends[i] as number;
    tokens[i] = { text: text.slice(start, end), start, end };
  }
  return tokens;
}
