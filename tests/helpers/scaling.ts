/**
 * Growth of a run time with the size of its input, for the tests that hold
 * work linear: a size and four times that size, each timed as the fastest of
 * two runs (other test files run alongside and steal time), after a warm-up.
 * Linear work takes about four times as long on four times the input (less
 * with fixed costs); quadratic work sixteen times. A bound of eight leaves
 * room for a loaded machine and still fails a quadratic.
 */

/** What {@link scaling} measured, in milliseconds. */
export interface Scaling {
  small: number;
  large: number;
  /** The size whose run took more than the limit, when one did (nothing was timed after it). */
  stoppedAt?: number;
}

/**
 * Times `run(n)` and `run(4 * n)`, and stops at the first run that takes
 * more than `limit` ms (slow code is reported at once, not timed again and
 * again: a quadratic run on the larger size can take minutes).
 *
 * @param run
 *   The work on an input of size `n` (build inputs before, outside the time).
 * @param n
 *   The smaller size.
 * @param limit
 *   Milliseconds that no run should take.
 * @returns
 *   The fastest run of each size; `large` is the slow run when a run of
 *   either size took more than `limit` (and `small` that run when it was one
 *   of the smaller size).
 */
export async function scaling(run: (n: number) => unknown, n: number, limit: number): Promise<Scaling> {
  const time = async (size: number): Promise<number> => {
    const started = performance.now();
    await run(size);
    return performance.now() - started;
  };
  const warm = Math.max(1, Math.floor(n / 4));
  const slow = await time(warm);
  if (slow > limit) return { small: slow, large: slow, stoppedAt: warm };
  let small = Infinity;
  for (let i = 0; i < 2; i++) {
    small = Math.min(small, await time(n));
    if (small > limit) return { small, large: small, stoppedAt: n };
  }
  let large = Infinity;
  for (let i = 0; i < 2; i++) {
    large = Math.min(large, await time(4 * n));
    if (large > limit) return { small, large, stoppedAt: 4 * n };
  }
  return { small, large };
}

/** A message for a failed growth assertion: both sizes and times. */
export function describeScaling(what: string, n: number, s: Scaling): string {
  if (s.stoppedAt !== undefined && s.stoppedAt < 4 * n) return `${what}: ${s.stoppedAt} took ${s.large.toFixed(0)} ms already`;
  return `${what}: ${n} in ${s.small.toFixed(0)} ms, ${4 * n} in ${s.large.toFixed(0)} ms (×${(s.large / s.small).toFixed(1)})`;
}
