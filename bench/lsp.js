// node bench/lsp.js [PROJECT [FILE]]: the language server on a project (the bench corpus: bench/out/corpus-100mb-1000, made by `npm run bench`;
// `node bench/lsp.js . corpus/E01.md` for the demo): the time to initialize, then to diagnostics after each of 11 changes of one transcript
// (corpus/B0500.md), and their median; then 11 completions of `{#` typed at its end, and their median.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node.js';
const root = process.argv[2] ?? fileURLToPath(new URL('out/corpus-100mb-1000', import.meta.url)), file = `${root}/${process.argv[3] ?? 'corpus/B0500.md'}`, uri = pathToFileURL(file).href;
const server = spawn(process.execPath, [fileURLToPath(new URL('../bin/verbatim.js', import.meta.url)), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const c = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
let resolve; c.onNotification('textDocument/publishDiagnostics', (p) => { if (p.uri === uri) resolve?.(p); });
c.listen();
let t = performance.now();
await c.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(root).href, capabilities: {} });
console.log('initialize', Math.round(performance.now() - t), 'ms');
await c.sendNotification('initialized', {});
const text = readFileSync(file, 'utf8');
const times = [];
for (let v = 1; v <= 11; v++) {
  const p = new Promise((r) => (resolve = r));
  t = performance.now();
  if (v === 1) await c.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
  else await c.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text: text + 'x'.repeat(v) }] });
  await p; times.push(Math.round(performance.now() - t));
}
console.log('diagnostics ms per change', times.join(' '), 'median', [...times].sort((a, b) => a - b)[5], '; file', (text.length / 1024).toFixed(0), 'KB');
const lines = text.split('\n').length;
const typed = `${text}\n{#`;
await c.sendNotification('textDocument/didChange', { textDocument: { uri, version: 100 }, contentChanges: [{ text: typed }] });
const completions = [];
let items = 0;
for (let i = 0; i < 11; i++) {
  t = performance.now();
  const r = await c.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: lines, character: 2 } });
  completions.push(Math.round(performance.now() - t));
  items = (Array.isArray(r) ? r : r.items).length;
}
console.log('completion ms', completions.join(' '), 'median', [...completions].sort((a, b) => a - b)[5], ';', items, 'items');
await c.sendRequest('shutdown'); await c.sendNotification('exit'); c.dispose(); server.kill();
