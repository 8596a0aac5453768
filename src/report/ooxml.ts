/**
 * What the Office packages Verbatim writes (the deck, the Word document)
 * share: the report's inline Markdown as plain runs, who the document
 * properties name as author, and the zip rewritten so that the same document
 * gives the same bytes.
 */
import JSZip from 'jszip';

/** The date inside a package: the zip entries' and the document properties' (a file is the same whenever it is made). */
export const FIXED_DATE = '1980-01-01T00:00:00Z';

/** Who the document properties name as author: what tells a package Verbatim wrote. */
export const AUTHOR = 'Verbatim';

/** Backslash escapes and the few entities the Markdown report writes, undone. */
export function plain(s: string): string {
  return s
    .replace(/\\([!-/:-@[-`{-~])/gu, '$1')
    .replace(/&lt;/gu, '<')
    .replace(/&gt;/gu, '>')
    .replace(/&quot;/gu, '"')
    .replace(/&#(\d+);/gu, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/gu, '&');
}

/** A run of text: plain, and bold where the Markdown said `**…**`. */
export interface Span {
  text: string;
  bold: boolean;
}

/** Inline Markdown (`**bold**`; `*italic*` marks dropped) as plain spans. */
export function spans(markdown: string): Span[] {
  const out: Span[] = [];
  for (const piece of markdown.split(/(\*\*[^*]+\*\*)/u)) {
    if (piece === '') continue;
    const bold = piece.startsWith('**') && piece.endsWith('**') && piece.length > 4;
    const text = bold ? piece.slice(2, -2) : piece.replace(/(^|[^*\\])\*([^*]+)\*/gu, '$1$2');
    out.push({ text: plain(text), bold });
  }
  return out;
}

/** Inline Markdown as one plain string (a table cell, a document property). */
export function plainText(markdown: string): string {
  return spans(markdown)
    .map((s) => s.text)
    .join('');
}

/** True when the bytes are a package Verbatim wrote (its document properties name it as author). */
export async function isGeneratedPackage(bytes: Uint8Array): Promise<boolean> {
  try {
    const zip = await JSZip.loadAsync(bytes);
    return (await zip.file('docProps/core.xml')?.async('string'))?.includes(`<dc:creator>${AUTHOR}</dc:creator>`) === true;
  } catch {
    return false;
  }
}

/**
 * The same package with fixed dates (zip entries, `docProps/core.xml`,
 * packages inside it such as a chart's workbook), each part's name and text
 * passed through `rename`, each XML part through `edit` (by its new name), and
 * the `added` parts put in.
 */
export async function fixedPackage(
  bytes: Uint8Array,
  rename: (s: string) => string = (s) => s,
  edit: (name: string, xml: string) => string = (_n, xml) => xml,
  added: readonly { name: string; data: string | Uint8Array }[] = [],
): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bytes);
  const names = Object.keys(zip.files).filter((n) => !(zip.files[n] as JSZip.JSZipObject).dir);
  const date = new Date(FIXED_DATE);
  const out = new JSZip();
  for (const name of names) {
    const file = zip.files[name] as JSZip.JSZipObject;
    let data: string | Uint8Array;
    // A package inside (a chart's workbook): its XML parts through `edit` too, by their names inside it.
    if (/\.xlsx$/u.test(name)) data = await fixedPackage(await file.async('uint8array'), undefined, edit);
    else if (/\.(xml|rels)$/u.test(name)) data = edit(rename(name), rename(fixDates(await file.async('string'))));
    else data = await file.async('uint8array');
    out.file(rename(name), data, { date, createFolders: false });
  }
  for (const a of added) out.file(a.name, a.data, { date, createFolders: false });
  return await out.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 }, platform: 'UNIX' });
}

/** The names of a package's files (for tests and for what is added to it). */
export async function packageNames(bytes: Uint8Array): Promise<string[]> {
  const zip = await JSZip.loadAsync(bytes);
  return Object.keys(zip.files).filter((n) => !(zip.files[n] as JSZip.JSZipObject).dir);
}

function fixDates(xml: string): string {
  return xml.replace(/(<dcterms:(?:created|modified)[^>]*>)[^<]*(<\/dcterms:(?:created|modified)>)/gu, `$1${FIXED_DATE}$2`);
}
