/**
 * `verbatim lsp --stdio`, driven by a real JSON-RPC client (vscode-jsonrpc,
 * the library VS Code's client is built on) over the bin's stdin and stdout,
 * on the demo project: diagnostics while typing, completion in markers,
 * hover, the quick fix of a misspelt code, and no file written.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node.js';

const repo = path.join(import.meta.dirname, '..');
const bin = path.join(repo, 'bin/verbatim.js');
const e01 = path.join(repo, 'corpus/E01.md');
const uri = pathToFileURL(e01).href;
const original = readFileSync(e01, 'utf8');

interface Published {
  uri: string;
  diagnostics: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; code: string; message: string; severity: number }[];
}

let server: ChildProcess;
let client: MessageConnection;
const waiting: ((p: Published) => boolean)[] = [];
const received: Published[] = [];

/** The next diagnostics published for `uri` that `when` accepts. */
function diagnosticsFor(target: string, when: (p: Published) => boolean = () => true): Promise<Published> {
  const found = received.find((p) => p.uri === target && when(p));
  if (found) return Promise.resolve(found);
  return new Promise((resolve) => {
    waiting.push((p) => {
      if (p.uri !== target || !when(p)) return false;
      resolve(p);
      return true;
    });
  });
}

beforeAll(async () => {
  server = spawn(process.execPath, [bin, 'lsp', '--stdio'], { cwd: repo, stdio: ['pipe', 'pipe', 'inherit'] });
  client = createMessageConnection(new StreamMessageReader(server.stdout as NodeJS.ReadableStream), new StreamMessageWriter(server.stdin as NodeJS.WritableStream));
  client.onNotification('textDocument/publishDiagnostics', (p: Published) => {
    received.push(p);
    for (let i = 0; i < waiting.length; i++) if (waiting[i]?.(p)) waiting.splice(i--, 1);
  });
  client.listen();
  const init = (await client.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(repo).href, capabilities: {} })) as { capabilities: Record<string, unknown> };
  expect(init.capabilities.completionProvider).toBeTruthy();
  await client.sendNotification('initialized', {});
}, 30_000);

afterAll(async () => {
  await client.sendRequest('shutdown');
  await client.sendNotification('exit');
  client.dispose();
  server.kill();
});

describe('verbatim lsp', () => {
  it('underlines a misspelt code as check does, and offers the suggested one as a quick fix', async () => {
    const text = original.replace('{#freins.etat}', '{#freins.etta}');
    const line = text.split('\n').findIndex((l) => l.includes('{#freins.etta}'));
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
    const published = await diagnosticsFor(uri, (p) => p.diagnostics.some((d) => d.code === 'unknown-code'));
    const d = published.diagnostics.find((x) => x.code === 'unknown-code');
    expect(d?.severity).toBe(1);
    expect(d?.range.start.line).toBe(line);
    expect(text.split('\n')[line]?.slice(d?.range.start.character, d?.range.end.character)).toBe('freins.etta');
    const actions = (await client.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: d?.range, context: { diagnostics: [d] } })) as { title: string; edit: { changes: Record<string, { newText: string }[]> } }[];
    expect(actions[0]?.title).toBe('Replace by `freins.etat`');
    expect(actions[0]?.edit.changes[uri]?.[0]?.newText).toBe('freins.etat');
  });

  it('checks again on every change: the fixed text has no diagnostic', async () => {
    const started = performance.now();
    await client.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: original }] });
    const published = await diagnosticsFor(uri, (p) => p.diagnostics.length === 0);
    expect(published.diagnostics).toEqual([]);
    console.log(`lsp: diagnostics ${Math.round(performance.now() - started)} ms after a change of corpus/E01.md`);
  });

  it('completes code ids inside a marker, with their labels', async () => {
    const text = `${original}\n**R :** Encore un mot {#frei`;
    await client.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text }] });
    const lines = text.split('\n');
    const position = { line: lines.length - 1, character: (lines.at(-1) as string).length };
    const started = performance.now();
    const items = (await client.sendRequest('textDocument/completion', { textDocument: { uri }, position })) as { label: string; detail: string; textEdit: { newText: string; range: { start: { character: number } } } }[];
    console.log(`lsp: completion in ${Math.round(performance.now() - started)} ms`);
    const etat = items.find((i) => i.label === 'freins.etat');
    expect(etat?.detail).toMatch(/culture de l'État/);
    expect(etat?.textEdit.range.start.character).toBe(position.character - 'frei'.length);
    const none = (await client.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 2 } })) as unknown[];
    expect(none).toEqual([]);
  });

  it("completes attribute names and the panel's values in the front matter", async () => {
    const lines = original.split('\n');
    const at = lines.findIndex((l) => l.startsWith('  sphere: '));
    const edited = [...lines];
    edited[at] = '  sphere: rech';
    edited.splice(at + 1, 0, '  ');
    await client.sendNotification('textDocument/didChange', { textDocument: { uri, version: 10 }, contentChanges: [{ text: edited.join('\n') }] });
    const values = (await client.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: at, character: 14 } })) as { label: string; textEdit: { newText: string } }[];
    expect(values.map((v) => v.label)).toEqual(['recherche', 'societe-civile', 'institution']);
    const names = (await client.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: at + 1, character: 2 } })) as { label: string; textEdit: { newText: string } }[];
    expect(names.map((n) => n.label)).toContain('engagement');
    expect(names.find((n) => n.label === 'actor')?.textEdit.newText).toBe('actor: ');
    const outside = (await client.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: lines.findIndex((l) => l.startsWith('date:')) + 1, character: 2 } })) as unknown[];
    expect(outside).toEqual([]);
    await client.sendNotification('textDocument/didChange', { textDocument: { uri, version: 11 }, contentChanges: [{ text: original }] });
  });

  it('shows a code on hover over its marker', async () => {
    const lines = original.split('\n');
    const line = lines.findIndex((l) => l.includes('{#freins.etat}'));
    const character = (lines[line] as string).indexOf('{#freins.etat}') + 4;
    const hover = (await client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } })) as { contents: { value: string } } | null;
    expect(hover?.contents.value).toMatch(/^\*\*La culture de l'État.*\(`freins\.etat`\)/);
  });

  it("shows a paragraph's automatic codes with their words, and offers to accept or reject each at the paragraph's end", async () => {
    await client.sendNotification('textDocument/didChange', { textDocument: { uri, version: 12 }, contentChanges: [{ text: original }] });
    await diagnosticsFor(uri, (p) => p.diagnostics.length === 0);
    const lines = original.split('\n');
    let found: { line: number; value: string } | undefined;
    for (let line = 0; line < lines.length && !found; line++) {
      if (!lines[line]?.startsWith('**R :**')) continue;
      const hover = (await client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 10 } })) as { contents: { value: string } } | null;
      if (hover?.contents.value.startsWith('Automatic codes')) found = { line, value: hover.contents.value };
    }
    expect(found, 'a respondent paragraph of E01 with automatic codes').toBeDefined();
    const code = /- `([^`]+)`/u.exec(found?.value ?? '')?.[1] as string;
    expect(found?.value).toMatch(/: «[^»]+»/u);
    const position = { line: found?.line as number, character: 10 };
    const actions = (await client.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [] } })) as { title: string; edit: { changes: Record<string, { range: { start: { line: number; character: number } }; newText: string }[]> } }[];
    const accept = actions.find((a) => a.title.startsWith(`Accept \`${code}\``));
    const reject = actions.find((a) => a.title.startsWith(`Reject \`${code}\``));
    const edit = accept?.edit.changes[uri]?.[0];
    expect(edit?.newText).toBe(` {#${code}}`);
    expect(reject?.edit.changes[uri]?.[0]?.newText).toBe(` {!${code}}`);
    expect(edit?.range.start).toEqual({ line: found?.line, character: (lines[found?.line as number] as string).length });
  });

  it("goes from a marker's code to its entry in the codebook", async () => {
    const lines = original.split('\n');
    const line = lines.findIndex((l) => l.includes('{#freins.etat}'));
    const character = (lines[line] as string).indexOf('{#freins.etat}') + 4;
    const location = (await client.sendRequest('textDocument/definition', { textDocument: { uri }, position: { line, character } })) as { uri: string; range: { start: { line: number; character: number }; end: { character: number } } };
    expect(location.uri).toBe(pathToFileURL(path.join(repo, 'codebooks/alliances.yaml')).href);
    const codebookLine = readFileSync(path.join(repo, 'codebooks/alliances.yaml'), 'utf8').split('\n')[location.range.start.line] as string;
    expect(codebookLine.slice(location.range.start.character, location.range.end.character)).toBe('etat');
  });

  it('finds every marker and plan line naming a code, and lists the segments as symbols', async () => {
    const lines = original.split('\n');
    const line = lines.findIndex((l) => l.includes('{#freins.etat}'));
    const character = (lines[line] as string).indexOf('{#freins.etat}') + 4;
    const refs = (await client.sendRequest('textDocument/references', { textDocument: { uri }, position: { line, character }, context: { includeDeclaration: true } })) as { uri: string }[];
    const files = refs.map((r) => path.relative(repo, new URL(r.uri).pathname));
    // `check` counts the same: the codebook entry and the six transcripts whose markers name it (see `codes rename` on the demo).
    expect(files).toEqual(['codebooks/alliances.yaml', 'corpus/E01.md', 'corpus/E06.md', 'corpus/E07.md', 'corpus/E08.md', 'corpus/E10.md', 'corpus/E11.md']);
    const symbols = (await client.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as { name: string }[];
    expect(symbols[0]?.name).toMatch(/^E01:1 /);
    expect(symbols.length).toBeGreaterThan(5);
  });

  it('renames a code as `codes rename` does, as an edit for the editor to apply', async () => {
    const lines = original.split('\n');
    const line = lines.findIndex((l) => l.includes('{#freins.etat}'));
    const character = (lines[line] as string).indexOf('{#freins.etat}') + 4;
    const edit = (await client.sendRequest('textDocument/rename', { textDocument: { uri }, position: { line, character }, newName: 'puissance-publique' })) as { changes: Record<string, { newText: string }[]> };
    expect(Object.keys(edit.changes).map((u) => path.relative(repo, new URL(u).pathname))).toEqual(['codebooks/alliances.yaml', 'corpus/E01.md', 'corpus/E06.md', 'corpus/E07.md', 'corpus/E08.md', 'corpus/E10.md', 'corpus/E11.md']);
    expect(edit.changes[uri]?.[0]?.newText).toBe(original.replace('{#freins.etat}', '{#freins.puissance-publique}'));
    await expect(client.sendRequest('textDocument/rename', { textDocument: { uri }, position: { line, character }, newName: 'concurrence' })).rejects.toThrow(/already has a code `freins.concurrence`/);
  });

  it('checks the open transcripts again while the codebook is typed, unsaved', async () => {
    const codebookPath = path.join(repo, 'codebooks/alliances.yaml');
    const codebookUri = pathToFileURL(codebookPath).href;
    const codebook = readFileSync(codebookPath, 'utf8');
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri: codebookUri, languageId: 'yaml', version: 1, text: codebook } });
    received.length = 0;
    await client.sendNotification('textDocument/didChange', { textDocument: { uri: codebookUri, version: 2 }, contentChanges: [{ text: codebook.replace('      - id: etat\n', '      - id: etat-x\n') }] });
    const broken = await diagnosticsFor(uri, (p) => p.diagnostics.some((d) => d.code === 'unknown-code'));
    expect(broken.diagnostics.find((d) => d.code === 'unknown-code')?.message).toMatch(/^Unknown code `freins\.etat`/);
    await client.sendNotification('textDocument/didChange', { textDocument: { uri: codebookUri, version: 3 }, contentChanges: [{ text: codebook }] });
    received.length = 0;
    const fixed = await diagnosticsFor(uri, (p) => p.diagnostics.length === 0);
    expect(fixed.diagnostics).toEqual([]);
    await client.sendNotification('textDocument/didClose', { textDocument: { uri: codebookUri } });
  });

  it('wrote no file', () => {
    expect(readFileSync(e01, 'utf8')).toBe(original);
  });
});
