/**
 * Codebook refactoring: renaming a code changes its id in the codebook, every
 * marker of the corpus that names it or one of its sub-codes, and every plan
 * line that does, as one change. Each file is edited at the offsets its
 * parser recorded, and only there: every other byte (BOM, line ends, the
 * rest of the text) stays as it was. The files are all written, or none
 * (see {@link applyChanges}).
 */
import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loneCrAsLf } from '../core/decode.js';
import { SourceFile } from '../core/source-file.js';
import { scanMarkers, type MarkerCode } from '../project/markers.js';
import type { Code, Transcript } from '../project/model.js';
import { displayPath } from './read.js';
import { parseTranscriptFile, readTranscript, type ProjectFrame } from './load-project.js';
import { openAtomicFile, type AtomicFile } from './write.js';

/** A replacement of `[start, end)` of a file's decoded text. */
interface Edit {
  start: number;
  end: number;
  text: string;
}

/** A file the change rewrites: its text before and after, and the bytes to write. */
export interface FileChange {
  /** Relative to the project, `/`-separated. */
  file: string;
  before: string;
  after: string;
  bytes: Uint8Array;
  /** How many ids changed in it. */
  edits: number;
}

/** The change, or why it cannot be made. */
export type Refactoring = { ok: true; changes: FileChange[] } | { ok: false; problem: string };

/** One segment of a dotted id: letters, digits, `_` and `-` (the codebook's rule for a local id). */
const LOCAL_ID = /^[\p{L}\p{N}_-]+$/u;

/** `id` after renaming `from` to `to`: the code itself and its sub-codes; any other id is unchanged (undefined). */
export function renamed(id: string, from: string, to: string): string | undefined {
  if (id === from) return to;
  if (id.startsWith(`${from}.`)) return `${to}${id.slice(from.length)}`;
  return undefined;
}

/**
 * The change that renames code `from` to `to` (full ids). `to` must keep the
 * parent (a new local id). Its sub-codes follow.
 */
export function planRename(frame: ProjectFrame, from: string, to: string): Refactoring {
  const codebook = frame.codebook;
  if (!codebook) return { ok: false, problem: 'The project has no codebook.' };
  const code = codebook.codes.get(from);
  if (!code) return { ok: false, problem: `Unknown code \`${from}\`.` };
  if (from === to) return { ok: false, problem: `\`${from}\` is already its id.` };
  const parent = code.parent ? `${code.parent}.` : '';
  if (!to.startsWith(parent) || to.slice(parent.length).includes('.')) {
    return { ok: false, problem: `\`${to}\` is not a sibling of \`${from}\`: a rename keeps the parent (\`${parent}NEW\`). Moving a code under another parent is not supported yet: move its entry in the codebook, then rename its markers.` };
  }
  const local = to.slice(parent.length);
  if (!LOCAL_ID.test(local)) return { ok: false, problem: `\`${local}\` is not a valid code id: letters, digits, \`_\` and \`-\` only.` };
  if (codebook.codes.has(to)) return { ok: false, problem: `The codebook already has a code \`${to}\`: choose another id (merging two codes is not supported yet).` };

  const changes: FileChange[] = [];
  // The codebook: the code's own `id` value.
  const codebookFile = frameFile(frame, codebook.file);
  if (!codebookFile) return { ok: false, problem: `\`${codebook.file}\` cannot be read: fix it first (\`verbatim check\`).` };
  const codebookChange = editedFile(frame.root, codebookFile, (text) => [localIdEdit(text, code, local)]);
  if (typeof codebookChange === 'string') return { ok: false, problem: codebookChange };
  if (codebookChange) changes.push(codebookChange);

  // Every marker of the corpus: the ids inside the `{…}` the parser found.
  for (const relative of frame.transcriptPaths) {
    const { file, transcript } = readTranscript(frame, relative);
    if (!transcript) {
      if (file.fatal || file.text.trim() !== '') return { ok: false, problem: `\`${file.path}\` cannot be read as a transcript: fix it first (\`verbatim check\`), so that its markers are renamed too.` };
      continue;
    }
    const ids = markerCodes(file, transcript);
    const change = editedFile(frame.root, file, () => idEdits(ids, from, to));
    if (typeof change === 'string') return { ok: false, problem: change };
    if (change) changes.push(change);
  }

  // Plans: their `codes:` entries.
  for (const plan of frame.plans) {
    const file = frameFile(frame, plan.file);
    if (!file) continue;
    const ranges = plan.sections.flatMap((s) => s.codeRanges);
    const change = editedFile(frame.root, file, (text) => ranges.flatMap((r) => scalarEdits(text, r, from, to)));
    if (typeof change === 'string') return { ok: false, problem: change };
    if (change) changes.push(change);
  }
  return { ok: true, changes };
}

/** Every code of every marker of a transcript, `{<…}` ends included, where the parser finds them: paragraph by paragraph (headings and comments hold none). */
export function markerCodes(file: SourceFile, transcript: Transcript): MarkerCode[] {
  const scratch = new SourceFile(file.path, file.text);
  return transcript.paragraphs.filter((p) => p.kind === 'text').flatMap((p) => scanMarkers(scratch, p.sourceStart, p.sourceEnd).markers.flatMap((m) => m.codes));
}

/** A place where a code is named: a file, and offsets in its decoded text. */
export interface Reference {
  file: SourceFile;
  range: readonly [number, number];
}

/**
 * Where code `id` is named, in path order: its entry in the codebook, every
 * marker of the corpus, every plan's `codes:`. `textOf` gives the text of a
 * transcript open in an editor, read from disk otherwise.
 */
export function codeReferences(frame: ProjectFrame, id: string, textOf: (relative: string) => string | undefined = () => undefined): Reference[] {
  const out: Reference[] = [];
  const code = frame.codebook?.codes.get(id);
  const codebookFile = frame.codebook && frameFile(frame, frame.codebook.file);
  if (code && codebookFile) out.push({ file: codebookFile, range: code.range });
  for (const relative of frame.transcriptPaths) {
    const open = textOf(relative);
    const { file, transcript } = open === undefined ? readTranscript(frame, relative) : parseTranscriptFile(frame, new SourceFile(displayPath(relative), loneCrAsLf(open)));
    if (!transcript) continue;
    for (const m of markerCodes(file, transcript)) if (m.id === id) out.push({ file, range: m.range });
  }
  for (const plan of frame.plans) {
    const file = frameFile(frame, plan.file);
    if (!file) continue;
    for (const r of plan.sections.flatMap((s) => s.codeRanges)) if (unquoted(file.text.slice(r[0], r[1])).value === id) out.push({ file, range: r });
  }
  return out;
}

/** The `id:` value of a code replaced by `local`, quoted as it was. */
function localIdEdit(text: string, code: Code, local: string): Edit {
  const [start, end] = code.range;
  const { quote } = unquoted(text.slice(start, end));
  return { start, end, text: `${quote}${local}${quote}` };
}

/** The codes named in markers, renamed where they are written. */
function idEdits(ids: readonly MarkerCode[], from: string, to: string): Edit[] {
  const edits: Edit[] = [];
  for (const { id, range } of ids) {
    const next = renamed(id, from, to);
    if (next !== undefined) edits.push({ start: range[0], end: range[1], text: next });
  }
  return edits;
}

/** A YAML scalar naming a code (a plan's `codes:` entry), renamed, quoted as it was. */
function scalarEdits(text: string, range: readonly [number, number], from: string, to: string): Edit[] {
  const [start, end] = range;
  const { value, quote } = unquoted(text.slice(start, end));
  const next = renamed(value, from, to);
  if (next === undefined) return [];
  return [{ start: start + quote.length, end: end - quote.length, text: next }];
}

/** A YAML scalar as written: its value, and the quote around it (`"`, `'`, or none). */
function unquoted(written: string): { value: string; quote: string } {
  const m = /^(["'])(.*)\1$/su.exec(written);
  return m ? { value: m[2] as string, quote: m[1] as string } : { value: written, quote: '' };
}

/** A file of the project as `loadFrame` read it (the codebook, the panel, a plan), by path relative to the project. */
export function frameFile(frame: ProjectFrame, relative: string): SourceFile | undefined {
  const shown = displayPath(relative);
  return frame.files.find((f) => f.path === shown);
}

/**
 * A file with `edits` (offsets of its decoded text, as its parser read it:
 * `parsed`) applied to its bytes: undefined when nothing changes, a message
 * when the file cannot be edited byte for byte (not UTF-8, or changed since
 * it was parsed). The bytes are read only when there is an edit.
 */
function editedFile(root: string, parsed: SourceFile, editsOf: (text: string) => Edit[]): FileChange | string | undefined {
  const shown = parsed.path;
  if (parsed.fatal) return `\`${shown}\` cannot be read: fix it first (\`verbatim check\`).`;
  const edits = editsOf(parsed.text).sort((a, b) => a.start - b.start);
  if (edits.length === 0) return undefined;
  const bytes = readFileSync(path.resolve(root, shown));
  if (!isUtf8(bytes)) return `\`${shown}\` is not UTF-8: convert it first, so that it can be edited without changing its other bytes.`;
  const raw = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  const bom = raw.charCodeAt(0) === 0xfeff ? 1 : 0;
  // The decoded text the offsets refer to is the raw text without its BOM, lone CRs as LFs: one character for one.
  if (loneCrAsLf(raw.slice(bom)) !== parsed.text) return `\`${shown}\` changed while it was read: run the command again.`;
  let after = raw.slice(0, bom);
  let at = 0;
  for (const e of edits) {
    if (e.start < at) return `\`${shown}\`: two edits overlap (an internal error; nothing was written).`;
    after += raw.slice(bom + at, bom + e.start) + e.text;
    at = e.end;
  }
  after += raw.slice(bom + at);
  return { file: shown, before: raw, after, bytes: Buffer.from(after, 'utf8'), edits: edits.length };
}

/**
 * Writes every change, or none: each file is first written whole beside its
 * target (so that a full disk or a refused file stops the change before
 * anything is replaced), then all are renamed into place.
 */
export function applyChanges(root: string, changes: readonly FileChange[]): void {
  const open: AtomicFile[] = [];
  try {
    for (const c of changes) {
      const f = openAtomicFile(path.resolve(root, c.file));
      open.push(f);
      f.write(c.bytes);
    }
  } catch (error) {
    for (const f of open) f.abort();
    throw error;
  }
  for (const f of open) f.commit();
}
