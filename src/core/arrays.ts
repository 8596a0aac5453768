/**
 * Array helpers for arrays of any length. Spreading an array into a call
 * (`push(...items)`, `Math.max(...values)`) passes each element as an argument
 * on the stack, which overflows ("Maximum call stack size exceeded") from about
 * a hundred thousand elements: a transcript with that many codings, say.
 */

/**
 * Appends `items` to `target` in place.
 *
 * @returns
 *   `target`.
 */
export function append<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** `Math.max(initial, ...values)`, for any number of values. */
export function maxOf(values: Iterable<number>, initial = -Infinity): number {
  let max = initial;
  for (const v of values) if (v > max) max = v;
  return max;
}

/** `Math.min(initial, ...values)`, for any number of values. */
export function minOf(values: Iterable<number>, initial = Infinity): number {
  let min = initial;
  for (const v of values) if (v < min) min = v;
  return min;
}
