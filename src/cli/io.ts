/**
 * Where a command's output goes. Only this module and `bin/` touch `process`:
 * tests run commands in-process with a memory Io.
 */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Terminal width for tables and progress, when known. */
  columns?: number;
  /**
   * Resolves once stdout has taken what was written to it (a pipe to a
   * slower reader holds it in memory until then): for commands that print as
   * they go, so that they wait rather than pile up output.
   */
  stdoutDrained?(): Promise<void>;
  /**
   * Runs a whole command line in a worker thread with a bounded young
   * generation, its output here (worker-io.ts), and returns its exit code:
   * for the commands that read the whole corpus. Only the process's Io has
   * it (main.ts); elsewhere (tests, the worker itself) commands run in place.
   */
  inWorker?(argv: readonly string[]): Promise<number>;
  /**
   * The keys typed, one at a time, for interactive commands (`verbatim
   * review`): present only when both stdin and stdout are terminals (or a
   * test scripts the keys). `done()` gives the terminal back.
   */
  keys?(): { next(): Promise<string | undefined>; done(): void };
}

/** Keys from a terminal in raw mode: one string per key press (an escape sequence is one). */
function terminalKeys(): { next(): Promise<string | undefined>; done(): void } {
  const stdin = process.stdin;
  const queue: string[] = [];
  let waiting: ((key: string | undefined) => void) | undefined;
  let ended = false;
  const onData = (chunk: Buffer): void => {
    const key = chunk.toString('utf8');
    if (waiting) {
      const w = waiting;
      waiting = undefined;
      w(key);
    } else queue.push(key);
  };
  const onEnd = (): void => {
    ended = true;
    waiting?.(undefined);
    waiting = undefined;
  };
  stdin.setRawMode(true);
  stdin.on('data', onData);
  stdin.on('end', onEnd);
  stdin.resume();
  return {
    next: () => {
      const key = queue.shift();
      if (key !== undefined) return Promise.resolve(key);
      if (ended) return Promise.resolve(undefined);
      return new Promise((resolve) => (waiting = resolve));
    },
    done: () => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
    },
  };
}

/** The real process. */
export function nodeIo(): Io {
  const io: Io = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
    stdoutDrained: () => (process.stdout.writableNeedDrain ? new Promise((resolve) => process.stdout.once('drain', () => resolve())) : Promise.resolve()),
    ...(process.stdin.isTTY && process.stdout.isTTY ? { keys: terminalKeys } : {}),
  };
  return io;
}

/** Keys for {@link Io.keys} from a list (tests): each string is one key press; then the input ends. */
export function scriptedKeys(keys: readonly string[]): () => { next(): Promise<string | undefined>; done(): void } {
  // One list for every session (a command may give the terminal back and take it again, as around an editor).
  const left = [...keys];
  return () => ({ next: () => Promise.resolve(left.shift()), done: () => undefined });
}

/** An Io that records everything, for tests. */
export interface MemoryIo extends Io {
  out: string;
  err: string;
}

export function memoryIo(cwd: string, env: Record<string, string | undefined> = {}): MemoryIo {
  const io: MemoryIo = {
    out: '',
    err: '',
    stdout: (t) => {
      io.out += t;
    },
    stderr: (t) => {
      io.err += t;
    },
    cwd,
    env,
    stdoutIsTTY: false,
    stderrIsTTY: false,
  };
  return io;
}

/**
 * Colour is on only for a TTY, never with NO_COLOR or --no-color;
 * FORCE_COLOR turns it on anywhere (https://no-color.org, https://force-color.org).
 */
export function useColor(io: Io, tty: boolean, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return tty;
}
