/**
 * `verbatim import FILE`: a REFI-QDA project (`.qdpx`, or `project.qde` with
 * its `sources/` folder) becomes a new project; a codebook (`.qdc`) becomes a
 * codebook YAML; a transcript (`.docx`, `.txt`, WebVTT `.vtt`, SubRip `.srt`)
 * goes into the corpus of the current project. Never overwrites a file
 * without `--force`; prints what was written and what was not carried over.
 *
 * Bounded: files are read with a size limit, and an archive's entries are
 * checked against the limits on their declared sizes before any is
 * inflated (`src/exchange/zip.ts`); only the `.qde` and the text files its
 * sources name are inflated.
 *
 * Complete or absent: see `src/engine/import-write.ts`.
 */
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import path from 'node:path';
import { ID_FORM, isValidId } from '../../core/ids.js';
import { decode } from '../../core/decode.js';
import { statusOf, writeImport } from '../../engine/import-write.js';
import { isScannedAsExport, loadProject } from '../../engine/load-project.js';
import { decodeSourceFile } from '../../engine/read.js';
import { docxText } from '../../exchange/docx.js';
import { IMPORT_MARKER, readImportMarker, type ImportNote, type ImportResult, type ImportedFile } from '../../exchange/import-common.js';
import { findSourceFile, importRefiCodebook, importRefiProject } from '../../exchange/import-refi.js';
import type { OffsetUnit } from '../../exchange/offsets.js';
import { parseRefi, type RefiProject } from '../../exchange/refi-parse.js';
import { IdAllocator, slugCodeId, slugTranscriptId } from '../../exchange/slug.js';
import { importCaptions, importPlainTranscript } from '../../exchange/transcript-import.js';
import { checkSizes, DEFAULT_ZIP_LIMITS, listZip, megabytes, readEntries, type ZipEntry, type ZipRefusal, type ZipSource } from '../../exchange/zip.js';
import { stylish } from '../../formatters/index.js';
import { EXIT, UsageError, type Context, type ExitCode } from '../context.js';

/** The options of `verbatim import`, as commander gives them. */
export interface ImportOptions {
  into?: string;
  force?: boolean;
  json?: boolean;
  interviewer?: string[];
  offsets?: string;
  id?: string;
}

const REFI = ['.qdpx', '.qde', '.qdc'];
const TRANSCRIPTS = ['.docx', '.txt', '.vtt', '.srt'];
/** Largest transcript file read (`.txt`, `.vtt`, `.srt`, `.docx`), and largest `.qde` or `.qdc`: the limit of one text source. */
const MAX_TRANSCRIPT_BYTES = DEFAULT_ZIP_LIMITS.maxEntryBytes;

/** A user-facing failure to read the input: exit 1 with this message. */
class InputError extends Error {}

/** `noFollow`: refuse a symbolic link (a file the user did not name on the command line). */
function readInput(file: string, max: number, what = 'the file', noFollow = false): Uint8Array {
  let fd: number;
  try {
    fd = openSync(file, noFollow ? constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) : 'r');
  } catch (error) {
    throw new InputError(`cannot read ${what}: ${(error as NodeJS.ErrnoException).code === 'ELOOP' ? 'it is a symbolic link' : (error as Error).message}`);
  }
  try {
    // The size of the open file, not of the path: it cannot change in between.
    const size = fstatSync(fd).size;
    if (size > max) throw new InputError(`${what} is ${megabytes(size)}; Verbatim imports files of up to ${megabytes(max)}`);
    return readAt(fd, 0, size);
  } finally {
    closeSync(fd);
  }
}

/** `length` bytes of an open file from `offset` (fewer at its end). */
function readAt(fd: number, offset: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let at = 0;
  for (let n = 1; at < length && n > 0; at += n) n = readSync(fd, bytes, at, length - at, offset + at);
  return bytes.subarray(0, at);
}

/** An archive read from its file a piece at a time: only what is inflated is in memory, whatever the archive's size. */
function fileSource(fd: number): ZipSource {
  const size = fstatSync(fd).size;
  return { size, read: (offset, length) => readAt(fd, offset, Math.max(0, Math.min(length, size - offset))) };
}

function text(bytes: Uint8Array, what: string): string {
  const d = decode(bytes);
  if (d.text === undefined) {
    const p = d.problem;
    // The message is printed after "cannot import FILE: ", which adds the final period.
    throw new InputError(p?.kind === 'binary' ? `${what} is not a text file (a zero byte at offset ${p.offset}); save it as UTF-8 text` : `${what}: ${(p?.message ?? 'not UTF-8 text').replace(/\.$/, '')}`);
  }
  return d.text;
}

/** An archive refused: over a limit (said as it is), or damaged. */
function refused(refusal: ZipRefusal, what: string): InputError {
  return new InputError(refusal.limit ? refusal.message : `${what}: ${refusal.message}`);
}

/** The `.qde` of an archive: the one at the root (tools name it `project.qde`, `Project.qde`, or after the project). */
function findQde(entries: readonly ZipEntry[]): ZipEntry {
  const qdes = entries.filter((e) => /\.qde$/i.test(e.name) && !e.name.includes('/'));
  const chosen = qdes.find((e) => e.name.toLowerCase() === 'project.qde') ?? (qdes.length === 1 ? qdes[0] : undefined);
  if (!chosen) throw new InputError(qdes.length === 0 ? 'the archive has no `project.qde`' : `the archive has several \`.qde\` files (${qdes.map((e) => e.name).join(', ')})`);
  return chosen;
}

/** Where a project's text files come from: the entries of a `.qdpx`, or the `sources/` folder beside a bare `.qde`. */
interface TextFiles {
  /** Every file by name (`sources/…`, as in an archive), with its size. */
  sizes: Map<string, number>;
  /** Reads the named files (their sizes already checked). */
  read(names: readonly string[]): Map<string, Uint8Array>;
  /** What the report should say about files left unread. */
  notes: ImportNote[];
  /** The sizes are what archive entries would inflate to. */
  inflated: boolean;
}

/**
 * The files of the `sources/` folder beside a bare `.qde`. A symbolic link
 * (the folder itself, or a file in it) is not followed: it could make the
 * import copy any file of the computer into the project.
 */
function sourcesFolder(qde: string): TextFiles {
  const dir = path.dirname(qde);
  const sizes = new Map<string, number>();
  const paths = new Map<string, string>();
  const links: string[] = [];
  const folder = readdirSync(dir).find((n) => n.toLowerCase() === 'sources');
  const top = folder === undefined ? undefined : statusOf(path.join(dir, folder), true);
  if (folder !== undefined && top?.isSymbolicLink()) links.push(folder);
  else if (folder !== undefined && top?.isDirectory()) {
    for (const name of readdirSync(path.join(dir, folder)).sort()) {
      const full = path.join(dir, folder, name);
      const stats = statusOf(full, true);
      if (stats?.isSymbolicLink()) links.push(`${folder}/${name}`);
      else if (stats?.isFile()) {
        sizes.set(`sources/${name}`, stats.size);
        paths.set(`sources/${name}`, full);
      }
    }
  }
  const notes: ImportNote[] = links.map((l) => ({ kind: 'symlink', message: `\`${l}\` is a symbolic link: not followed (Verbatim reads no source through a link; copy the file itself there).` }));
  return { sizes, notes, inflated: false, read: (names) => new Map(names.map((n) => [n, readInput(paths.get(n) as string, MAX_TRANSCRIPT_BYTES, `\`${n}\``, true)])) };
}

/** The entries of an archive as {@link TextFiles}. */
function archiveFiles(source: ZipSource, entries: readonly ZipEntry[], alreadyRead: number): TextFiles {
  const byName = new Map(entries.map((e) => [e.name, e]));
  return {
    sizes: new Map(entries.map((e) => [e.name, e.size])),
    notes: [],
    inflated: true,
    read: (names) => {
      const read = readEntries(source, names.map((n) => byName.get(n) as ZipEntry), DEFAULT_ZIP_LIMITS, alreadyRead);
      if (!read.ok) throw refused(read, 'not a usable QDPX archive');
      return read.files;
    },
  };
}

/**
 * Reads the text files that the project's sources name, and only them, after
 * checking their sizes against the limits (each, and in all with the
 * `alreadyRead` bytes of the `.qde`).
 */
function readSourceTexts(project: RefiProject, files: TextFiles, alreadyRead: number): SourceTexts {
  const names = new Map([...files.sizes.keys()].map((n) => [n, n]));
  const wanted = new Set<string>();
  for (const s of project.sources) {
    if (s.plainTextContent !== undefined || !s.plainTextPath) continue;
    const found = findSourceFile(names, s.plainTextPath).file;
    if (found !== undefined) wanted.add(found);
  }
  const over = checkSizes([...wanted].map((name) => ({ name, size: files.sizes.get(name) as number })), DEFAULT_ZIP_LIMITS, alreadyRead, files.inflated);
  if (over) throw new InputError(over.message);
  return { files: files.read([...wanted]), notes: files.notes };
}

/** The text files a project's sources name, and what the report says about files left unread. */
interface SourceTexts {
  files: Map<string, Uint8Array>;
  notes: ImportNote[];
}

async function importRefiFile(file: string, ext: string, options: ImportOptions): Promise<ImportResult> {
  const name = path.basename(file).replace(/\.[^.]*$/, '');
  const common = {
    name,
    source: path.basename(file),
    ...(options.interviewer ? { interviewers: options.interviewer } : {}),
    ...(options.offsets ? { offsets: options.offsets as 'auto' | OffsetUnit } : {}),
  };
  if (ext !== '.qdpx') {
    const bytes = readInput(file, MAX_TRANSCRIPT_BYTES);
    return importRefiXml(text(bytes, path.basename(file)), ext, common, ext === '.qde' ? (project) => readSourceTexts(project, sourcesFolder(file), bytes.length) : undefined);
  }
  const fd = openSync(file, 'r');
  try {
    const archive = fileSource(fd);
    const listing = listZip(archive, DEFAULT_ZIP_LIMITS);
    if (!listing.ok) throw refused(listing, 'not a usable QDPX archive');
    const entries = listing.entries.filter((e) => !e.special);
    const qdeEntry = findQde(entries);
    const qde = readEntries(archive, [qdeEntry], DEFAULT_ZIP_LIMITS);
    if (!qde.ok) throw refused(qde, 'not a usable QDPX archive');
    const xml = text(qde.files.get(qdeEntry.name) as Uint8Array, qdeEntry.name);
    return importRefiXml(xml, ext, common, (project) => readSourceTexts(project, archiveFiles(archive, entries, qdeEntry.size), qdeEntry.size));
  } finally {
    closeSync(fd);
  }
}

/** Parses a `.qde`/`.qdc` and imports it; `texts` reads the text files of a project's sources. */
function importRefiXml(xml: string, ext: string, common: Parameters<typeof importRefiProject>[2], texts?: (project: RefiProject) => SourceTexts): ImportResult {
  const parsed = parseRefi(xml);
  if (!parsed.ok) throw new InputError(parsed.message);
  if (parsed.value.kind === 'codebook') return importRefiCodebook(parsed.value, common);
  if (ext === '.qdc') throw new InputError('this `.qdc` holds a whole project (`<Project>`); rename it `.qde`');
  const read = texts?.(parsed.value) ?? { files: new Map<string, Uint8Array>(), notes: [] };
  const result = importRefiProject(parsed.value, read.files, common);
  // Links left unread come first: they explain the sources reported missing.
  result.notes = [...read.notes, ...result.notes];
  return result;
}

async function importTranscriptFile(file: string, ext: string, projectRoot: string, options: ImportOptions, ctx: Context): Promise<ImportResult> {
  const project = loadProject(projectRoot);
  const corpus = project.config.corpus;
  const taken = new IdAllocator(project.transcripts.map((t) => t.id));
  if (options.id !== undefined && !isValidId(options.id)) throw new UsageError(`--id \`${options.id}\` is not an id: ${ID_FORM}.`);
  const wanted = options.id ?? (slugTranscriptId(path.basename(file)) || 'interview');
  // Another file already using this id would make two transcripts with one id: take the next free one.
  // The same file (`corpus/<id>.md`) is a clash that only --force overrides.
  const other = project.transcripts.some((t) => t.id.toLowerCase() === wanted.toLowerCase() && t.file !== `${corpus}/${wanted}.md`);
  const id = other ? taken.take(wanted, 'interview') : wanted;
  const common = {
    id,
    corpus,
    source: path.basename(file),
    ...(options.interviewer ? { interviewers: options.interviewer } : {}),
    ...(project.panel ? { attributes: project.panel.attributes } : {}),
  };
  const bytes = readInput(file, MAX_TRANSCRIPT_BYTES);
  let result: ImportResult;
  if (ext === '.docx') {
    const extracted = await docxText(bytes);
    if (!extracted.ok) throw extracted.limit ? new InputError(extracted.message) : new InputError(`not a readable Word document (${extracted.message})`);
    result = importPlainTranscript(extracted.text, common);
    if (extracted.warnings.length > 0) result.notes.push({ kind: 'docx', count: extracted.warnings.length, message: `Word formatting not carried over (${extracted.warnings.slice(0, 3).join('; ')}${extracted.warnings.length > 3 ? '; …' : ''}).` });
  } else {
    const content = text(bytes, path.basename(file));
    warnLegacy(ctx, file, bytes);
    result = ext === '.txt' ? importPlainTranscript(content, common) : importCaptions(content, common);
  }
  // The source still holds the names the new transcript redacts: where `check` scans exports, it would be a leak.
  const inProject = path.relative(projectRoot, file).split(path.sep).join('/');
  const redacts = result.files.some((f) => /^redact:\n {2}- /mu.test(f.content));
  if (redacts && !inProject.startsWith('../') && !path.isAbsolute(inProject) && isScannedAsExport(inProject, project.config.reports)) {
    const message = `\`${inProject}\` still holds the speakers' names, and \`check\` scans it as an export (a .txt, .docx, .csv… at the project root or in \`${project.config.reports}/\`): move it out of the project or into a folder of its own (\`sources/\`, say, which git should ignore), or \`check\` reports it as a redaction leak.`;
    result = { ...result, info: [...(result.info ?? []), { kind: 'source-scanned', message }] };
  }
  return result;
}

/**
 * A transcript read as Windows-1252 (or UTF-16, UTF-32) is imported, with the
 * `legacy-encoding` warning that `check` gives such a transcript, at the
 * line of the first byte that is not UTF-8.
 */
function warnLegacy(ctx: Context, file: string, bytes: Uint8Array): void {
  const decoded = decodeSourceFile(rel(ctx, file), bytes);
  const warnings = decoded.messages.filter((m) => m.ruleId === 'legacy-encoding');
  if (warnings.length > 0) ctx.io.stderr(stylish(warnings, { color: ctx.colorErr }));
}

const rel = (ctx: Context, p: string): string => path.relative(ctx.io.cwd, p) || '.';

/**
 * `verbatim import FILE`: reads the file, builds every file to write, refuses
 * when one exists (unless `--force`), writes them (staged or under a marker)
 * and prints the report.
 */
export async function importFile(file: string, options: ImportOptions, ctx: Context): Promise<ExitCode> {
  const source = path.resolve(ctx.io.cwd, file);
  if (!statusOf(source)?.isFile()) throw new UsageError(`\`${file}\` is not a file.`);
  const ext = path.extname(source).toLowerCase();
  if (![...REFI, ...TRANSCRIPTS].includes(ext)) throw new UsageError(`Cannot import \`${path.basename(file)}\`: Verbatim imports ${[...REFI, ...TRANSCRIPTS].join(', ')} files.`);
  if (options.offsets && !['auto', 'code-points', 'utf16'].includes(options.offsets)) throw new UsageError('--offsets takes auto, code-points or utf16.');
  const isRefi = REFI.includes(ext);
  // REFI files make a new project folder named after the file; transcripts go into the current project.
  const target = options.into ? path.resolve(ctx.io.cwd, options.into) : isRefi ? path.resolve(ctx.io.cwd, slugCodeId(path.basename(source).replace(/\.[^.]*$/, '')) || 'imported') : ctx.root;
  const cannot = (message: string): ExitCode => {
    ctx.io.stderr(`verbatim: cannot import ${path.basename(file)}: ${message}.\n`);
    return EXIT.problems;
  };
  const targetStats = statusOf(target);
  if (targetStats && !targetStats.isDirectory()) throw new UsageError(`\`${rel(ctx, target)}\` is not a folder: choose another one with --into.`);
  let result: ImportResult;
  try {
    result = isRefi ? await importRefiFile(source, ext, options) : await importTranscriptFile(source, ext, target, options, ctx);
    if (result.empty !== undefined) throw new InputError(`${result.empty}: nothing was written`);
    if (targetStats) checkDestinations(result.files, target, source, ctx, options.force === true, isRefi);
  } catch (error) {
    if (error instanceof InputError) return cannot(error.message);
    throw error;
  }
  const outcome = writeImport(result.files, target, source, { replaceLink: options.force === true, show: (p) => rel(ctx, p) });
  if (outcome) return cannot(outcome);
  printResult(ctx, result, target, options.json === true);
  return EXIT.ok;
}

/**
 * Before anything is written into a folder that exists: no file may exist
 * without `--force`, nor be a symbolic link (with `--force` the writer
 * replaces the link itself, never the file it points at); and an earlier
 * import cut short must be finished first.
 */
function checkDestinations(files: readonly ImportedFile[], target: string, source: string, ctx: Context, force: boolean, isRefi: boolean): void {
  const marker = statusOf(path.join(target, IMPORT_MARKER), true);
  if (marker) {
    const earlier = readImportMarker(readInput(path.join(target, IMPORT_MARKER), MAX_TRANSCRIPT_BYTES, `\`${IMPORT_MARKER}\``).toString());
    if (!earlier || path.basename(earlier.source) !== path.basename(source)) {
      throw new InputError(`an earlier import${earlier ? ` of \`${path.basename(earlier.source)}\`` : ''} into \`${rel(ctx, target)}\` did not finish (\`${IMPORT_MARKER}\`): import it again with --force, or delete the marker once you have checked the files it lists, then import this file`);
    }
  }
  const found = files.map((f) => ({ path: path.join(target, f.path), stats: statusOf(path.join(target, f.path), true) })).filter((f) => f.stats);
  const links = found.filter((f) => f.stats?.isSymbolicLink());
  if (links.length > 0 && !force) {
    throw new InputError(`${links.map((l) => `\`${rel(ctx, l.path)}\``).join(', ')} ${links.length === 1 ? 'is a symbolic link' : 'are symbolic links'}: Verbatim never writes through a link; nothing was written. Add --force to replace ${links.length === 1 ? 'the link itself' : 'the links themselves'} (never the file${links.length === 1 ? ' it points' : 's they point'} at), or remove ${links.length === 1 ? 'it' : 'them'}, then import again`);
  }
  if (found.length > 0 && !force) {
    throw new UsageError(`${found.map((c) => `\`${rel(ctx, c.path)}\``).join(', ')} ${found.length === 1 ? 'exists' : 'exist'}: nothing was written. Add --force to overwrite, or choose another folder with --into${isRefi ? '' : ' (or another id with --id)'}.`);
  }
}

/** What `--json` prints. */
export interface ImportSummary {
  kind: ImportResult['kind'];
  origin?: string;
  target: string;
  written: { path: string; summary: string }[];
  counts: ImportResult['counts'];
  offsets?: ImportResult['offsets'];
  notes: ImportResult['notes'];
  info?: ImportResult['info'];
}

function printResult(ctx: Context, result: ImportResult, target: string, json: boolean): void {
  const where = rel(ctx, target);
  if (json) {
    const summary: ImportSummary = {
      kind: result.kind,
      ...(result.origin ? { origin: result.origin } : {}),
      target: where,
      written: result.files.map((f) => ({ path: path.join(where, f.path).split(path.sep).join('/'), summary: f.summary })),
      counts: result.counts,
      ...(result.offsets ? { offsets: result.offsets } : {}),
      notes: result.notes,
      ...(result.info ? { info: result.info } : {}),
    };
    ctx.io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }
  const lines: string[] = [];
  const from = result.origin ? ` (made by ${result.origin})` : '';
  lines.push(`Imported a ${result.kind === 'project' ? 'REFI-QDA project' : result.kind === 'codebook' ? 'REFI-QDA codebook' : 'transcript'}${from} into ${where}/`);
  for (const f of result.files) lines.push(`  created ${path.join(where, f.path)} (${f.summary})`);
  for (const n of result.info ?? []) lines.push(n.message);
  if (result.offsets) lines.push(`Offsets read as ${result.offsets.unit === 'utf16' ? 'UTF-16 code units' : 'code points'}: ${result.offsets.reason}.`);
  if (result.kind === 'project') {
    const c = result.counts;
    lines.push(`${c.codings} coding${c.codings === 1 ? '' : 's'} written as markers${c.adjusted > 0 ? ` (${c.adjusted} with edges moved)` : ''}${c.dropped > 0 ? `, ${c.dropped} not carried over` : ''}.`);
  }
  if (result.notes.length > 0) {
    lines.push('Not carried over, or changed on the way:');
    for (const n of result.notes) lines.push(`  - ${n.message}`);
  } else lines.push('Everything was carried over.');
  if (result.kind === 'project') lines.push(`Next: cd ${where} && verbatim check`);
  else if (result.kind === 'transcript') lines.push('Next: fill in the front matter (label, attributes), then verbatim check');
  ctx.io.stdout(`${lines.join('\n')}\n`);
}
