/**
 * `verbatim lsp --stdio`: a Language Server Protocol server (vscode-languageserver)
 * for the project's files in the editor.
 *
 * - Diagnostics while typing for the open transcripts: each keystroke runs the
 *   pipeline's per-transcript stage (parse, marker and attribute rules,
 *   coding) on the editor's text, with `check`'s rule settings and redaction;
 *   the codebook's, panel's, config's and plans' diagnostics, again at each
 *   change of one of them in the editor, when every open transcript is
 *   checked again against it (saved or not).
 * - Completion of code ids inside `{#`, `{!`, `]{#`, `{>`, `{<` (the label as
 *   detail, the definition as documentation), and of attribute names and
 *   declared values under a front matter's `attributes:`.
 * - Hover on a code id in a marker: its label, definition, include and
 *   exclude; on a respondent paragraph, its automatic codes and the words
 *   that fired them.
 * - Code actions: accept (`{#code}`) or reject (`{!code}`) an automatic code
 *   of the paragraph; replace an unknown code by the id `check` suggests.
 * - Go to definition: from a marker's code to its entry in the codebook;
 *   find references: from a code (in a marker or the codebook) to every
 *   marker and plan line that names it.
 * - Rename a code: `verbatim codes rename`'s change, as a workspace edit.
 * - Document symbols: the transcript's segments (`E01:4` and their first words).
 *
 * The server reads files and never writes one: every change is an edit the
 * editor applies.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  CompletionItemKind,
  createConnection,
  DiagnosticSeverity,
  ErrorCodes,
  MarkupKind,
  ProposedFeatures,
  ResponseError,
  SymbolKind,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type CompletionItem,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type DocumentSymbol,
  type Hover,
  type Location,
  type WorkspaceEdit,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { loneCrAsLf } from '../core/decode.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { createRedactor, type Redactor } from '../core/redact.js';
import { SourceFile } from '../core/source-file.js';
import { TranscriptStage } from '../engine/corpus.js';
import { masked, withSetting } from '../engine/diagnostics.js';
import { loadFrame, parseTranscriptFile, type ProjectFrame } from '../engine/load-project.js';
import { displayPath } from '../engine/read.js';
import { codeReferences, frameFile, planRename, type Reference } from '../engine/refactor.js';
import type { Coding } from '../coding/code-transcript.js';
import type { Code, Panel, Paragraph, Transcript } from '../project/model.js';
import { surveyCorpus } from './stream-coded.js';

/** An id being typed in a marker, up to the cursor: `{#frei`, `]{#freins.`, `{#a #fr`, `{!`, `{>`, `{<`. */
const TYPING_ID = /(?:\]?\{)[#!<>](?:[\p{L}\p{N}_.-]+\s+[#!]?)*([\p{L}\p{N}_.-]*)$/u;
/** A code id in a marker, for hover and quick fixes. */
const ID_CHAR = /[\p{L}\p{N}_.-]/u;

/** What the last check of an open transcript found. */
interface Checked {
  diagnostics: Diagnostic[];
  redactor: Redactor;
  transcript?: Transcript;
  codings?: Coding[];
}

/** The project the server answers for: its frame, reloaded when one of its files is saved. */
class Project {
  frame!: ProjectFrame;
  /** Every redacted string of the project and of every transcript's front matter, as `check` masks them. */
  secrets!: string[];
  redactor!: Redactor;

  constructor(readonly root: string) {
    this.reload();
  }

  /** `texts`: the project files open in the editor, as they are there (saved or not). */
  reload(texts?: (relative: string) => string | undefined): void {
    this.frame = loadFrame(this.root, texts ? { texts } : {});
    this.secrets = surveyCorpus(this.frame).secrets;
    this.redactor = createRedactor(this.secrets);
  }

  /** A path relative to the project, or undefined outside it. */
  relative(uri: string): string | undefined {
    if (!uri.startsWith('file:')) return undefined;
    const rel = path.relative(this.root, fileURLToPath(uri));
    return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel.split(path.sep).join('/');
  }

  isTranscript(relative: string): boolean {
    const corpus = this.frame.config.corpus.replace(/\/+$/u, '');
    return relative.startsWith(`${corpus}/`) && relative.endsWith('.md');
  }

  /** A transcript's text as the editor holds it, through the pipeline's stage: its diagnostics as `check` gives them, and its codings. */
  checkTranscript(relative: string, text: string): Checked {
    const file = new SourceFile(displayPath(relative), loneCrAsLf(text));
    const { transcript } = parseTranscriptFile(this.frame, file);
    const codings = transcript ? new TranscriptStage(this.frame, { facts: false }).run(file, transcript).codings : [];
    // The names the editor's text redacts now, with those every other file redacts.
    const redactor = transcript && transcript.redact.length > 0 ? createRedactor([...this.secrets, ...transcript.redact]) : this.redactor;
    return { diagnostics: this.#shown(file.messages, redactor), redactor, ...(transcript ? { transcript, codings } : {}) };
  }

  /** The codebook's file as it was read, for positions in it. */
  codebookFile(): SourceFile | undefined {
    const name = this.frame.codebook?.file;
    return name === undefined ? undefined : frameFile(this.frame, name);
  }

  /** The diagnostics of the project's other files (codebook, panel, config, plans), by path. */
  frameDiagnostics(): Map<string, Diagnostic[]> {
    const out = new Map<string, Diagnostic[]>();
    for (const f of this.frame.files) {
      if (this.isTranscript(f.path)) continue;
      out.set(f.path, this.#shown(f.messages, this.redactor));
    }
    return out;
  }

  #shown(messages: readonly Diagnostic[], redactor: Redactor): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const d of messages) {
      const s = withSetting(d, this.frame.config.rules);
      if (s) out.push(masked(s, redactor));
    }
    return out;
  }
}

/** The folder of the project that holds `start`: the nearest one upwards with `verbatim.yaml` or `codebooks/`. */
export function findProjectRoot(start: string, exists: (p: string) => boolean): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (exists(path.join(dir, 'verbatim.yaml')) || exists(path.join(dir, 'codebooks'))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}

/** The bounds of the id-like word around offset `at` (empty between two other characters). */
function idBounds(text: string, at: number): [number, number] {
  let start = at;
  let end = at;
  while (start > 0 && ID_CHAR.test(text[start - 1] as string)) start--;
  while (end < text.length && ID_CHAR.test(text[end] as string)) end++;
  return [start, end];
}

function severity(d: Diagnostic): DiagnosticSeverity {
  return d.severity === 'error' ? DiagnosticSeverity.Error : d.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information;
}

/** 1 when an editor's text starts with the BOM that the parsers' text does not hold: what parser offsets shift by there. */
function bomShift(text: string): number {
  return text.charCodeAt(0) === 0xfeff ? 1 : 0;
}

/** A diagnostic in the editor's positions. */
function toLsp(d: Diagnostic, doc: TextDocument | undefined): LspDiagnostic {
  const shift = doc ? bomShift(doc.getText()) : 0;
  const range =
    doc && d.range
      ? { start: doc.positionAt(d.range[0] + shift), end: doc.positionAt(d.range[1] + shift) }
      : { start: { line: d.line - 1, character: d.column - 1 }, end: { line: (d.endLine ?? d.line) - 1, character: (d.endColumn ?? d.column) - 1 } };
  return { range, severity: severity(d), code: d.ruleId, source: 'verbatim', message: d.note ? `${d.message}\n${d.note}` : d.message };
}

function documentation(code: Code): string {
  const parts = [`**${code.label}** (\`${code.id}\`)`];
  if (code.definition) parts.push(code.definition);
  if (code.include.length > 0) parts.push(`Include: ${code.include.join('; ')}`);
  if (code.exclude.length > 0) parts.push(`Exclude: ${code.exclude.join('; ')}`);
  return parts.join('\n\n');
}

/** Serves the protocol on `connection` until the client exits. */
export function serve(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let project: Project | undefined;
  /** The last check of each open transcript, for hover and code actions. */
  const checked = new Map<string, Checked & { version: number }>();
  /** The paragraph (a segment) of an open transcript at a position, with its automatic codings. */
  const segmentAt = (uri: string, position: { line: number; character: number }): { doc: TextDocument; c: Checked; paragraph: Paragraph; auto: Coding[]; shift: number } | undefined => {
    const doc = documents.get(uri);
    const c = checked.get(uri);
    if (!doc || !c?.transcript || c.version !== doc.version) return undefined;
    const shift = bomShift(doc.getText());
    const at = doc.offsetAt(position) - shift;
    const paragraph = c.transcript.paragraphs.find((p) => p.segment !== undefined && p.sourceStart <= at && at <= p.sourceEnd);
    if (!paragraph) return undefined;
    const auto = (c.codings ?? []).filter((x) => x.segment === paragraph.segment && x.origin === 'auto');
    return { doc, c, paragraph, auto, shift };
  };

  const uriOf = (relative: string): string => (project ? pathToFileURL(path.join(project.root, relative)).href : relative);

  const checkDocument = (doc: TextDocument): void => {
    if (!project) return;
    const relative = project.relative(doc.uri);
    if (!relative || !project.isTranscript(relative)) return;
    let diagnostics: Diagnostic[];
    try {
      const result = project.checkTranscript(relative, doc.getText());
      checked.set(doc.uri, { ...result, version: doc.version });
      diagnostics = result.diagnostics;
    } catch (error) {
      // Never a crash on bad input: the failure is shown as one diagnostic.
      checked.delete(doc.uri);
      diagnostics = [{ file: relative, line: 1, column: 1, severity: 'error', ruleId: 'internal-error', message: `Verbatim could not check this file: ${(error as Error).message}` }];
    }
    void connection.sendDiagnostics({ uri: doc.uri, diagnostics: diagnostics.map((d) => toLsp(d, doc)) });
  };

  const publishFrame = (): void => {
    if (!project) return;
    const now = project.frameDiagnostics();
    for (const [file, list] of now) {
      const uri = uriOf(file);
      void connection.sendDiagnostics({ uri, diagnostics: list.map((d) => toLsp(d, documents.get(uri))) });
    }
  };

  connection.onInitialize((params) => {
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    const start = folder?.startsWith('file:') ? fileURLToPath(folder) : process.cwd();
    project = new Project(findProjectRoot(start, existsSync));
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['#', '!', '>', '<', '.'] },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        renameProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'verbatim' },
    };
  });

  connection.onInitialized(() => publishFrame());

  /** The codebook, the panel, the config or a plan changed in the editor: the frame is read again, with the open files as they are there, and every open transcript is checked again against it. */
  const frameChanged = (): void => {
    if (!project) return;
    try {
      project.reload((relative) => documents.get(uriOf(relative))?.getText());
    } catch {
      return;
    }
    publishFrame();
    for (const doc of documents.all()) checkDocument(doc);
  };
  documents.onDidChangeContent((e) => {
    const relative = project?.relative(e.document.uri);
    if (!project || !relative) return;
    if (project.isTranscript(relative)) checkDocument(e.document);
    else if (project.frame.files.some((f) => f.path === relative) || /\.plan\.ya?ml$|(^|\/)verbatim\.yaml$/u.test(relative)) frameChanged();
  });
  documents.onDidClose((e) => {
    const relative = project?.relative(e.document.uri);
    if (project && relative && project.isTranscript(relative)) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onCompletion((params): CompletionItem[] => {
    const doc = documents.get(params.textDocument.uri);
    const codebook = project?.frame.codebook;
    if (!doc || !codebook) return [];
    const line = doc.getText({ start: { line: params.position.line, character: 0 }, end: params.position });
    const attributes = frontMatterCompletion(doc, params.position, line, project?.frame.panel);
    if (attributes) return attributes.map((a) => ({ ...a, detail: project?.redactor.mask(a.detail ?? '') ?? '' }));
    const typing = TYPING_ID.exec(line);
    if (!typing) return [];
    const partial = typing[1] as string;
    const range = { start: { line: params.position.line, character: params.position.character - partial.length }, end: params.position };
    return [...codebook.codes.values()].map((code) => ({
      label: code.id,
      kind: CompletionItemKind.Value,
      detail: project?.redactor.mask(code.label) ?? code.label,
      documentation: { kind: MarkupKind.Markdown, value: project?.redactor.mask(documentation(code)) ?? '' },
      textEdit: { range, newText: code.id },
      sortText: String(code.order).padStart(6, '0'),
    }));
  });

  connection.onHover((params): Hover | null => {
    const doc = documents.get(params.textDocument.uri);
    const codebook = project?.frame.codebook;
    if (!doc || !codebook) return null;
    const text = doc.getText();
    const at = doc.offsetAt(params.position);
    const [start, end] = idBounds(text, at);
    const code = /[#!<>]/u.test(text[start - 1] ?? '') ? codebook.codes.get(text.slice(start, end)) : undefined;
    if (code) return { contents: { kind: MarkupKind.Markdown, value: project?.redactor.mask(documentation(code)) ?? '' }, range: { start: doc.positionAt(start), end: doc.positionAt(end) } };
    // On a respondent paragraph: the automatic codes it carries, with the words that fired them.
    const here = segmentAt(params.textDocument.uri, params.position);
    if (!here || here.auto.length === 0) return null;
    const plain = here.c.transcript?.plain ?? '';
    const lines = here.auto.map((x) => {
      const words = [...new Set((x.evidence ?? []).map((e) => `«${plain.slice(e.start, e.end)}»`))].join(', ');
      return `- \`${x.code}\` ${codebook.codes.get(x.code)?.label ?? ''}${words ? `: ${words}` : ''}`;
    });
    const value = `Automatic codes of segment ${here.paragraph.segment}:\n\n${lines.join('\n')}\n\nAccept or reject them with the code actions ({#code} / {!code}).`;
    return { contents: { kind: MarkupKind.Markdown, value: here.c.redactor.mask(value) } };
  });

  connection.onDefinition((params): Location | null => {
    const code = codeAt(params.textDocument.uri, params.position);
    const file = project?.codebookFile();
    return code && file ? locationOf({ file, range: code.range }) : null;
  });

  /** The code named at a position: in a marker, or the `id:` of a codebook entry. */
  const codeAt = (uri: string, position: { line: number; character: number }): Code | undefined => {
    const doc = documents.get(uri);
    const codebook = project?.frame.codebook;
    if (!doc || !codebook || !project) return undefined;
    const text = doc.getText();
    const at = doc.offsetAt(position);
    const [start, end] = idBounds(text, at);
    if (/[#!<>]/u.test(text[start - 1] ?? '')) return codebook.codes.get(text.slice(start, end));
    if (project.relative(uri) !== displayPath(codebook.file)) return undefined;
    const shift = bomShift(text);
    return [...codebook.codes.values()].find((c) => c.range[0] <= at - shift && at - shift <= c.range[1]);
  };

  const locationOf = (r: Reference): Location => {
    const from = r.file.lines.point(r.range[0]);
    const to = r.file.lines.point(r.range[1]);
    return { uri: uriOf(r.file.path), range: { start: { line: from.line - 1, character: from.column - 1 }, end: { line: to.line - 1, character: to.column - 1 } } };
  };

  connection.onReferences((params): Location[] => {
    const code = codeAt(params.textDocument.uri, params.position);
    if (!code || !project) return [];
    const open = (relative: string): string | undefined => documents.get(uriOf(relative))?.getText();
    return codeReferences(project.frame, code.id, open)
      .filter((r) => params.context.includeDeclaration || r.file.path !== displayPath(project?.frame.codebook?.file ?? ''))
      .map(locationOf);
  });

  // Rename: the engine of `verbatim codes rename`, as one workspace edit the editor applies (and saves).
  connection.onRenameRequest((params): WorkspaceEdit => {
    const code = codeAt(params.textDocument.uri, params.position);
    if (!code || !project) throw new ResponseError(ErrorCodes.InvalidRequest, 'Put the cursor on a code: in a marker, or on its `id:` in the codebook.');
    const parent = code.parent ? `${code.parent}.` : '';
    const to = params.newName.includes('.') ? params.newName : `${parent}${params.newName}`;
    const result = planRename(project.frame, code.id, to);
    if (!result.ok) throw new ResponseError(ErrorCodes.InvalidRequest, project.redactor.mask(result.problem));
    const changes: WorkspaceEdit['changes'] = {};
    for (const c of result.changes) {
      const uri = uriOf(c.file);
      const open = documents.get(uri);
      // The change is computed on the files as saved: a file with unsaved edits would lose them.
      // Editors hold a file without its BOM (unless an open one shows it): the edit is made on that text.
      const saved = bomShift(c.before) === 1 && (!open || bomShift(open.getText()) === 0) ? c.before.slice(1) : c.before;
      if (open && open.getText() !== saved) throw new ResponseError(ErrorCodes.InvalidRequest, `Save \`${c.file}\` first: the rename is computed on the saved files.`);
      const after = saved === c.before ? c.after : c.after.slice(1);
      const end = TextDocument.create(uri, 'text', 0, saved).positionAt(saved.length);
      changes[uri] = [{ range: { start: { line: 0, character: 0 }, end }, newText: after }];
    }
    return { changes };
  });

  connection.onDocumentSymbol((params): DocumentSymbol[] => {
    const c = checked.get(params.textDocument.uri);
    const doc = documents.get(params.textDocument.uri);
    if (!c?.transcript || !doc) return [];
    const shift = bomShift(doc.getText());
    const t = c.transcript;
    return t.paragraphs
      .filter((p) => p.kind === 'text' && p.segment !== undefined)
      .map((p) => {
        const range = { start: doc.positionAt(p.sourceStart + shift), end: doc.positionAt(p.sourceEnd + shift) };
        const words = p.text.replace(/\s+/gu, ' ').trim();
        return { name: c.redactor.mask(`${t.id}:${p.segment} ${words.length > 60 ? `${words.slice(0, 59)}…` : words}`), detail: p.speaker ?? '', kind: SymbolKind.String, range, selectionRange: range };
      });
  });

  connection.onCodeAction((params): CodeAction[] => {
    const out: CodeAction[] = [];
    for (const d of params.context.diagnostics) {
      if (d.code !== 'unknown-code') continue;
      const suggestion = /did you mean `([^`]+)`\?/u.exec(d.message)?.[1];
      if (!suggestion) continue;
      out.push({ title: `Replace by \`${suggestion}\``, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes: { [params.textDocument.uri]: [{ range: d.range, newText: suggestion }] } } });
    }
    // Then accept or reject each automatic code of the paragraph: a marker at its end, as a researcher would write it.
    const here = segmentAt(params.textDocument.uri, params.range.start);
    if (here) {
      const at = here.doc.positionAt(here.paragraph.sourceEnd + here.shift);
      for (const x of here.auto) {
        for (const [verb, sigil] of [['Accept', '#'], ['Reject', '!']] as const) {
          out.push({ title: `${verb} \`${x.code}\` for this paragraph ({${sigil}${x.code}})`, kind: CodeActionKind.QuickFix, edit: { changes: { [params.textDocument.uri]: [{ range: { start: at, end: at }, newText: ` {${sigil}${x.code}}` }] } } });
        }
      }
    }
    return out;
  });

  documents.listen(connection);
  connection.listen();
}

/**
 * In a transcript's front matter, under `attributes:`: the panel's attribute
 * names on a line being started, the declared values of an attribute after
 * its `:`. Undefined elsewhere.
 */
function frontMatterCompletion(doc: TextDocument, position: { line: number; character: number }, before: string, panel: Panel | undefined): CompletionItem[] | undefined {
  if (!panel) return undefined;
  const lines = doc.getText().replace(/^\uFEFF/u, '').split(/\r\n|\n|\r/u);
  if (!/^---[ \t]*$/u.test(lines[0] ?? '')) return undefined;
  const close = lines.findIndex((l, i) => i > 0 && /^(?:---|\.\.\.)[ \t]*$/u.test(l));
  if (position.line === 0 || (close >= 0 && position.line >= close)) return undefined;
  let owner: string | undefined;
  for (let i = position.line - 1; i > 0; i--) {
    const l = lines[i] as string;
    if (/^\S/u.test(l)) {
      owner = /^([^:\s]+):/u.exec(l)?.[1];
      break;
    }
  }
  if (owner !== 'attributes') return undefined;
  const range = (typed: string) => ({ start: { line: position.line, character: position.character - typed.length }, end: position });
  const name = /^\s+([\p{L}\p{N}_-]*)$/u.exec(before);
  if (name) {
    const typed = name[1] as string;
    return panel.attributes.map((a) => ({ label: a.id, kind: CompletionItemKind.Property, detail: a.label, textEdit: { range: range(typed), newText: `${a.id}: ` } }));
  }
  const value = /^\s+([\p{L}\p{N}_-]+):\s*([\p{L}\p{N}_-]*)$/u.exec(before);
  if (value) {
    const typed = value[2] as string;
    const attribute = panel.attributes.find((a) => a.id === value[1]);
    return (attribute?.values ?? []).map((v) => ({ label: v.id, kind: CompletionItemKind.EnumMember, detail: v.label, textEdit: { range: range(typed), newText: v.id } }));
  }
  return undefined;
}

/** `verbatim lsp --stdio`: serves on stdin and stdout until the client exits. */
export function runLanguageServer(): void {
  serve(createConnection(ProposedFeatures.all, process.stdin, process.stdout));
}
