/** Runs the CLI in-process in a folder, as a user would type `verbatim …` there. */
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';

/** The exit code, stdout and stderr of `verbatim ARGV…` run in `dir`. */
export async function cli(dir: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo(dir);
  const code = await run(argv, io);
  return { code, out: io.out, err: io.err };
}
