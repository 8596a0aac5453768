/**
 * The pipeline on a project already loaded whole (`loadProject`): every
 * transcript goes through the same per-transcript stage as in
 * {@link codeCorpus} (engine/corpus.ts), which commands use.
 */
import { append } from '../core/arrays.js';
import { byPath, type SourceFile } from '../core/source-file.js';
import type { Transcript } from '../project/model.js';
import { TranscriptStage, type CodedCorpus } from './corpus.js';
import type { Project } from './load-project.js';
import { matchersOf } from './matchers.js';
import type { Coding } from '../coding/code-transcript.js';

/** A project with its codings, every transcript whole. */
export type CodedProject = CodedCorpus<Transcript>;

/** Options of {@link codeProject}. */
export interface CodeOptions {
  /** Only these transcript ids. */
  only?: readonly string[];
  onProgress?: (done: number, total: number) => void;
}

/** Resolves attributes, checks and codes every transcript of a loaded project. */
export function codeProject(project: Project, options: CodeOptions = {}): CodedProject {
  const stage = new TranscriptStage(project);
  const files = byPath(project.files);
  const codings: Coding[] = [];
  const rejections: CodedProject['rejections'] = [];
  const only = options.only && options.only.length > 0 ? new Set(options.only) : undefined;
  project.transcripts.forEach((t, i) => {
    const result = stage.run(files.get(t.file) as SourceFile, t, !only || only.has(t.id));
    append(codings, result.codings);
    for (const code of result.rejected) rejections.push({ transcript: t.id, code });
    options.onProgress?.(i + 1, project.transcripts.length);
  });
  // A transcript that could not be read has its own error, and its id is unknown: its row is not "without a transcript".
  stage.finish(project.transcriptPaths.some((p) => files.get(p)?.fatal === true));
  return { ...project, matchers: matchersOf(project), codings, rejections, facts: stage.facts };
}
