/**
 * Redaction for exports: every redacted string (a transcript's `redact` and the
 * project's) is replaced by `[·]` in every text that leaves Verbatim. Offsets
 * of exported codings refer to the masked text: the mask is applied first and
 * coding offsets are carried through its map.
 */
import { redactionPattern } from '../core/redact.js';
import { TextMapBuilder, identity, type MappedText } from './text-map.js';

/** What a redacted string becomes. */
export const MASK = '[·]';

/**
 * A case-insensitive matcher of the secrets, longest first, or undefined when
 * there are none: the one every output uses, where a space in a secret matches
 * any run of white space (a name broken across lines is masked too).
 */
function matcher(secrets: readonly string[]): RegExp | undefined {
  return redactionPattern(secrets);
}

/** Masks the secrets in `text`, with the map from the original offsets. */
export function maskText(text: string, secrets: readonly string[]): MappedText {
  const re = matcher(secrets);
  if (!re) return identity(text);
  const b = new TextMapBuilder(text);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0] === '') {
      re.lastIndex++;
      continue;
    }
    b.replace(m.index, m[0].length, MASK, 'expand');
  }
  return b.done();
}

/** Masks the secrets in a short string (a label, a value) where no offsets are kept. */
export function maskString(text: string, secrets: readonly string[]): string {
  const re = matcher(secrets);
  return re ? text.replace(re, MASK) : text;
}

/**
 * The secrets that still appear in an output, for the last check before
 * anything is written (compared case-insensitively, like `check`'s `redaction-leak`).
 */
export function findLeaks(output: string, secrets: readonly string[]): string[] {
  const re = matcher(secrets);
  if (!re) return [];
  const found = new Set<string>();
  for (const m of output.matchAll(re)) found.add(m[0]);
  return [...found].sort();
}
