/** `verbatim lsp --stdio`: the language server (../lsp.ts) on stdin and stdout. */
import { UsageError, type Context, type ExitCode } from '../context.js';

export async function lsp(options: { stdio?: boolean }, _ctx: Context): Promise<ExitCode> {
  if (!options.stdio) throw new UsageError('`verbatim lsp` speaks the Language Server Protocol on stdin and stdout: add `--stdio` (editors start it so; see docs/editors.md).');
  const { runLanguageServer } = await import('../lsp.js');
  runLanguageServer();
  // The server runs until the client sends `exit`, which ends the process.
  return new Promise<ExitCode>(() => undefined);
}
