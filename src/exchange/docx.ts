/** The text of a Word document, paragraph by paragraph (mammoth's raw text). */
import { zipSync } from 'fflate';
import mammoth from 'mammoth';
import { DEFAULT_ZIP_LIMITS, readZip, type ZipLimits } from './zip.js';

/**
 * Extracts a `.docx`'s text: paragraphs separated by blank lines; warnings
 * from mammoth. A `.docx` is a zip archive and mammoth inflates it without
 * limits, so it is inflated here first, within the archive limits (a zip bomb
 * is refused; a header that lies about sizes gives truncated entries), and
 * mammoth reads only what was inflated. Throws, with the reason, on an
 * archive that is refused or that mammoth cannot read.
 */
export async function docxText(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<{ text: string; warnings: string[] }> {
  const zip = readZip(bytes, limits);
  if (!zip.ok) throw new Error(zip.message);
  const bounded = zipSync(Object.fromEntries(zip.files), { level: 0 });
  const result = await mammoth.extractRawText({ buffer: Buffer.from(bounded) });
  return { text: result.value.replace(/\n{3,}/g, '\n\n'), warnings: result.messages.map((m) => m.message) };
}
