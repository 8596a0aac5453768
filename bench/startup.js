// Startup time of `verbatim --version` against a bare `node -e 0`: median of N runs each.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/verbatim.js', import.meta.url));
const runs = Number(process.env.RUNS ?? 21);

function median(cmd, args) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    execFileSync(cmd, args, { stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const bare = median(process.execPath, ['-e', '0']);
const version = median(process.execPath, [bin, '--version']);
const help = median(process.execPath, [bin, '--help']);
console.log(`startup (median of ${runs}): node -e 0 ${bare.toFixed(0)} ms; verbatim --version ${version.toFixed(0)} ms (+${(version - bare).toFixed(0)} ms); verbatim --help ${help.toFixed(0)} ms (+${(help - bare).toFixed(0)} ms)`);
