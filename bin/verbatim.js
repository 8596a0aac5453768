#!/usr/bin/env node
// The bin is a few lines: the CLI lives in src/cli/run.ts (compiled to dist/).
const argv = process.argv.slice(2);
// `verbatim tag --json | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // Fast path: scripts call --version often; answer without loading the CLI.
  const { readFileSync } = await import('node:fs');
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  let run;
  try {
    ({ main: run } = await import('../dist/cli/main.js'));
  } catch (error) {
    process.stderr.write(`verbatim: cannot load the compiled program (${error.message}); run \`npm install\` (or \`npm run build\`) in the Verbatim folder.\n`);
    process.exit(2);
  }
  process.exitCode = await run(argv);
}
