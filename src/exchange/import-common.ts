/**
 * What every import produces: files to write (paths relative to the target
 * folder) and notes on what could not be carried over, for the report.
 */
import type { OffsetPolicy } from './offsets.js';

/** A file an import wants to write. */
export interface ImportedFile {
  /** Relative to the target folder, `/`-separated. */
  path: string;
  content: string;
  /** What the file is, for the printed summary (`codebook, 152 codes`). */
  summary: string;
}

/** One thing the import could not carry over (or changed on the way). */
export interface ImportNote {
  /** Stable kind, for scripts: `non-text-source`, `coding-dropped`, `coding-adjusted`… */
  kind: string;
  message: string;
  /** How many items the note is about, when it counts something. */
  count?: number;
}

/** Where one coding of the source landed (for the report and for tests). */
export interface Placement {
  /** Transcript id and file. */
  transcript: string;
  file: string;
  /** Normalised GUID of the REFI source the coding comes from. */
  source?: string;
  /** Full id of the code. */
  code: string;
  /** The selection in the producing tool's own unit, or undefined for a whole-source coding. */
  sourceStart?: number;
  sourceEnd?: number;
  /** Offsets in the imported transcript's plain text. */
  start: number;
  end: number;
  /** Normalised GUID of the user who coded, when the source says. */
  user?: string;
  adjusted?: string;
}

/** The outcome of an import, before anything is written. */
export interface ImportResult {
  kind: 'project' | 'codebook' | 'transcript';
  /** The producing tool (`origin`), when it says. */
  origin?: string;
  files: ImportedFile[];
  notes: ImportNote[];
  /** Figures for the summary line. */
  counts: { transcripts: number; codes: number; codings: number; adjusted: number; dropped: number };
  /** How selection offsets were read (REFI projects). */
  offsets?: OffsetPolicy;
  placements: Placement[];
}

/** `1 source` / `3 sources`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
