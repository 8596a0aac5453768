/**
 * Loads a project folder: finds its files (convention over configuration),
 * reads and parses each one. A broken file is reported and skipped; the
 * others go on.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { SourceFile } from '../core/source-file.js';
import { parseCodebook } from '../project/codebook.js';
import { defaultConfig, parseConfig } from '../project/config.js';
import type { Codebook, Config, Panel, Plan, Transcript } from '../project/model.js';
import { parsePanelCsv, parsePanelYaml } from '../project/panel.js';
import { parsePlan } from '../project/plan.js';
import { parseTranscript } from '../project/transcript.js';
import { exists, readSourceFile } from './read.js';

/** Options of {@link loadProject}. */
export interface LoadOptions {
  /** A codebook path, relative to the project, overriding the configuration. */
  codebook?: string;
  /** Report progress (files read) to a callback, for long runs. */
  onProgress?: (done: number, total: number) => void;
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
  /** Generated reports (`reports/*.md`), read so that check can scan them for leaks. */
  outputs: SourceFile[];
  /** Project-level strings to mask: `redact` of verbatim.yaml plus `.verbatim/redact.txt` (kept out of git). */
  redact: string[];
}

/** A loaded project. */
export interface Project extends ProjectFrame {
  /** The transcripts that parsed, in path order. */
  transcripts: Transcript[];
}

/** Files of the corpus folder that are not transcripts. */
const NOT_TRANSCRIPTS = /(^|\/)(README|CHANGELOG|LICENSE)[^/]*$|(^|\/)[_.][^/]*$/i;

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
  let config = defaultConfig();
  let configFile: SourceFile | undefined;
  if (exists(root, 'verbatim.yaml')) {
    configFile = readSourceFile(root, 'verbatim.yaml');
    files.push(configFile);
    if (!configFile.fatal) config = parseConfig(configFile);
  }
  /** A missing path: on verbatim.yaml when it names the path, else on the path itself. */
  const missing = (key: 'codebook' | 'panel', p: string, what: string): void => {
    const at = options[key as 'codebook'] === undefined ? config.positions.get(key) : undefined;
    if (configFile && at) configFile.report('missing-file', `The ${what} \`${p}\` does not exist; fix the path in \`verbatim.yaml\`.`, at);
    else about(p).report('missing-file', `The ${what} \`${p}\` does not exist.`);
  };

  // The codebook: --codebook, then verbatim.yaml, then the one file of codebooks/.
  let codebook: Codebook | undefined;
  const codebookPath = options.codebook ?? config.codebook ?? findCodebook(root, about('codebooks/'));
  if (codebookPath !== undefined) {
    if (!exists(root, codebookPath)) {
      missing('codebook', codebookPath, 'codebook');
    } else {
      const file = readSourceFile(root, codebookPath);
      files.push(file);
      if (!file.fatal) codebook = parseCodebook(file);
    }
  }

  // The panel: YAML definitions and/or a CSV table.
  let panel: Panel | undefined;
  const panelPaths = config.panel ? [config.panel] : [`${config.corpus}/panel.yaml`, `${config.corpus}/panel.yml`, `${config.corpus}/panel.csv`].filter((p) => exists(root, p));
  for (const p of panelPaths) {
    if (!exists(root, p)) {
      missing('panel', p, 'panel');
      continue;
    }
    const file = readSourceFile(root, p);
    files.push(file);
    if (file.fatal) continue;
    panel = p.endsWith('.csv') ? (parsePanelCsv(file, panel) ?? panel) : (parsePanelYaml(file) ?? panel);
  }

  // Transcripts: listed here, read by readTranscripts (all at once) or one by one (streaming commands).
  let transcriptPaths: string[] = [];
  if (!exists(root, config.corpus)) {
    about(`${config.corpus}/`).report('no-transcripts', `The corpus folder \`${config.corpus}\` does not exist: create it and put one Markdown transcript per interview in it (\`verbatim init\` shows the format).`);
  } else {
    transcriptPaths = globSync('**/*.md', { cwd: path.resolve(root, config.corpus), onlyFiles: true })
      .map((n) => n.split(path.sep).join('/'))
      .filter((n) => !NOT_TRANSCRIPTS.test(n))
      .sort()
      .map((n) => `${config.corpus}/${n}`);
    if (transcriptPaths.length === 0) {
      about(`${config.corpus}/`).report('no-transcripts', `No transcript in \`${config.corpus}/\`: add one Markdown file per interview (\`verbatim init\` shows the format).`);
    }
  }

  // Report plans, and the reports generated from them.
  const plans: Plan[] = [];
  const outputs: SourceFile[] = [];
  if (exists(root, config.reports)) {
    for (const name of globSync('*.md', { cwd: path.resolve(root, config.reports), onlyFiles: true }).sort()) {
      outputs.push(readSourceFile(root, `${config.reports}/${name}`));
    }
    const names = globSync('*.plan.{yaml,yml}', { cwd: path.resolve(root, config.reports), onlyFiles: true }).sort();
    for (const name of names) {
      const file = readSourceFile(root, `${config.reports}/${name}`);
      files.push(file);
      if (file.fatal) continue;
      const plan = parsePlan(file);
      if (plan) plans.push(plan);
    }
  }

  const redact = [...config.redact, ...readLocalRedactions(root, files)];
  return { root, config, files, transcriptPaths, ...(codebook ? { codebook } : {}), ...(panel ? { panel } : {}), plans, outputs, redact };
}

/** Loads the project at `root` with every transcript read and parsed. Never throws on user mistakes. */
export function loadProject(root: string, options: LoadOptions = {}): Project {
  const frame = loadFrame(root, options);
  const transcripts: Transcript[] = [];
  frame.transcriptPaths.forEach((p, i) => {
    const { file, transcript } = readTranscript(frame, p);
    frame.files.push(file);
    if (transcript) transcripts.push(transcript);
    options.onProgress?.(i + 1, frame.transcriptPaths.length);
  });
  return { ...frame, transcripts };
}

/** Reads and parses one transcript of the frame (`path` relative to the project). */
export function readTranscript(frame: ProjectFrame, relative: string): { file: SourceFile; transcript?: Transcript } {
  const file = readSourceFile(frame.root, relative);
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

/**
 * `.verbatim/redact.txt`: one string per line, `#` comments. It is for names
 * that must not even be written in a committed file, so it lives in a folder
 * that `verbatim init` puts in `.gitignore`.
 */
function readLocalRedactions(root: string, files: SourceFile[]): string[] {
  const p = '.verbatim/redact.txt';
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
