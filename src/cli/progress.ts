import type { Io } from './io.js';

/**
 * A progress line on stderr for long runs: only on a TTY, only after the run
 * has lasted a moment, redrawn at most ten times a second, erased at the end.
 */
export class Progress {
  private last = 0;
  private shown = false;
  private readonly started = Date.now();

  constructor(
    private readonly io: Io,
    private readonly label: string,
  ) {}

  update(done: number, total: number): void {
    if (!this.io.stderrIsTTY) return;
    const now = Date.now();
    if (now - this.started < 500 || (now - this.last < 100 && done < total)) return;
    this.last = now;
    this.shown = true;
    const width = 24;
    const filled = total > 0 ? Math.round((done / total) * width) : 0;
    this.io.stderr(`\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  }

  done(): void {
    if (this.shown) this.io.stderr('\r\x1b[2K');
    this.shown = false;
  }
}
