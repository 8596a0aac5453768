/**
 * Streaming over a corpus: transcripts are read, parsed, checked and coded one
 * at a time and then dropped, so that memory stays flat whatever the corpus
 * size. Used by the commands that can run on very large corpora (tag, search).
 */
import type { Coding } from '../coding/code-transcript.js';
import type { SourceFile } from '../core/source-file.js';
import type { Transcript } from '../project/model.js';
import { TranscriptStage } from './corpus.js';
import { readTranscript, type ProjectFrame } from './load-project.js';

/** One stage per frame: a frame is streamed in batches (one call per transcript or per worker batch). */
const stages = new WeakMap<ProjectFrame, TranscriptStage>();

/** One transcript of the stream. */
export interface StreamItem {
  /** 0-based position in the frame's transcript list. */
  index: number;
  file: SourceFile;
  transcript?: Transcript;
  /** Its codings (unless the stream does not code). */
  codings?: Coding[];
}

/** Options of {@link streamCorpus}. */
export interface StreamOptions {
  /** Code each transcript (default true). */
  code?: boolean;
  /** Only the transcripts with these ids. */
  only?: readonly string[];
  /** Only `paths[from, to)` of the frame's transcript list (for workers). */
  from?: number;
  to?: number;
}

/** Yields the transcripts of a frame one by one, parsed, checked against codebook and panel, and coded. */
export function* streamCorpus(frame: ProjectFrame, options: StreamOptions = {}): Generator<StreamItem> {
  let stage = stages.get(frame);
  if (!stage) {
    stage = new TranscriptStage(frame, { facts: false });
    stages.set(frame, stage);
  }
  const only = options.only && options.only.length > 0 ? new Set(options.only) : undefined;
  const from = options.from ?? 0;
  const to = options.to ?? frame.transcriptPaths.length;
  for (let index = from; index < to; index++) {
    const { file, transcript } = readTranscript(frame, frame.transcriptPaths[index] as string);
    if (transcript && only && !only.has(transcript.id)) continue;
    if (!transcript) {
      yield { index, file };
      continue;
    }
    const { codings } = stage.run(file, transcript, options.code !== false);
    yield { index, file, transcript, ...(options.code === false ? {} : { codings }) };
  }
}
