/**
 * A dynamic test for catastrophic backtracking. safe-regex2 catches nested
 * repetition (`(a+)+`), but not repetitions in a row that can match the same
 * text (`\w*\w*\w*x`, `[a-z]+[a-z]+!`), whose cost grows as a power of the
 * input length. Each pattern runs, in a worker thread, on inputs built to make
 * such patterns fail slowly; a pattern still running after its budget is
 * unsafe. The main thread waits on a shared counter (Atomics.wait), so the
 * test is synchronous and the worker can be killed.
 */
import { Worker } from 'node:worker_threads';

/** Milliseconds a pattern may take on all the crafted inputs. */
const BUDGET_MS = 250;
/** Length of the crafted inputs: a cubic pattern needs ~10^10 steps on them. */
const LENGTH = 2000;

const verdicts = new Map<string, boolean>();

// The worker: test each pattern on each input; after each pattern, bump the counter.
const WORKER = `
const { workerData } = require('node:worker_threads');
const counter = new Int32Array(workerData.shared);
for (const source of workerData.sources) {
  try {
    const re = new RegExp(source, 'iu');
    for (const input of workerData.inputs) re.test(input);
  } catch {}
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
}
`;

/** Inputs on which backtracking patterns fail slowly: long runs of one kind of character, then a stopper. */
function inputs(): string[] {
  return ['a', 'é', '0', ' ', 'a ', '-', 'a1', '.'].flatMap((unit) => {
    const run = unit.repeat(Math.ceil(LENGTH / unit.length));
    return [`${run}!`, `${run}\u0000`];
  });
}

/**
 * The patterns (JavaScript sources, compiled with the `iu` flags) that take
 * longer than the budget on the crafted inputs. Results are remembered for
 * the life of the process.
 */
export function slowPatterns(sources: readonly string[]): Set<string> {
  const slow = new Set<string>();
  let pending = [...new Set(sources)].filter((s) => {
    const v = verdicts.get(s);
    if (v === true) slow.add(s);
    return v === undefined && repeats(s);
  });
  while (pending.length > 0) {
    const shared = new SharedArrayBuffer(4);
    const counter = new Int32Array(shared);
    const worker = new Worker(WORKER, { eval: true, workerData: { shared, sources: pending, inputs: inputs() } });
    let done = 0;
    let timedOut = false;
    while (done < pending.length) {
      // Wait for the next pattern to finish (the first one also pays for the worker's start).
      const budget = done === 0 ? BUDGET_MS + 1000 : BUDGET_MS;
      if (Atomics.wait(counter, 0, done, budget) === 'timed-out' && Atomics.load(counter, 0) === done) {
        timedOut = true;
        break;
      }
      done = Atomics.load(counter, 0);
    }
    void worker.terminate();
    for (const s of pending.slice(0, done)) verdicts.set(s, false);
    if (!timedOut) break;
    const culprit = pending[done] as string;
    verdicts.set(culprit, true);
    slow.add(culprit);
    pending = pending.slice(done + 1);
  }
  return slow;
}

/**
 * Whether a pattern repeats anything (`*`, `+`, `?`, `{n,m}`). Without
 * repetition a pattern tries a fixed number of paths at each position, so it
 * cannot backtrack catastrophically, and the worker (40 ms or more) is spared.
 */
export function repeats(source: string): boolean {
  const bare = source
    .replace(/\\[pPu]\{[^}]*\}/g, 'x') // \p{L}, \u{…}
    .replace(/\\./g, 'x') // other escapes
    .replace(/\[(?:\\.|[^\]\\])*\]/g, 'x') // classes
    .replace(/\(\?(?:[:=!]|<[=!]|<[^>]*>)/g, '('); // group syntax
  return /[*+?{]/.test(bare);
}
