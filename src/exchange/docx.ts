/** The text of a Word document, paragraph by paragraph (mammoth's raw text). */
import mammoth from 'mammoth';

/** Extracts a `.docx`'s text: paragraphs separated by blank lines; warnings from mammoth. */
export async function docxText(bytes: Uint8Array): Promise<{ text: string; warnings: string[] }> {
  const result = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
  return { text: result.value.replace(/\n{3,}/g, '\n\n'), warnings: result.messages.map((m) => m.message) };
}
