/** The text of a Word document, paragraph by paragraph (mammoth's raw text). */
import { zipSync } from 'fflate';
import mammoth from 'mammoth';
import { readZip, type ZipLimits, type ZipRefusal } from './zip.js';

const MB = 1024 * 1024;

/**
 * What a `.docx` may inflate to. mammoth builds a tree of the whole XML and
 * takes some sixty times its size in memory (8 MB of `word/document.xml`:
 * 600 MB, 8 s), so the text part is capped at 16 MB, which holds some two
 * million words of a plainly formatted transcript; the XML parts mammoth
 * reads (styles, numbering, notes, comments) at 24 MB together.
 */
export const DOCX_LIMITS: Required<ZipLimits> = { maxEntries: 10_000, maxEntryBytes: 16 * MB, maxTotalBytes: 24 * MB };

/** The parts mammoth reads: the XML and the relationships, never the pictures or embedded files. */
const XML_PART = /\.(xml|rels)$/i;

/**
 * Extracts a `.docx`'s text: paragraphs separated by blank lines; warnings
 * from mammoth. A `.docx` is a zip archive and mammoth inflates it without
 * limits, so its XML parts are inflated here first, within
 * {@link DOCX_LIMITS} (declared sizes are checked before anything is
 * inflated, and a part that inflates past what it declares is refused), and
 * mammoth reads only them. Says why when the archive is refused (`limit`
 * when it is over a limit) or when mammoth cannot read it.
 */
export async function docxText(bytes: Uint8Array, limits: ZipLimits = DOCX_LIMITS): Promise<{ ok: true; text: string; warnings: string[] } | ZipRefusal> {
  const zip = readZip(bytes, limits, (name) => XML_PART.test(name));
  if (!zip.ok) return zip;
  const bounded = zipSync(Object.fromEntries(zip.files), { level: 0 });
  let result: Awaited<ReturnType<typeof mammoth.extractRawText>>;
  try {
    result = await mammoth.extractRawText({ buffer: Buffer.from(bounded) });
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  return { ok: true, text: result.value.replace(/\n{3,}/g, '\n\n'), warnings: result.messages.map((m) => m.message) };
}
