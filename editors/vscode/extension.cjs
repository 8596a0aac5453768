// The VS Code client of `verbatim lsp --stdio` (vscode-languageclient): Markdown transcripts and
// the project's YAML files go to the server; everything else is the server's (src/cli/lsp.ts).
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const [command, ...args] = vscode.workspace.getConfiguration('verbatim').get('command', ['verbatim']);
  const server = { command, args: [...args, 'lsp', '--stdio'], transport: TransportKind.stdio };
  client = new LanguageClient('verbatim', 'Verbatim', server, {
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'file', language: 'yaml' },
    ],
  });
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
