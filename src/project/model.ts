/** Types of the parsed project: what the parsers produce and everything downstream consumes. */

export type Language = 'fr' | 'en';
export type Role = 'interviewer' | 'respondent' | 'other';

/** A paragraph of a transcript body. */
export interface Paragraph {
  /** 0-based index among the transcript's paragraphs. */
  index: number;
  role: Role;
  /** The speaker label (`R`), undefined before the first speaker marker. */
  speaker?: string;
  /** 1-based number among the coded paragraphs (segments), when this paragraph is one. */
  segment?: number;
  /** Timestamp at the start of the paragraph, in seconds. */
  timestamp?: number;
  /** `[start, end)` of the paragraph's own words in the plain text (speaker marker and timestamp excluded). */
  start: number;
  end: number;
  /** `[start, end)` of the whole paragraph in the file, for diagnostics. */
  sourceStart: number;
  sourceEnd: number;
  /** The paragraph's words: `plain.slice(start, end)`. */
  text: string;
  /** Headings, rules and comments are kept for offsets but never coded. */
  kind: 'text' | 'heading' | 'comment';
}

/** A coding written by the researcher in the transcript. */
export interface ManualCoding {
  /** The full code id as written. */
  code: string;
  /**
   * `paragraph`: `{#code}`; `span`: `[words]{#code}` or `{>code}…{<code}`;
   * `reject`: `{!code}`.
   */
  kind: 'paragraph' | 'span' | 'reject';
  /** `[start, end)` in the plain text: the span, or the whole paragraph. */
  start: number;
  end: number;
  /** Indices of the paragraphs the coding covers (one, except for long spans). */
  paragraphs: number[];
  /** Where the marker is written in the file, for diagnostics. */
  marker: readonly [number, number];
}

/**
 * A transcript without its text: what every analysis knows of a respondent,
 * and what the pipeline keeps of each transcript once it is coded (the text
 * is read again only for the few excerpts a command prints).
 */
export interface Respondent {
  /** Path relative to the project root. */
  file: string;
  id: string;
  label: string;
  attributes: Record<string, string>;
  date?: string;
  language: Language;
  speakers: Record<string, Role>;
  /** Strings masked in every output. */
  redact: string[];
  /** Offset of the body (after the front matter) in the file. */
  bodyOffset: number;
  /** Where each front-matter value is, for diagnostics: `attributes.actor` → offsets. */
  positions: Map<string, readonly [number, number]>;
  /** Number of segments (coded paragraphs), numbered 1 to `segmentCount`. */
  segmentCount: number;
}

/** A parsed interview transcript. */
export interface Transcript extends Respondent {
  /** The body with coding markers removed: the text all offsets refer to. */
  plain: string;
  paragraphs: Paragraph[];
  /** The paragraphs that are coded (respondent ones, by default), numbered from 1. */
  segments: Paragraph[];
  codings: ManualCoding[];
  /** Maps an offset in `plain` to an offset in the file. */
  toSource(offset: number): number;
}

/** A code of the codebook. */
export interface Code {
  /** Full dotted id (`freins.etat`). */
  id: string;
  /** Local id (`etat`). */
  localId: string;
  label: string;
  definition?: string;
  include: string[];
  exclude: string[];
  examples: string[];
  keywords: string[];
  patterns: string[];
  unless: string[];
  synthesis?: string;
  memo?: string;
  color?: string;
  parent?: string;
  children: string[];
  /** 0 for top-level codes. */
  depth: number;
  /** Position in codebook order (depth first), for stable sorting. */
  order: number;
  /** Offsets of the code's `id` value in the codebook file. */
  range: readonly [number, number];
  /** Offsets of each keyword / pattern / unless entry, by index. */
  keywordRanges: (readonly [number, number])[];
  patternRanges: (readonly [number, number])[];
  unlessRanges: (readonly [number, number])[];
}

/** A parsed codebook. */
export interface Codebook {
  file: string;
  id: string;
  title: string;
  version?: string;
  language?: Language;
  description?: string;
  /** Every code, in codebook order (depth first). */
  codes: Map<string, Code>;
  /** Full ids of the top-level codes. */
  roots: string[];
}

/** A respondent attribute of the panel. */
export interface Attribute {
  id: string;
  label: string;
  description?: string;
  /** Allowed values in display order; empty for a free attribute. */
  values: { id: string; label: string }[];
  /** Offsets of the attribute's key in the panel file. */
  range: readonly [number, number];
}

/** A panel row: a respondent's values, when the panel gives them. */
export interface PanelRow {
  /** The panel file the row comes from. */
  file: string;
  id: string;
  values: Record<string, string>;
  /** Offsets of the row (or of each value) in the panel file. */
  range: readonly [number, number];
  valueRanges: Record<string, readonly [number, number]>;
}

/** The panel: attribute definitions and, optionally, a table of respondents. */
export interface Panel {
  file: string;
  attributes: Attribute[];
  rows: PanelRow[];
}

/** The kinds of report section, in the order the README lists them; each has its module in `report/sections/`. */
export const SECTION_KINDS = ['methodology', 'themes', 'matrix', 'cooc', 'saturation', 'profiles', 'text'] as const;

export type SectionKind = (typeof SECTION_KINDS)[number];

/** A section of a report plan. */
export interface PlanSection {
  kind: SectionKind;
  title?: string;
  text?: string;
  codes: string[];
  by: string[];
  unit?: 'respondents' | 'segments';
  verbatims?: number;
  chart?: boolean;
  origin?: 'all' | 'auto' | 'manual';
  /** Which codings the verbatims may quote (default: the plan's). */
  quotes?: QuotePolicy;
  /** Offsets of each entry of `codes` and `by`, for diagnostics. */
  codeRanges: (readonly [number, number])[];
  byRanges: (readonly [number, number])[];
  range: readonly [number, number];
}

/** A parsed report plan (`reports/<name>.plan.yaml`). */
export interface Plan {
  file: string;
  /** `restitution` for `reports/restitution.plan.yaml`. */
  name: string;
  title: string;
  subtitle?: string;
  author?: string;
  period?: string;
  language?: Language;
  /** The `output` key: where the report goes, relative to the project. */
  output?: string;
  /** Where the `output` value is written in the plan, for `invalid-output`. */
  outputRange?: readonly [number, number];
  verbatims: number;
  toc: boolean;
  /** Which codings the verbatims may quote: `reviewed` (coded by hand, or accepted), `all` (the default). */
  quotes?: QuotePolicy;
  /** What `verbatim report` writes without `--format` (`formats:`; default: Markdown only). */
  formats?: ReportFormat[];
  /** The look of the deck and the Word document (`theme:`): a font, colours as RRGGBB, a logo (a PNG or JPEG, relative to the project); unset ones take the default. */
  theme?: { font?: string; accent?: string; text?: string; muted?: string; logo?: string };
  /** Where the `theme.logo` value is written in the plan, for its diagnostics. */
  logoRange?: readonly [number, number];
  sections: PlanSection[];
}

/** The formats a report is written in. */
export const REPORT_FORMATS = ['md', 'pptx', 'docx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Which codings a report's verbatims may quote. */
export type QuotePolicy = 'reviewed' | 'all';

/** Severity override of a rule in verbatim.yaml. */
export type RuleSetting = 'off' | 'info' | 'warning' | 'error';

/** The project configuration (verbatim.yaml), with defaults applied. */
export interface Config {
  file?: string;
  language: Language;
  corpus: string;
  panel?: string;
  codebook?: string;
  reports: string;
  speakers: Record<string, Role>;
  codeInterviewer: boolean;
  redact: string[];
  rules: Record<string, RuleSetting>;
  /** Offsets of each top-level value in verbatim.yaml, for diagnostics about paths it names. */
  positions: Map<string, readonly [number, number]>;
}

export const DEFAULT_SPEAKERS: Readonly<Record<string, Role>> = Object.freeze({ Q: 'interviewer', R: 'respondent' });
