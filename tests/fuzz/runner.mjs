/**
 * The fuzz runner's process: `node tests/fuzz/runner.mjs '<request JSON>'`.
 * It loads the TypeScript sources through Vite's module runner (the machinery
 * vitest itself uses), so that what runs is the current `src/`, never a stale
 * `dist/`, and runs the cases of run-cases.ts, one protocol line per step on
 * stdout. tests/fuzz.test.ts starts it and kills it when a step hangs.
 */
import { fileURLToPath } from 'node:url';
import { createServer, createServerModuleRunner } from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));
const request = JSON.parse(process.argv[2] ?? '{}');
const print = (line) => process.stdout.write(line);

// A rejection or exception that escapes a command would kill `verbatim` itself: report it as the current step's failure.
let current = { case: -1, step: '' };
const escaped = (kind) => (error) => {
  print(`\u0001fuzz ${JSON.stringify({ type: 'escaped', kind, case: current.case, step: current.step, message: String(error?.stack ?? error) })}\n`);
  process.exit(3);
};
process.on('uncaughtException', escaped('uncaught-exception'));
process.on('unhandledRejection', escaped('unhandled-rejection'));

const server = await createServer({
  root,
  configFile: false,
  logLevel: 'error',
  appType: 'custom',
  server: { middlewareMode: true, hmr: false, watch: null, ws: false },
  optimizeDeps: { noDiscovery: true, include: [] },
});
const runner = createServerModuleRunner(server.environments.ssr, { hmr: false });
const { runCases } = await runner.import('/tests/fuzz/run-cases.ts');
await runCases(request, (line) => {
  if (line.startsWith('\u0001fuzz {"type":"start"')) current = JSON.parse(line.slice(6));
  print(line);
});
await server.close();
// Worker threads or timers a command left behind must not keep the runner alive.
process.exit(0);
