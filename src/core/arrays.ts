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

/**
 * The first index of `list` whose element passes `test`, for a test that
 * fails on a first part of the list and passes on all the rest (a sorted list
 * searched for a bound), found by bisection; `list.length` when none passes.
 */
export function firstPassing<T>(list: readonly T[], test: (x: T) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (test(list[mid] as T)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
