/**
 * Ids from names: code names of other tools become Verbatim local ids, source
 * names become transcript ids. The original name is kept as the label.
 */

/** Removes accents and other combining marks: `Oltás` → `Oltas`, `Œuvre` → `OEuvre`. */
export function asciiFold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[Œœ]/g, (c) => (c === 'Œ' ? 'OE' : 'oe'))
    .replace(/[Ææ]/g, (c) => (c === 'Æ' ? 'AE' : 'ae'))
    .replace(/ß/g, 'ss')
    .replace(/[Øø]/g, (c) => (c === 'Ø' ? 'O' : 'o'))
    .replace(/[Łł]/g, (c) => (c === 'Ł' ? 'L' : 'l'))
    .replace(/[Đđ]/g, (c) => (c === 'Đ' ? 'D' : 'd'));
}

const MAX_LENGTH = 48;

/** Cuts a slug at a `-` near `max` so that ids stay readable. */
function shorten(slug: string, max: number): string {
  if (slug.length <= max) return slug;
  const cut = slug.lastIndexOf('-', max);
  return (cut > max / 2 ? slug.slice(0, cut) : slug.slice(0, max)).replace(/[-_]+$/, '');
}

/**
 * A local code id from a code name: ASCII-folded, lowercase, runs of other
 * characters turned into `-` (`_` is kept: it is allowed in ids).
 * `1. Oltás típusa` → `1-oltas-tipusa`. Empty when nothing is left.
 */
export function slugCodeId(name: string): string {
  const slug = asciiFold(name)
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
  return shorten(slug, MAX_LENGTH);
}

/**
 * A transcript id from a source or file name: extension dropped, case kept,
 * ASCII-folded, other characters turned into `-`. `Mabêl 2ième.txt` → `Mabel-2ieme`.
 */
export function slugTranscriptId(name: string): string {
  const base = name.replace(/\.(txt|docx?|rtf|pdf|md|vtt|srt|odt)$/i, '');
  const slug = asciiFold(base)
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_.]+|[-_.]+$/g, '');
  return shorten(slug, MAX_LENGTH);
}

/**
 * Hands out unique ids: the first `wanted` is returned as is, the next ones
 * get `-2`, `-3`…; an empty wish becomes `fallback`.
 */
export class IdAllocator {
  private readonly used = new Set<string>();

  /**
   * @param taken
   *   Ids already in use (compared case-insensitively, since file systems may be).
   */
  constructor(taken: Iterable<string> = []) {
    for (const t of taken) this.used.add(t.toLowerCase());
  }

  /** A unique id close to `wanted`. */
  take(wanted: string, fallback: string): string {
    const base = wanted === '' ? fallback : wanted;
    let id = base;
    for (let n = 2; this.used.has(id.toLowerCase()); n++) id = `${base}-${n}`;
    this.used.add(id.toLowerCase());
    return id;
  }
}
