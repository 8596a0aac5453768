/**
 * Loads a project folder: finds its files (convention over configuration),
 * reads and parses each one. A broken file is reported and skipped; the
 * others go on.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { append } from '../core/arrays.js';
import { decode, loneCrAsLf } from '../core/decode.js';
import { SourceFile } from '../core/source-file.js';
import { IMPORT_MARKER, incompleteImportMessage, readImportMarker } from '../exchange/import-common.js';
import { readZip } from '../exchange/zip.js';
import { parseCodebook } from '../project/codebook.js';
import { defaultConfig, parseConfig } from '../project/config.js';
import type { Codebook, Config, Panel, Plan, Transcript } from '../project/model.js';
import { parsePanelCsv, parsePanelYaml } from '../project/panel.js';
import { parsePlan } from '../project/plan.js';
import { readRedactList, redactStrings } from '../project/redact-list.js';
import { parseTranscript } from '../project/transcript.js';
import { parseYaml } from '../yaml/yaml-source.js';
import { isTrackedByGit } from './git.js';
import { displayPath, exists, MAX_FILE_BYTES, readSourceFile } from './read.js';

/** Options of {@link loadProject}. */
export interface LoadOptions {
  /**
   * The texts of files open in an editor, by path relative to the project:
   * read instead of the saved files (the language server checks what is
   * being typed). The config, codebook, panel and plans only.
   */
  texts?: (relative: string) => string | undefined;
  /** A codebook path, relative to the project, overriding the configuration. */
  codebook?: string;
  /** Report progress (files read) to a callback, for long runs. */
  onProgress?: (done: number, total: number) => void;
  /**
   * What `check` looks at for privacy: read the exports (see {@link
   * EXPORT_EXTENSIONS}) into `outputs`, for the leak scan, and ask git whether
   * `.verbatim/redact.txt` is tracked (`trackedRedactions`); `check` then
   * also reads the generated reports' verbatim sources (`unreviewed-quote`).
   */
  exports?: boolean;
}

/**
 * What counts as an export for `check`'s `redaction-leak` scan: every file
 * under `exports/`, and files with these extensions at the project root and
 * in the reports folder (where `verbatim export -o` usually writes).
 */
export const EXPORT_EXTENSIONS = ['.qdpx', '.pptx', '.docx', '.qdc', '.qde', '.csv', '.json', '.txt'] as const;

/** A text inside an archive export (`project.qde`, `sources/…`), scanned on its own. */
export class ArchiveEntryFile extends SourceFile {
  constructor(
    path: string,
    text: string,
    /** The entry's name inside the archive. */
    readonly entry: string,
  ) {
    super(path, text);
  }
}

/** Everything of a project but its transcripts, which streaming commands read one at a time. */
export interface ProjectFrame {
  /** Absolute path of the project folder. */
  root: string;
  config: Config;
  /** Every file read so far, with its diagnostics. */
  files: SourceFile[];
  /** Transcript paths relative to the project, sorted. */
  transcriptPaths: string[];
  codebook?: Codebook;
  panel?: Panel;
  plans: Plan[];
  /**
   * Generated reports (`reports/*.md`), and with the `exports` option the
   * exports, read so that check can scan them for leaks.
   */
  outputs: SourceFile[];
  /**
   * Project-level strings to mask: `redact` of verbatim.yaml plus
   * `.verbatim/redact.txt` (kept out of git); in a loaded {@link Project},
   * also the `redact` lists of the transcripts that could not be parsed.
   */
  redact: string[];
  /** With the `exports` option: the private redaction list is tracked by git, so its names are in the history. */
  trackedRedactions?: string;
  /**
   * With the `exports` option (`check`): the rules on what the generated
   * outputs say (`unreviewed-quote`) run. Other commands leave them to
   * `check`: `report` is about to write the reports again, and says it itself.
   */
  outputsChecked?: true;
  /**
   * A panel file that could not be read or parsed, or whose structure is
   * wrong, or a `verbatim.yaml` that could not be parsed (each has its error
   * and its `skipped-checks` line): the transcripts' and plans' attributes are
   * then not checked against the panel, since every one of them would be
   * reported as undeclared.
   */
  panelBroken?: true;
}

/** A loaded project. */
export interface Project extends ProjectFrame {
  /** The transcripts that parsed, in path order. */
  transcripts: Transcript[];
}

/** Files of the corpus folder that are not transcripts (paths relative to the corpus folder). */
export const NOT_TRANSCRIPTS = /(^|\/)(README|CHANGELOG|LICENSE)[^/]*$|(^|\/)[_.][^/]*$/i;

/** Loads the configuration, codebook, panel and plans, and lists the transcripts. */
export function loadFrame(root: string, options: LoadOptions = {}): ProjectFrame {
  const files: SourceFile[] = [];
  /** Diagnostics about a folder or a missing file go on a text-less SourceFile named after it. */
  const about = (name: string): SourceFile => {
    let f = files.find((x) => x.path === name);
    if (!f) {
      f = new SourceFile(name, '');
      files.push(f);
    }
    return f;
  };
  /** A file as the editor holds it, or as saved. */
  const read = (relative: string): SourceFile => {
    const text = options.texts?.(relative);
    return text === undefined ? readSourceFile(root, relative) : new SourceFile(displayPath(relative), loneCrAsLf(text.replace(/^\uFEFF/u, '')));
  };
  let config = defaultConfig();
  let configFile: SourceFile | undefined;
  if (exists(root, 'verbatim.yaml')) {
    configFile = read('verbatim.yaml');
    files.push(configFile);
    if (!configFile.fatal) config = parseConfig(configFile);
    // A verbatim.yaml that does not parse still redacts what it lists (the outputs are written from the defaults).
    if (configFile.fatal) {
      config.redact = readRedactList(configFile.text);
      reportSkipped(configFile, "Because `verbatim.yaml` cannot be read, the project is checked with the default settings (the corpus in `corpus/`, the one codebook of `codebooks/`, every rule at its default severity), and the checks on what it would locate are skipped until it is fixed: whether the corpus and codebook folders are there, and the transcripts' and plans' attributes against the panel.");
    }
  }
  // With verbatim.yaml unreadable, the folders it may move are not where the defaults look: saying they are missing would mislead.
  const configBroken = configFile?.fatal === true;
  const unsaid = new SourceFile('', '');
  /** A missing path: on verbatim.yaml when it names the path, else on the path itself. */
  const missing = (key: 'codebook' | 'panel', p: string, what: string): void => {
    const at = options[key as 'codebook'] === undefined ? config.positions.get(key) : undefined;
    if (configFile && at) configFile.report('missing-file', `The ${what} \`${p}\` does not exist; fix the path in \`verbatim.yaml\`.`, at);
    else about(p).report('missing-file', `The ${what} \`${p}\` does not exist.`);
  };

  // The codebook: --codebook, then verbatim.yaml, then the one file of codebooks/.
  let codebook: Codebook | undefined;
  const codebookPath = options.codebook ?? config.codebook ?? findCodebook(root, configBroken ? unsaid : about('codebooks/'));
  if (codebookPath !== undefined) {
    if (!exists(root, codebookPath)) {
      missing('codebook', codebookPath, 'codebook');
    } else {
      const file = read(codebookPath);
      files.push(file);
      if (!file.fatal) codebook = parseCodebook(file);
      if (file.fatal) reportSkipped(file, 'Because this codebook cannot be read, nothing is coded automatically, and the markers, plans and keywords are not checked against its codes until it is fixed.');
    }
  }

  // The panel: YAML definitions and/or a CSV table.
  let panel: Panel | undefined;
  // With verbatim.yaml unreadable, the panel found is perhaps not the one it names.
  let panelBroken = configBroken;
  const panelPaths = config.panel ? [config.panel] : [`${config.corpus}/panel.yaml`, `${config.corpus}/panel.yml`, `${config.corpus}/panel.csv`].filter((p) => exists(root, p));
  for (const p of panelPaths) {
    if (!exists(root, p)) {
      missing('panel', p, 'panel');
      continue;
    }
    const file = read(p);
    files.push(file);
    if (!file.fatal) panel = p.endsWith('.csv') ? (parsePanelCsv(file, panel) ?? panel) : (parsePanelYaml(file) ?? panel);
    // A panel whose structure is wrong (an attribute indented out of `attributes`, say) declares the wrong attributes:
    // checked against it, every transcript would be reported for the one mistake.
    const structural = !file.fatal && file.messages.some((d) => d.severity === 'error' && STRUCTURAL_RULES.has(d.ruleId));
    if (file.fatal || structural) {
      panelBroken = true;
      reportSkipped(file, `Because this panel ${file.fatal ? 'cannot be read' : 'is not shaped as a panel (see the error above)'}, the attributes of the transcripts, of the panel table and of the plans' \`by\` are not checked against it (undeclared attributes and values, missing values) until it is fixed.`);
    }
  }

  // Transcripts: listed here, read by readTranscripts (all at once) or one by one (streaming commands).
  let transcriptPaths: string[] = [];
  if (!exists(root, config.corpus)) {
    (configBroken ? unsaid : about(`${config.corpus}/`)).report('no-transcripts', `The corpus folder \`${config.corpus}\` does not exist: create it and put one Markdown transcript per interview in it (\`verbatim init\` shows the format).`);
  } else {
    transcriptPaths = globSync('**/*.md', { cwd: path.resolve(root, config.corpus), onlyFiles: true })
      .map((n) => n.split(path.sep).join('/'))
      .filter((n) => !NOT_TRANSCRIPTS.test(n))
      .sort()
      .map((n) => `${config.corpus}/${n}`);
    if (transcriptPaths.length === 0) {
      (configBroken ? unsaid : about(`${config.corpus}/`)).report('no-transcripts', `No transcript in \`${config.corpus}/\`: add one Markdown file per interview (\`verbatim init\` shows the format).`);
    }
  }

  // Report plans, and the reports generated from them.
  const plans: Plan[] = [];
  const outputs: SourceFile[] = [];
  if (exists(root, config.reports)) {
    // The reports, and the files that say where their verbatims come from (`*.sources.tsv`, see core/quote-source.ts).
    for (const name of globSync(['*.md', '*.sources.tsv'], { cwd: path.resolve(root, config.reports), onlyFiles: true }).sort()) {
      outputs.push(asGenerated(readSourceFile(root, `${config.reports}/${name}`)));
    }
    const names = globSync('*.plan.{yaml,yml}', { cwd: path.resolve(root, config.reports), onlyFiles: true }).sort();
    for (const name of names) {
      const file = read(`${config.reports}/${name}`);
      files.push(file);
      if (file.fatal) continue;
      const plan = parsePlan(file);
      if (plan) plans.push(plan);
    }
  }

  if (options.exports) append(outputs, readExports(root, config.reports));

  // An import cut short leaves its marker: the project may look complete and is not.
  if (exists(root, IMPORT_MARKER)) {
    const marker = readSourceFile(root, IMPORT_MARKER);
    files.push(marker);
    marker.report('incomplete-import', incompleteImportMessage(readImportMarker(marker.text)));
  }

  const redact = [...config.redact, ...readLocalRedactions(root, files)];
  const tracked = options.exports && exists(root, LOCAL_REDACTIONS) && isTrackedByGit(root, LOCAL_REDACTIONS);
  return { root, config, files, transcriptPaths, ...(codebook ? { codebook } : {}), ...(panel ? { panel } : {}), plans, outputs, redact, ...(tracked ? { trackedRedactions: LOCAL_REDACTIONS } : {}), ...(options.exports ? { outputsChecked: true as const } : {}), ...(panelBroken ? { panelBroken: true as const } : {}) };
}

/** Errors that say a YAML file is not shaped as its format: what is read from it is not what the researcher meant. */
const STRUCTURAL_RULES = new Set(['yaml-syntax', 'duplicate-key', 'yaml-limit', 'unknown-key', 'invalid-type']);

/**
 * The one `skipped-checks` line of a broken file: which checks wait for it,
 * where its first error is (so that it follows the cause).
 */
function reportSkipped(file: SourceFile, message: string): void {
  const cause = file.messages.find((d) => d.severity === 'error');
  file.report('skipped-checks', message, cause?.range);
}

/**
 * A generated report that cannot be read (not UTF-8, say) cannot be scanned
 * for leaks, but it is no input of the project: its problems are warnings,
 * so that they never stop `verbatim report` from replacing it.
 */
function asGenerated(file: SourceFile): SourceFile {
  file.messages.forEach((d, i) => {
    if (d.severity === 'error') file.messages[i] = { ...d, severity: 'warning', note: 'This report is generated: `verbatim report` replaces it (or delete it).' };
  });
  return file;
}

/** Loads the project at `root` with every transcript read and parsed. Never throws on user mistakes. */
export function loadProject(root: string, options: LoadOptions = {}): Project {
  const frame = loadFrame(root, options);
  const transcripts: Transcript[] = [];
  const unparsed: string[] = [];
  frame.transcriptPaths.forEach((p, i) => {
    const { file, transcript } = readTranscript(frame, p);
    frame.files.push(file);
    if (transcript) transcripts.push(transcript);
    // A transcript left out for a broken front matter: the names it redacts come up in the others.
    else append(unparsed, frontMatterRedactList(p, file.text));
    options.onProgress?.(i + 1, frame.transcriptPaths.length);
  });
  return { ...frame, redact: [...frame.redact, ...unparsed], transcripts };
}

/** Reads and parses one transcript of the frame (`path` relative to the project). */
export function readTranscript(frame: ProjectFrame, relative: string): { file: SourceFile; transcript?: Transcript } {
  return parseTranscriptFile(frame, readSourceFile(frame.root, relative));
}

/** Parses a transcript file of the frame that was read already. */
export function parseTranscriptFile(frame: ProjectFrame, file: SourceFile): { file: SourceFile; transcript?: Transcript } {
  if (file.fatal || file.text.trim() === '') return { file };
  const config = frame.config;
  const transcript = parseTranscript(file, { language: config.language, speakers: config.speakers, codeInterviewer: config.codeInterviewer });
  return transcript ? { file, transcript } : { file };
}

function findCodebook(root: string, folder: SourceFile): string | undefined {
  const dir = path.resolve(root, 'codebooks');
  let names: string[] = [];
  try {
    if (statSync(dir).isDirectory()) names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch {
    names = [];
  }
  if (names.length === 0) {
    folder.report('no-codebook', 'No codebook: add a YAML codebook in `codebooks/` (`verbatim init` shows the format).');
    return undefined;
  }
  if (names.length > 1) {
    folder.report('multiple-codebooks', `Several codebooks in \`codebooks/\` (${names.map((n) => `\`${n}\``).join(', ')}): choose one with \`--codebook\` or \`codebook:\` in \`verbatim.yaml\`.`);
    return undefined;
  }
  return `codebooks/${names[0] as string}`;
}

/** The private redaction list, in a folder kept out of git. */
const LOCAL_REDACTIONS = '.verbatim/redact.txt';

/**
 * `.verbatim/redact.txt`: one string per line, `#` comments. It is for names
 * that must not even be written in a committed file, so it lives in a folder
 * that `verbatim init` puts in `.gitignore`.
 */
function readLocalRedactions(root: string, files: SourceFile[]): string[] {
  const p = LOCAL_REDACTIONS;
  if (!exists(root, p)) return [];
  const file = readSourceFile(root, p);
  if (file.fatal) {
    files.push(file);
    return [];
  }
  return file.text
    .split(/\r\n|\n|\r/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** True when `check` scans the file at `relative` (a `/`-separated path from the root) as an export, by the globs of {@link readExports}. */
export function isScannedAsExport(relative: string, reports: string): boolean {
  const p = path.posix.normalize(relative);
  if (p.startsWith('exports/')) return true;
  const dir = path.posix.dirname(p);
  const exported = EXPORT_EXTENSIONS.some((e) => p.toLowerCase().endsWith(e));
  return exported && (dir === '.' || dir === path.posix.normalize(reports));
}

/** The exports of a project (see {@link EXPORT_EXTENSIONS}), as texts to scan; files that are not text are skipped. */
function readExports(root: string, reports: string): SourceFile[] {
  const pattern = `*{${EXPORT_EXTENSIONS.join(',')}}`;
  const names = new Set<string>();
  for (const [dir, glob] of [
    ['.', pattern],
    [reports, pattern],
    ['exports', '**/*'],
  ] as const) {
    if (!exists(root, dir)) continue;
    for (const n of globSync(glob, { cwd: path.resolve(root, dir), onlyFiles: true, caseSensitiveMatch: false })) {
      names.add(path.posix.normalize(`${dir}/${n.split(path.sep).join('/')}`));
    }
  }
  const out: SourceFile[] = [];
  for (const name of [...names].sort()) {
    let bytes: Uint8Array;
    try {
      if (statSync(path.resolve(root, name)).size > MAX_FILE_BYTES) continue;
      bytes = readFileSync(path.resolve(root, name));
    } catch {
      continue;
    }
    if (/\.(qdpx|pptx|docx)$/i.test(name)) {
      // A project's texts, a deck's slides, notes, charts and properties, or a Word document's parts.
      const zip = readZip(bytes, undefined, (entry) => /\.(qde|txt|xml|xlsx)$/i.test(entry));
      if (!zip.ok) continue;
      for (const [entry, data] of [...zip.files].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        // A chart's workbook, inside the deck or the document: its sheets and strings too (`entry/part`).
        const inner = /\.xlsx$/i.test(entry) ? readZip(data, undefined, (part) => /\.xml$/i.test(part)) : undefined;
        const parts: [string, Uint8Array][] = inner ? (inner.ok ? [...inner.files].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([part, d]) => [`${entry}/${part}`, d]) : []) : [[entry, data]];
        for (const [where, d] of parts) {
          const text = decode(d).text;
          if (text !== undefined) out.push(new ArchiveEntryFile(name, text, where));
        }
      }
      continue;
    }
    const text = decode(bytes).text;
    if (text === undefined) continue;
    // As written: the leak scan reads each format's escapes itself, and reports where the file has them.
    out.push(new SourceFile(name, text));
  }
  return out;
}

/**
 * Every transcript's `redact` list, read from the front matter alone (the
 * first bytes of each file), for commands that stream over the corpus and
 * must mask, in each transcript, the names the others redact.
 */
export function corpusRedactions(frame: Pick<ProjectFrame, 'root' | 'transcriptPaths'>): string[] {
  const all = new Set<string>();
  for (const p of frame.transcriptPaths) for (const r of frontMatterRedactions(frame.root, p)) all.add(r);
  return [...all];
}

/** Front matter is read in chunks of this size, up to {@link MAX_HEAD} bytes (it is usually a few hundred). */
const HEAD_CHUNK = 8192;
const MAX_HEAD = 1024 * 1024;

/**
 * Each transcript's id, read from the front matter alone (its `id`, or the
 * file name without `.md` when it has none), by path: for commands that take
 * transcript ids and must say which exist before they stream over the corpus.
 */
export function transcriptIdsByPath(frame: Pick<ProjectFrame, 'root' | 'transcriptPaths'>): Map<string, string> {
  const ids = new Map<string, string>();
  for (const p of frame.transcriptPaths) {
    const text = frontMatterHead(frame.root, p);
    const body = text === undefined ? '' : loneCrAsLf(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    const open = /^---[ \t]*(?:\r\n|\n|\r)/.exec(body);
    const close = open ? /^(?:---|\.\.\.)[ \t]*(?:\r\n|\n|\r|$)/m.exec(body.slice(open[0].length)) : null;
    const yaml = open && close ? parseYaml(new SourceFile(p, body), open[0].length, open[0].length + close.index) : undefined;
    const data = yaml?.data as { id?: unknown } | null | undefined;
    const id = data && typeof data === 'object' && (typeof data.id === 'string' || typeof data.id === 'number') ? String(data.id) : p.replace(/^.*\//, '').replace(/\.[^.]*$/, '');
    ids.set(p, id);
  }
  return ids;
}

function frontMatterRedactions(root: string, relative: string): string[] {
  const text = frontMatterHead(root, relative);
  return text === undefined ? [] : frontMatterRedactList(relative, text);
}

/** The first bytes of a transcript, up to the line that closes its front matter, decoded (undefined when unreadable). */
function frontMatterHead(root: string, relative: string): string | undefined {
  let head = new Uint8Array(0);
  try {
    const fd = openSync(path.resolve(root, relative), 'r');
    try {
      // Read until the line that closes the front matter (or the end of the file, or the cap).
      while (head.length < MAX_HEAD) {
        const size = Math.max(HEAD_CHUNK, head.length);
        const chunk = new Uint8Array(size);
        const n = readSync(fd, chunk, 0, size, head.length);
        const next = new Uint8Array(head.length + n);
        next.set(head);
        next.set(chunk.subarray(0, n), head.length);
        head = next;
        // No front matter at all, the end of the file, or its closing line: done.
        const start = head[0] === 0xef ? 3 : 0;
        if (head.length >= start + 3 && (head[start] !== 0x2d || head[start + 1] !== 0x2d || head[start + 2] !== 0x2d)) break;
        if (n < size || closingLineEnd(head) < head.length) break;
      }
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  // Up to the closing `---` (so that a multi-byte character cut at the end of the head does not matter).
  return decode(head.subarray(0, closingLineEnd(head))).text;
}

/**
 * The `redact` list of a transcript's front matter. One that does not parse
 * (or is never closed: then to the end of the text) still redacts what it
 * lists, read from the raw YAML.
 */
export function frontMatterRedactList(relative: string, text: string): string[] {
  const body = loneCrAsLf(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const open = /^---[ \t]*(?:\r\n|\n|\r)/.exec(body);
  if (!open) return [];
  const close = /^(?:---|\.\.\.)[ \t]*(?:\r\n|\n|\r|$)/m.exec(body.slice(open[0].length));
  const end = close ? open[0].length + close.index : body.length;
  const yaml = close ? parseYaml(new SourceFile(relative, body), open[0].length, end) : undefined;
  if (!yaml) return readRedactList(body.slice(open[0].length, end));
  const data = yaml.data as { redact?: unknown } | null | undefined;
  return data && typeof data === 'object' ? redactStrings(data.redact) : [];
}

/** The offset just after the line that closes the front matter (`---` or `...` after the first line), or the length. */
function closingLineEnd(bytes: Uint8Array): number {
  for (let i = 1; i < bytes.length; i++) {
    if (bytes[i - 1] !== 0x0a && bytes[i - 1] !== 0x0d) continue;
    const c = bytes[i];
    if ((c === 0x2d || c === 0x2e) && bytes[i + 1] === c && bytes[i + 2] === c) {
      let j = i + 3;
      while (bytes[j] === 0x20 || bytes[j] === 0x09) j++;
      if (j >= bytes.length || bytes[j] === 0x0a || bytes[j] === 0x0d) return j;
    }
  }
  return bytes.length;
}
