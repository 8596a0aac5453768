/**
 * The report as a format-neutral document: the plan renders once into it, and
 * each output format renders the document (`render-markdown.ts` today).
 *
 * ```
 * ReportDocument   marker, title, subtitle, author, period, the plan (toc), sections
 *   DocSection     its number and title (a `text` section may have neither), its items
 *     SectionItem  content on its own (a section's text, a table…), or pages under a title
 *       Block      a heading (a sub-code's label) and parts, kept whole on a page
 *         Part     one Content, counted in words for the page budget
 * ```
 *
 * Every string is typeset and masked already, as inline Markdown (`**bold**`,
 * `*italic*`, escapes): the renderers never see a redacted string.
 */
import type { SectionKind } from '../project/model.js';
import type { BarChart } from './mermaid.js';
import type { Verbatim } from './verbatims.js';

/** What a part of a page holds. */
export type Content =
  /** A block of the analyst's Markdown (a section's `text`), or a line of it. */
  | { kind: 'markdown'; markdown: string }
  /** A bullet list; an item may hold its own sub-list as Markdown lines (`…\n  - sub`). */
  | { kind: 'bullets'; items: readonly string[] }
  /** The quantified statement under a code's synthesis. */
  | { kind: 'statement'; text: string }
  /** A note under a table or chart: what it counts, the rule applied. */
  | { kind: 'note'; text: string }
  /** A verbatim: its text between quote marks, and where it comes from (never printed in the report itself). */
  | { kind: 'verbatim'; text: string; source: Verbatim }
  | { kind: 'table'; head: readonly string[]; rows: readonly (readonly string[])[]; align: readonly ('l' | 'r')[] }
  | { kind: 'chart'; chart: BarChart }
  /** A group of respondents and what sets it apart (`profiles`): its title, then its items or, without any, `none`. */
  | { kind: 'group'; title: string; items: readonly string[]; none: string };

/** A part of a page: one content, and its words (for the page budget). */
export interface Part {
  content: Content;
  words: number;
}

/** A heading inside a page (a sub-code's label): its Markdown level (4 to 6) and text. */
export interface Heading {
  level: number;
  text: string;
}

/** A unit of a page: an optional heading and its parts. */
export interface Block {
  heading?: Heading;
  parts: Part[];
}

/** What a section holds, in order. */
export type SectionItem =
  | { kind: 'content'; content: Content }
  /** Pages under one title, numbered "1/3, 2/3, 3/3" when there are several. */
  | { kind: 'pages'; title: string; pages: readonly (readonly Block[])[] };

export interface DocSection {
  kind: SectionKind;
  /** Its number in the plan, for a titled section. */
  number?: number;
  title?: string;
  items: SectionItem[];
}

export interface ReportDocument {
  /** The first line of the Markdown, that says it is generated (see generated.ts). */
  marker: string;
  title: string;
  subtitle?: string;
  author?: string;
  period?: string;
  /** The plan of the restitution: its title and the numbered section titles (absent with `toc: false`). */
  toc?: { title: string; items: string[] };
  /** What follows a heading repeated where its block continues ("(suite)", "(continued)"). */
  continued: string;
  sections: DocSection[];
}

/** Content as an item of a section. */
export const content = (c: Content): SectionItem => ({ kind: 'content', content: c });

/** A block of the analyst's Markdown as an item. */
export const markdownItem = (markdown: string): SectionItem => content({ kind: 'markdown', markdown });
