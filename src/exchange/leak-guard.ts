/**
 * The last line of defence of a streamed export: every piece of text is
 * checked for redacted strings (`Redactor.leaks`, in the text and in its
 * decoded view) before it is written, and counts as the whole output
 * checked at once would: a name cut in two by the end of a piece is found
 * with the next piece, since each piece is checked together with the end of
 * the one before (a window a few times as long as the longest redacted
 * string), and a leak found in that window again is not counted twice.
 */
import type { ViewKind } from '../core/escapes.js';
import type { Redactor } from '../core/redact.js';

/**
 * How much of the end of a piece is checked again with the next one: room
 * for the longest redacted string written with escapes (`\u00e9` is six
 * characters for one) or with white space and invisible characters inside.
 */
export function leakWindow(secrets: Iterable<string>): number {
  let longest = 0;
  for (const s of secrets) longest = Math.max(longest, s.length);
  return Math.max(1024, 16 * longest);
}

/** Counts the leaks of the texts of an export, stream by stream. */
export class LeakGuard {
  /** Leaks found so far, in every stream. */
  leaks = 0;

  constructor(
    private readonly redactor: Redactor,
    private readonly window: number,
  ) {}

  /** A check for one stream of text of `kind` (one file, or one entry of an archive): returns the leaks a piece adds. */
  stream(kind: ViewKind): (text: string) => number {
    let tail = '';
    // Offsets in the whole stream: where `tail` starts, and where the last leak counted ends.
    let base = 0;
    let counted = 0;
    return (piece) => {
      if (this.redactor.isEmpty || piece === '') return 0;
      const text = tail + piece;
      const fresh = base + tail.length;
      let found = 0;
      for (const [s, e] of this.redactor.leaks(text, kind)) {
        const start = base + s;
        const end = base + e;
        // Within the end of the previous piece: counted with it.
        if (end <= fresh) continue;
        // The continuation of a leak counted already (the whole text would show one range).
        if (start < counted) {
          counted = Math.max(counted, end);
          continue;
        }
        found++;
        counted = end;
      }
      const keep = keepFrom(text, this.window);
      base += keep;
      tail = text.slice(keep);
      this.leaks += found;
      return found;
    };
  }
}

/**
 * Where the part of `text` kept for the next check starts: `window`
 * characters from the end, moved back to a white space within another
 * window when there is one, so that the next check does not start inside an
 * escape (`\u00e9`, `&eacute;`, `""` hold none).
 */
function keepFrom(text: string, window: number): number {
  if (text.length <= window) return 0;
  const at = text.length - window;
  const limit = Math.max(0, at - window);
  for (let i = at; i >= limit; i--) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) return i;
  }
  return at;
}
