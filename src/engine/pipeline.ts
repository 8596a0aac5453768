/**
 * The pipeline after loading: resolve respondents' attributes (front matter and
 * panel table), compile the matcher, code every transcript.
 */
import type { Matcher } from '../coding/matcher.js';
import { codeTranscript, type Coding, type StaleReject } from '../coding/code-transcript.js';
import { append } from '../core/arrays.js';
import { byPath, type SourceFile } from '../core/source-file.js';
import type { Language, Transcript } from '../project/model.js';
import type { Project } from './load-project.js';
import { matcherCache, matchersOf } from './stream.js';

/** A project with its codings. */
export interface CodedProject extends Project {
  /** One matcher per language used by the transcripts. */
  matchers: Map<Language, Matcher>;
  /** Every coding, by transcript in path order, then segment. */
  codings: Coding[];
  staleRejects: StaleReject[];
}

/** Options of {@link codeProject}. */
export interface CodeOptions {
  /** Only these transcript ids. */
  only?: readonly string[];
  onProgress?: (done: number, total: number) => void;
}

/** Resolves attributes, then codes the project. */
export function codeProject(project: Project, options: CodeOptions = {}): CodedProject {
  resolveAttributes(project);
  const matcherFor = matcherCache(project);
  const known = project.codebook ? new Set(project.codebook.codes.keys()) : new Set<string>();
  const codings: Coding[] = [];
  const staleRejects: StaleReject[] = [];
  const only = options.only && options.only.length > 0 ? new Set(options.only) : undefined;
  const selected = only ? project.transcripts.filter((t) => only.has(t.id)) : project.transcripts;
  selected.forEach((t, i) => {
    const result = codeTranscript(t, matcherFor(t.language), known);
    append(codings, result.codings);
    append(staleRejects, result.staleRejects);
    options.onProgress?.(i + 1, selected.length);
  });
  // The codebook's own language compiles even with no transcript, so that check sees keyword problems.
  matcherFor(project.codebook?.language ?? project.config.language);
  return { ...project, matchers: matchersOf(project), codings, staleRejects };
}

/**
 * Merges panel-table values into transcripts: a transcript's front matter wins
 * when it agrees; a disagreement is an `attribute-conflict`.
 */
export function resolveAttributes(project: Project): void {
  const panel = project.panel;
  if (!panel || panel.rows.length === 0) return;
  const byId = new Map<string, Transcript>(project.transcripts.map((t) => [t.id, t]));
  const files = byPath(project.files);
  // A transcript that could not be read has its own error, and its id is unknown: its row is not "without a transcript".
  const unread = project.transcriptPaths.some((p) => files.get(p)?.fatal === true);
  for (const row of panel.rows) {
    const t = byId.get(row.id);
    if (!t) {
      if (unread) continue;
      files.get(row.file)?.report('unknown-respondent', `The panel has a row for \`${row.id}\` but no transcript has that id.`, row.range);
      continue;
    }
    const file = files.get(t.file) as SourceFile;
    for (const [k, v] of Object.entries(row.values)) {
      const mine = t.attributes[k];
      if (mine === undefined) t.attributes[k] = v;
      else if (mine !== v) {
        file.report('attribute-conflict', `\`${k}\` is \`${mine}\` here but \`${v}\` in the panel table; keep one value.`, t.positions.get(`attributes.${k}`) ?? [0, 0]);
      }
    }
  }
}
