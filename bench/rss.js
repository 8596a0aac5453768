// Preloaded with --import by bench/run.js: reports the peak resident memory at exit.
import { writeSync } from 'node:fs';
process.on('exit', () => {
  writeSync(2, `\nBENCH_MAXRSS_KB=${process.resourceUsage().maxRSS}\n`);
});
