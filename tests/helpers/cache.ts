/**
 * The record cache (`.verbatim/cache/`) is Verbatim's own and may be written
 * by any command that codes the corpus: tests that check that a command
 * changed none of the project's files leave it out.
 */
export function isCachePath(relative: string): boolean {
  return /(?:^|[\\/])\.verbatim[\\/]cache(?:[\\/]|$)/u.test(relative);
}
