#!/usr/bin/env node
// The bin is a few lines: the CLI lives in src/cli/run.ts (compiled to dist/).
let run;
try {
  ({ run } = await import('../dist/cli/run.js'));
} catch (error) {
  process.stderr.write(`verbatim: cannot load the compiled program (${error.message}); run \`npm install\` (or \`npm run build\`) in the Verbatim folder.\n`);
  process.exit(2);
}
process.exitCode = await run(process.argv.slice(2));
