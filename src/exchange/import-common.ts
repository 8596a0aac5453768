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
  /** What the import added on its own (name parts put in `redact`), for the report. */
  info?: ImportNote[];
  /** Why the import yields no text, when it yields none: then nothing is written. */
  empty?: string;
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

/**
 * Where an import into an existing folder lists the files it is about to
 * write, relative to that folder. It is written before the first file and
 * removed after the last, so that an import cut short (killed, a full disk)
 * leaves a trace that every command loading the project reports
 * (`incomplete-import`) instead of a project that looks complete.
 */
export const IMPORT_MARKER = '.verbatim/import-incomplete.json';

/** What {@link IMPORT_MARKER} holds. */
export interface ImportMarker {
  /** The imported file, as an absolute path. */
  source: string;
  /** The files the import writes, relative to the project, `/`-separated. */
  files: string[];
}

/** The text of the marker file. */
export function importMarkerText(marker: ImportMarker): string {
  return `${JSON.stringify({ note: 'verbatim import did not finish writing these files; see `verbatim check`.', ...marker }, null, 2)}\n`;
}

/** Reads a marker file leniently: undefined when it is not one Verbatim wrote. */
export function readImportMarker(text: string): ImportMarker | undefined {
  try {
    const data = JSON.parse(text) as Partial<ImportMarker> | null;
    if (!data || typeof data.source !== 'string' || !Array.isArray(data.files)) return undefined;
    return { source: data.source, files: data.files.filter((f): f is string => typeof f === 'string') };
  } catch {
    return undefined;
  }
}

/** The file name of a path, whatever its separators. */
function baseName(p: string): string {
  return p.replace(/^.*[/\\]/, '');
}

/** What `check` says about a marker: what may be wrong, and the two ways out. */
export function incompleteImportMessage(marker: ImportMarker | undefined): string {
  const what = marker ? `The import of \`${baseName(marker.source)}\`` : 'An import';
  const files = marker && marker.files.length > 0 ? `: some of its ${plural(marker.files.length, 'file')} (listed in \`${IMPORT_MARKER}\`) may be missing or still hold their previous content` : '';
  const again = marker ? `Import \`${baseName(marker.source)}\` again with \`--force\`` : 'Run the import again with `--force`';
  return `${what} into this project did not finish${files}. ${again}, or delete \`${IMPORT_MARKER}\` once you have checked ${marker && marker.files.length > 0 ? 'them' : 'the project'}.`;
}
