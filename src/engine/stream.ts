/**
 * Streaming over a corpus: transcripts are read, parsed, checked and coded one
 * at a time and then dropped, so that memory stays flat whatever the corpus
 * size. Used by the commands that can run on very large corpora (tag, search).
 */
import { checkTranscriptAttributes, checkTranscriptMarkers } from '../check/check-project.js';
import { codeTranscript, type TranscriptCoding } from '../coding/code-transcript.js';
import { compileMatcher, type Matcher } from '../coding/matcher.js';
import type { SourceFile } from '../core/source-file.js';
import type { Language, Transcript } from '../project/model.js';
import { readTranscript, type ProjectFrame } from './load-project.js';

/** One transcript of the stream. */
export interface StreamItem {
  /** 0-based position in the frame's transcript list. */
  index: number;
  file: SourceFile;
  transcript?: Transcript;
  coding?: TranscriptCoding;
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

const compiled = new WeakMap<ProjectFrame, Map<Language, Matcher>>();

/** The matchers compiled so far for a frame, by language. */
export function matchersOf(frame: ProjectFrame): Map<Language, Matcher> {
  let matchers = compiled.get(frame);
  if (!matchers) {
    matchers = new Map<Language, Matcher>();
    compiled.set(frame, matchers);
  }
  return matchers;
}

/** Compiles the matchers of a frame, once per language and per frame (streams come in batches). */
export function matcherCache(frame: ProjectFrame): (language: Language) => Matcher | undefined {
  const cache = matchersOf(frame);
  return (language) => {
    if (!frame.codebook) return undefined;
    let m = cache.get(language);
    if (!m) {
      m = compileMatcher(frame.codebook, language);
      cache.set(language, m);
    }
    return m;
  };
}

/** Yields the transcripts of a frame one by one, parsed, checked against codebook and panel, and coded. */
export function* streamCorpus(frame: ProjectFrame, options: StreamOptions = {}): Generator<StreamItem> {
  const matcherFor = matcherCache(frame);
  const known = frame.codebook ? new Set(frame.codebook.codes.keys()) : undefined;
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
    if (frame.codebook) checkTranscriptMarkers(transcript, file, frame.codebook);
    if (!frame.panelBroken) checkTranscriptAttributes(transcript, file, frame.panel, frame.config.corpus);
    const coding = options.code === false ? undefined : codeTranscript(transcript, matcherFor(transcript.language), known);
    yield { index, file, transcript, ...(coding ? { coding } : {}) };
  }
}
