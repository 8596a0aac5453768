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
import type { Code, ManualCoding, Transcript } from '../project/model.js';
import { appendToList, codebookText, entryOf, pastable, pasteEntries, removeEntry, type Edit, type Item } from './codebook-edit.js';
import { displayPath } from './read.js';
import { parseTranscriptFile, readTranscript, type ProjectFrame } from './load-project.js';
import { openAtomicFile, type AtomicFile } from './write.js';

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

/** What a refactoring does to a code id: its new id, or undefined when it is not concerned. */
type IdMap = (id: string) => string | undefined;

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
    return { ok: false, problem: `\`${to}\` is not a sibling of \`${from}\`: a rename keeps the parent (\`${parent}NEW\`). To put the code under another parent, use \`verbatim codes move ${from} PARENT\`, then rename it.` };
  }
  const local = to.slice(parent.length);
  if (!LOCAL_ID.test(local)) return { ok: false, problem: `\`${local}\` is not a valid code id: letters, digits, \`_\` and \`-\` only.` };
  if (codebook.codes.has(to)) return { ok: false, problem: `The codebook already has a code \`${to}\`: choose another id, or merge the two with \`verbatim codes merge ${from} ${to}\`.` };
  return planChange(frame, (id) => renamed(id, from, to), (text) => [localIdEdit(text, code, local)], false);
}

/**
 * The change that moves code `id` (and its sub-codes) under `parent` (a full
 * id, or undefined for the top level), keeping its local id.
 */
export function planMove(frame: ProjectFrame, id: string, parent: string | undefined): Refactoring {
  const codebook = frame.codebook;
  if (!codebook) return { ok: false, problem: 'The project has no codebook.' };
  const code = codebook.codes.get(id);
  if (!code) return { ok: false, problem: `Unknown code \`${id}\`.` };
  if (parent !== undefined && !codebook.codes.has(parent)) return { ok: false, problem: `Unknown code \`${parent}\`.` };
  if (code.parent === parent) return { ok: false, problem: parent === undefined ? `\`${id}\` is already at the top level.` : `\`${id}\` is already under \`${parent}\`.` };
  if (parent !== undefined && (parent === id || parent.startsWith(`${id}.`))) return { ok: false, problem: `\`${parent}\` is \`${id}\` or one of its sub-codes: a code cannot be moved under itself.` };
  const to = parent === undefined ? code.localId : `${parent}.${code.localId}`;
  if (codebook.codes.has(to)) return { ok: false, problem: `The codebook already has a code \`${to}\`: rename one of them first, or merge them with \`verbatim codes merge ${id} ${to}\`.` };
  return planChange(
    frame,
    (other) => renamed(other, id, to),
    (text, file) => {
      const cb = codebookText(file);
      if (typeof cb === 'string') return cb;
      const entry = entryOf(cb, id);
      if (typeof entry === 'string') return problemIn(file, entry);
      const cut = removeEntry(cb, id);
      const paste = pasteEntries(cb, parent, [entry]);
      if (typeof cut === 'string') return problemIn(file, cut);
      if (typeof paste === 'string') return problemIn(file, paste);
      return [paste, cut];
    },
    false,
  );
}

/**
 * The change that merges code `from` into `into`: every marker and plan line
 * naming `from` names `into` instead (a repeat this makes in one paragraph,
 * or one plan section, is removed); `from`'s keywords, patterns and `unless`
 * vetoes join `into`'s, so that its automatic codings carry over; its
 * sub-codes move under `into`; its entry goes.
 */
export function planMerge(frame: ProjectFrame, from: string, into: string): Refactoring {
  const codebook = frame.codebook;
  if (!codebook) return { ok: false, problem: 'The project has no codebook.' };
  const code = codebook.codes.get(from);
  const target = codebook.codes.get(into);
  if (!code) return { ok: false, problem: `Unknown code \`${from}\`.` };
  if (!target) return { ok: false, problem: `Unknown code \`${into}\`.` };
  if (from === into) return { ok: false, problem: `\`${from}\` cannot be merged into itself.` };
  if (into.startsWith(`${from}.`)) return { ok: false, problem: `\`${into}\` is a sub-code of \`${from}\`: a code cannot be merged into its own sub-code (move \`${into}\` out first).` };
  for (const child of code.children) {
    const local = codebook.codes.get(child)?.localId ?? child;
    if (codebook.codes.has(`${into}.${local}`)) return { ok: false, problem: `Both codes have a sub-code \`${local}\`: merge \`${child}\` into \`${into}.${local}\` first.` };
  }
  return planChange(
    frame,
    (id) => renamed(id, from, into),
    (text, file) => {
      const cb = codebookText(file);
      if (typeof cb === 'string') return cb;
      const children: Item[] = [];
      for (const child of code.children) {
        const entry = entryOf(cb, child);
        if (typeof entry === 'string') return problemIn(file, entry);
        children.push(entry);
      }
      // Merging a code into its parent, when it is the only child and has children of its own: the `children:` key stays for them.
      const cut = removeEntry(cb, from, children.length > 0 && code.parent === into);
      if (typeof cut === 'string') return problemIn(file, cut);
      const edits: Edit[] = [];
      const lists = [
        ['keywords', code.keywords, code.keywordRanges, target.keywords],
        ['patterns', code.patterns, code.patternRanges, target.patterns],
        ['unless', code.unless, code.unlessRanges, target.unless],
      ] as const;
      for (const [key, values, ranges, existing] of lists) {
        const added = ranges.filter((_, i) => !existing.includes(values[i] as string)).map((r) => pastable(text, r));
        const edit = appendToList(cb, into, key, added);
        if (typeof edit === 'string') return problemIn(file, edit);
        if (edit) edits.push(edit);
      }
      // In this order where offsets meet: the merged keywords, then the sub-codes, then the cut.
      const paste = pasteEntries(cb, into, children);
      if (typeof paste === 'string') return problemIn(file, paste);
      if (paste.text !== '') edits.push(paste);
      edits.push(cut);
      return edits;
    },
    true,
  );
}

/**
 * The change that maps every code id through `map`: the codebook (its
 * `edits`), every marker of the corpus, every plan's `codes:`. With
 * `dedupe` (a merge), a coding the map makes a repeat of another in the same
 * paragraph, or a plan entry repeated in its section, is removed.
 */
function planChange(frame: ProjectFrame, map: IdMap, codebookEdits: (text: string, file: SourceFile) => Edit[] | string, dedupe: boolean): Refactoring {
  const codebook = frame.codebook;
  if (!codebook) return { ok: false, problem: 'The project has no codebook.' };
  const changes: FileChange[] = [];
  const codebookFile = frameFile(frame, codebook.file);
  if (!codebookFile) return { ok: false, problem: `\`${codebook.file}\` cannot be read: fix it first (\`verbatim check\`).` };
  let problem: string | undefined;
  const codebookChange = editedFile(frame.root, codebookFile, (text) => {
    const edits = codebookEdits(text, codebookFile);
    if (typeof edits === 'string') {
      problem = edits;
      return [];
    }
    return edits;
  });
  if (problem !== undefined) return { ok: false, problem };
  if (typeof codebookChange === 'string') return { ok: false, problem: codebookChange };
  if (codebookChange) changes.push(codebookChange);

  // Every marker of the corpus: the ids inside the `{…}` the parser found.
  for (const relative of frame.transcriptPaths) {
    const { file, transcript } = readTranscript(frame, relative);
    if (!transcript) {
      if (file.fatal || file.text.trim() !== '') return { ok: false, problem: `\`${file.path}\` cannot be read as a transcript: fix it first (\`verbatim check\`), so that its markers change too.` };
      continue;
    }
    const change = editedFile(frame.root, file, (text) => markerEdits(text, file, transcript, map, dedupe));
    if (typeof change === 'string') return { ok: false, problem: change };
    if (change) changes.push(change);
  }

  // Plans: their `codes:` entries.
  for (const plan of frame.plans) {
    const file = frameFile(frame, plan.file);
    if (!file) continue;
    const change = editedFile(frame.root, file, (text) => plan.sections.flatMap((s) => planEdits(text, s.codeRanges, map, dedupe)));
    if (typeof change === 'string') return { ok: false, problem: change };
    if (change) changes.push(change);
  }
  return { ok: true, changes };
}

/** A problem found in the codebook's text, with its name. */
function problemIn(file: SourceFile, problem: string): string {
  return `\`${file.path}\`: ${problem}.`.replace(/\)\.$/u, ').').replace(/\.\.$/u, '.');
}

/** Every code of every marker of a transcript, `{<…}` ends included, where the parser finds them: paragraph by paragraph (headings and comments hold none). */
export function markerCodes(file: SourceFile, transcript: Transcript): MarkerCode[] {
  return markersOf(file, transcript).flatMap((m) => m.codes);
}

/** Every marker of a transcript's text paragraphs, scanned on a scratch copy (scanning again must not add diagnostics to the file). */
function markersOf(file: SourceFile, transcript: Transcript): ReturnType<typeof scanMarkers>['markers'] {
  const scratch = new SourceFile(file.path, file.text);
  return transcript.paragraphs.filter((p) => p.kind === 'text').flatMap((p) => scanMarkers(scratch, p.sourceStart, p.sourceEnd).markers);
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

/**
 * The edits of a transcript's markers: each id the map changes, renamed
 * where it is written. With `dedupe`, a paragraph coding (`{#…}`, `{!…}`)
 * that the map makes a repeat of another on the same paragraph is removed
 * from its marker (the marker goes when nothing is left in it, and its line
 * when nothing else is on it).
 */
function markerEdits(text: string, file: SourceFile, transcript: Transcript, map: IdMap, dedupe: boolean): Edit[] {
  const markers = markersOf(file, transcript);
  const drop = new Set<number>(dedupe ? repeats(transcript, map) : []);
  const edits: Edit[] = [];
  // Markers sharing one `{…}` (`{#a !b}` is two) are edited together.
  const braces = new Map<number, MarkerCode[]>();
  for (const m of markers) braces.set(m.range[0], [...(braces.get(m.range[0]) ?? []), ...m.codes]);
  for (const m of markers) {
    const codes = braces.get(m.range[0]);
    if (!codes) continue;
    braces.delete(m.range[0]);
    const removed = codes.filter((c) => drop.has(c.range[0]));
    if (removed.length === 0 || text[m.range[0]] !== '{') {
      for (const { id, range } of codes) {
        const next = map(id);
        if (next !== undefined) edits.push({ start: range[0], end: range[1], text: next });
      }
      continue;
    }
    const [s, e] = m.range;
    const kept = codes.filter((c) => !drop.has(c.range[0])).sort((a, b) => a.range[0] - b.range[0]);
    if (kept.length > 0) {
      const inner = kept.map((c) => `${text[c.range[0] - 1] ?? '#'}${map(c.id) ?? c.id}`).join(' ');
      edits.push({ start: s, end: e, text: `{${inner}}` });
    } else edits.push(removal(text, s, e));
  }
  return edits;
}

/** The offsets (of their ids) of the paragraph codings the map makes repeats of another: each but the first of a repeat, preferring to keep one it did not rename. */
function repeats(transcript: Transcript, map: IdMap): number[] {
  const groups = new Map<string, ManualCoding[]>();
  for (const c of transcript.codings) {
    if (c.kind === 'span') continue;
    const key = `${c.kind} ${map(c.code) ?? c.code} ${c.paragraphs[0] as number}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const out: number[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const keep = group.find((c) => map(c.code) === undefined) ?? (group[0] as ManualCoding);
    for (const c of group) if (c !== keep && map(c.code) !== undefined) out.push(c.marker[0]);
  }
  return out;
}

/** Removing a whole marker `[s, e)`: its line when nothing else is on it, the spaces before it when it ends a line or a space follows. */
function removal(text: string, s: number, e: number): Edit {
  const start = text.lastIndexOf('\n', s - 1) + 1;
  const nl = text.indexOf('\n', e);
  const end = nl < 0 ? text.length : nl + 1;
  if (text.slice(start, s).trim() === '' && text.slice(e, end).trim() === '') return { start, end, text: '' };
  let b = s;
  const next = text[e];
  if (next === undefined || next === ' ' || next === '\t' || next === '\n' || next === '\r') while (b > start && (text[b - 1] === ' ' || text[b - 1] === '\t')) b--;
  return { start: b, end: e, text: '' };
}

/** A plan section's `codes:` entries through the map, quoted as they were; with `dedupe`, an entry the map makes a repeat of another of the section is removed (the one it did not rename is kept). */
function planEdits(text: string, ranges: readonly (readonly [number, number])[], map: IdMap, dedupe: boolean): Edit[] {
  const entries = ranges.map(([start, end]) => {
    const { value, quote } = unquoted(text.slice(start, end));
    const next = map(value);
    return { start, end, quote, next, id: next ?? value };
  });
  const kept = new Map<string, (typeof entries)[number]>();
  for (const e of entries) {
    const first = kept.get(e.id);
    if (!first || (first.next !== undefined && e.next === undefined)) kept.set(e.id, e);
  }
  const edits: Edit[] = [];
  for (const e of entries) {
    if (dedupe && kept.get(e.id) !== e && e.next !== undefined) edits.push(listItemRemoval(text, e.start, e.end));
    else if (e.next !== undefined) edits.push({ start: e.start + e.quote.length, end: e.end - e.quote.length, text: e.next });
  }
  return edits;
}

/** Removing the YAML list item at `[start, end)`: its line in a block list, the item and the comma before it (or after it) in a flow list. */
function listItemRemoval(text: string, start: number, end: number): Edit {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (/^ *- +$/u.test(text.slice(lineStart, start))) {
    const nl = text.indexOf('\n', end);
    return { start: lineStart, end: nl < 0 ? text.length : nl + 1, text: '' };
  }
  const before = /,\s*$/u.exec(text.slice(lineStart, start));
  if (before) return { start: start - before[0].length, end, text: '' };
  const after = /^\s*,\s*/u.exec(text.slice(end));
  return { start, end: end + (after ? after[0].length : 0), text: '' };
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
export function editedFile(root: string, parsed: SourceFile, editsOf: (text: string) => Edit[]): FileChange | string | undefined {
  const shown = parsed.path;
  if (parsed.fatal) return `\`${shown}\` cannot be read: fix it first (\`verbatim check\`).`;
  // Stable: edits at one offset keep their order (a paste before the cut that starts there).
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
