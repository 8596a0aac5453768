/**
 * A test that cannot run here skips *and says why*: `npm test` on a bare
 * machine prints one line per reason, so a skip is never silent.
 *
 * @returns
 *   `reason` when the test must skip (to pass to `skipIf`), after printing it
 *   on stderr; undefined when it can run.
 */
export function skipBecause(what: string, reason: string | undefined): string | undefined {
  if (reason !== undefined) console.warn(`skipped: ${what}: ${reason}`);
  return reason;
}
