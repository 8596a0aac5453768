/**
 * The restitution as a PowerPoint deck (`pptxgenjs`), from the report
 * document (document.ts), laid out like the model restitution:
 *
 * - a title slide (title, subtitle, author, period);
 * - the plan (`toc`), numbered;
 * - a divider per titled section ("1." and its title);
 * - a slide per page, its title numbered "1/3" as in the Markdown, holding the
 *   page's text: sub-code headings, synthesis bullets, the quantified
 *   statement, verbatims in « » set apart, notes; a section's own text (its
 *   `text`, the method's facts) on a slide titled with the section;
 * - tables and bar charts as native, editable PowerPoint objects, each on a
 *   slide of its own under the page's title (a long table continues on the
 *   next slides);
 * - the addresses of the verbatims (`E01:3`, code) in the speaker notes, for
 *   the consultant: never on a slide.
 *
 * Every string of the document is masked already; the document properties
 * (title, author) are masked too. The same document gives the same bytes: the
 * zip's dates and the properties' dates are fixed ({@link FIXED_DATE}), and
 * the charts are numbered from 1 in each deck (pptxgenjs numbers them across
 * all decks made in one process).
 */
import Pptx from 'pptxgenjs';
import type { ImageInfo } from '../core/image.js';
import type { Block, Content, ReportDocument, SectionItem } from './document.js';
import { AUTHOR, FIXED_DATE, fixedPackage, isGeneratedPackage, packageNames, plain, spans } from './ooxml.js';
import { flow, pageTitle } from './pages.js';

// The package's types declare an ES module as CommonJS: at run time its default export is the class itself.
const PptxGenJS = Pptx as unknown as typeof Pptx.default;
type Presentation = InstanceType<typeof PptxGenJS>;
type Slide = Pptx.default.Slide;
type TextProps = Pptx.default.TextProps;
type TextOptions = Pptx.default.TextPropsOptions;
type TableCell = Pptx.default.TableCell;

export { FIXED_DATE };

/** The deck's look (`theme:` in a plan): a font and colours as RRGGBB, sober by default. */
export interface DeckTheme {
  font: string;
  /** Titles and dividers. */
  accent: string;
  text: string;
  /** Statements and notes. */
  muted: string;
  /** A logo (`theme.logo`, read by the caller): on the title slide, and small in a corner of every other slide. */
  logo?: Logo;
}

/** A logo's bytes and what its header says. */
export interface Logo {
  bytes: Uint8Array;
  info: ImageInfo;
}

/** A box of at most `w` × `h` with the logo's proportions. */
export function fitLogo(info: ImageInfo, w: number, h: number): { w: number; h: number } {
  const scale = Math.min(w / info.width, h / info.height);
  return { w: info.width * scale, h: info.height * scale };
}

export const DEFAULT_THEME: DeckTheme = { font: 'Calibri', accent: '1F3864', text: '222222', muted: '595959' };

type TextRun = TextProps;

/** Inline Markdown (`**bold**`, `*italic*`) as runs of one paragraph. */
function runs(markdown: string, base: TextOptions): TextRun[] {
  // The paragraph's own options (its bullet, level, spacing) on its first run only: pptxgenjs starts a paragraph at each run that has them.
  const { bullet, indentLevel, paraSpaceBefore, paraSpaceAfter, ...character } = base;
  const first: TextOptions = { ...(bullet !== undefined ? { bullet } : {}), ...(indentLevel !== undefined ? { indentLevel } : {}), ...(paraSpaceBefore !== undefined ? { paraSpaceBefore } : {}), ...(paraSpaceAfter !== undefined ? { paraSpaceAfter } : {}) };
  return spans(markdown).map((s, i) => ({ text: s.text, options: { ...character, ...(i === 0 ? first : {}), ...(s.bold ? { bold: true } : {}) } }));
}

/** Ends a paragraph: pptxgenjs starts a new one after a run with `breakLine`. */
function paragraph(items: TextRun[]): TextRun[] {
  if (items.length > 0) {
    const last = items[items.length - 1] as TextRun;
    last.options = { ...last.options, breakLine: true };
  }
  return items;
}

/** The text of a content, as paragraphs of runs; tables and charts are placed apart (undefined). */
function contentRuns(c: Content, theme: DeckTheme): TextRun[] | undefined {
  const body: TextOptions = { color: theme.text, fontSize: 14 };
  switch (c.kind) {
    case 'markdown':
      return c.markdown
        .split('\n')
        .filter((l) => l.trim() !== '')
        .flatMap((line) => {
          const bullet = /^(\s*)[-*+]\s+(.*)$/u.exec(line);
          const heading = /^#{1,6}\s+(.*)$/u.exec(line);
          if (bullet) return paragraph(runs(bullet[2] as string, { ...body, bullet: { indent: 15 }, indentLevel: (bullet[1] as string).length > 0 ? 1 : 0 }));
          if (heading) return paragraph(runs(heading[1] as string, { ...body, bold: true }));
          return paragraph(runs(line.replace(/^>\s?/u, ''), body));
        });
    case 'bullets':
      return c.items.flatMap((item) => {
        const [first, ...subs] = item.split('\n');
        return [
          ...paragraph(runs(first ?? '', { ...body, bullet: { indent: 15 } })),
          ...subs.flatMap((s) => paragraph(runs(s.replace(/^\s*[-*+]\s+/u, ''), { ...body, fontSize: 12, bullet: { indent: 15 }, indentLevel: 1 }))),
        ];
      });
    case 'statement':
      return paragraph(runs(c.text, { ...body, italic: true, color: theme.muted, paraSpaceBefore: 4, paraSpaceAfter: 4 }));
    case 'note':
      return paragraph(runs(c.text, { ...body, italic: true, color: theme.muted, fontSize: 10 }));
    case 'verbatim':
      return paragraph(runs(c.text, { ...body, italic: true, fontSize: 13, indentLevel: 1, paraSpaceBefore: 6 }));
    case 'group':
      return [
        ...paragraph(runs(c.title, { ...body, bold: true })),
        ...(c.items.length > 0 ? c.items.flatMap((i) => paragraph(runs(i, { ...body, fontSize: 12, bullet: { indent: 15 } }))) : paragraph(runs(c.none, body))),
      ];
    case 'table':
    case 'chart':
      return undefined;
  }
}

/** Where the body of a slide starts, and how tall it is, in inches (under the title, above the foot). */
const BODY_Y = 1.1;
/** The body's height in points, less the text box's insets. */
const BODY_HEIGHT = 4.25 * 72 - 2 * 3.6;
/** The body's width in points, less the insets. */
const BODY_WIDTH = 9 * 72 - 2 * 7.2;
/**
 * The mean advance of a character, as a share of the font size: 0.5 for the
 * sober sans-serif fonts of a deck (Calibri measures about 0.47 on French
 * prose, Arial 0.5), rounded up so that a cut page is never too full.
 */
const CHAR_WIDTH = 0.52;

/** The height (inches) left to a table or chart with a note under it. */
const CAPTIONED_HEIGHT = 3.7;

/**
 * A table's height in points as pptxgenjs lays it out at 10 pt across the
 * body's width: each row as tall as its cell of most lines, columns equal.
 */
export function tableHeight(t: Extract<Content, { kind: 'table' }>): number {
  const width = BODY_WIDTH / Math.max(1, t.head.length) - 2 * 7.2;
  const perLine = Math.max(1, Math.floor((0.9 * width) / (CHAR_WIDTH * 10)));
  const row = (cells: readonly string[]): number => Math.max(1, ...cells.map((c) => Math.ceil([...plain(c.replace(/\*\*/gu, ''))].length / perLine))) * 12 + 2 * 3.6;
  return [t.head, ...t.rows].reduce((h, r) => h + row(r), 0);
}

/** Runs cut into paragraphs (pptxgenjs ends one after a run with `breakLine`). */
function paragraphsOf(items: readonly TextRun[]): TextRun[][] {
  const out: TextRun[][] = [];
  let current: TextRun[] = [];
  for (const r of items) {
    current.push(r);
    if (r.options?.breakLine) {
      out.push(current);
      current = [];
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * Runs cut between the items of a list: a paragraph of a deeper level (a
 * sub-item) stays with the one before it.
 */
function itemsOf(items: readonly TextRun[]): TextRun[][] {
  const out: TextRun[][] = [];
  for (const p of paragraphsOf(items)) {
    const previous = out[out.length - 1];
    if (previous && (p[0]?.options?.indentLevel ?? 0) > 0) previous.push(...p);
    else out.push(p);
  }
  return out;
}

/**
 * The height in points of paragraphs of runs in the slide's body: each
 * paragraph's characters over the characters a line holds at its size (less
 * its bullet's or its level's indent), lines of 1.2 times the size, plus the
 * space around it. Words wrap, so a line holds 90 % of what fits.
 */
export function textHeight(items: readonly TextRun[]): number {
  let total = 0;
  for (const p of paragraphsOf(items)) {
    const size = Math.max(...p.map((r) => r.options?.fontSize ?? 14));
    const o = p[0]?.options ?? {};
    const indent = (o.bullet ? 15 + 10 : 0) + (o.indentLevel ?? 0) * 27;
    const perLine = Math.max(1, Math.floor((0.9 * (BODY_WIDTH - indent)) / (CHAR_WIDTH * size)));
    const chars = p.reduce((n, r) => n + [...(r.text ?? '')].length, 0);
    total += Math.max(1, Math.ceil(chars / perLine)) * size * 1.2 + (o.paraSpaceBefore ?? 0) + (o.paraSpaceAfter ?? 0);
  }
  return total;
}

/** True when the bytes are a deck Verbatim wrote (its document properties name it as author). */
export const isGeneratedDeck = isGeneratedPackage;

/** The master of every slide but the title slide. */
const MASTER = 'VERBATIM';

/** Builds the deck. */
class Deck {
  readonly pptx: Presentation = new PptxGenJS();
  /** Added to a heading repeated where its block continues. */
  continued = '(suite)';

  constructor(
    readonly theme: DeckTheme,
    readonly mask: (s: string) => string,
  ) {
    this.pptx.layout = 'LAYOUT_16x9';
    this.pptx.author = AUTHOR;
    this.pptx.company = '';
    this.pptx.theme = { headFontFace: theme.font, bodyFontFace: theme.font };
  }

  #title(slide: Slide, text: string): void {
    // A long title shrinks rather than run into the body.
    slide.addText(runs(this.mask(text), { color: this.theme.accent, fontSize: 22, bold: true, fontFace: this.theme.font }), { x: 0.5, y: 0.2, w: 9, h: 0.85, valign: 'middle', fit: 'shrink' });
  }

  /** The logo as an image at most `w` × `h` inches, its right edge at `right` and its top at `y`. */
  #logoImage(w: number, h: number, right: number, y: number): Pptx.default.ImageProps | undefined {
    const logo = this.theme.logo;
    if (!logo) return undefined;
    const box = fitLogo(logo.info, w, h);
    const mime = logo.info.type === 'png' ? 'image/png' : 'image/jpeg';
    return { data: `${mime};base64,${Buffer.from(logo.bytes).toString('base64')}`, x: right - box.w, y, w: box.w, h: box.h };
  }

  /**
   * A slide: the title slide on its own, every other one on the deck's master,
   * which holds the logo small in the bottom-right corner, under the body
   * (once in the file, however many slides).
   */
  #slide(): Slide {
    if (!this.#mastered) {
      const corner = this.#logoImage(1.2, 0.22, 9.7, 5.36);
      this.pptx.defineSlideMaster({ title: MASTER, objects: corner ? [{ image: corner }] : [] });
      this.#mastered = true;
    }
    return this.pptx.addSlide({ masterName: MASTER });
  }

  #mastered = false;

  titleSlide(doc: ReportDocument): void {
    const slide = this.pptx.addSlide();
    const logo = this.#logoImage(2.4, 0.9, 9.4, 0.35);
    if (logo) slide.addImage(logo);
    slide.addText(runs(this.mask(doc.title), { color: this.theme.accent, fontSize: 30, bold: true, fontFace: this.theme.font }), { x: 0.6, y: 1.3, w: 8.8, h: 1.4, valign: 'bottom', fit: 'shrink' });
    const lines = [doc.subtitle, doc.author, doc.period].filter((l): l is string => l !== undefined);
    if (lines.length > 0) {
      slide.addText(
        lines.flatMap((l) => paragraph(runs(this.mask(l), { color: this.theme.muted, fontSize: 16, fontFace: this.theme.font }))),
        { x: 0.6, y: 2.9, w: 8.8, h: 1.5, valign: 'top' },
      );
    }
  }

  planSlide(title: string, items: readonly string[]): void {
    const slide = this.#slide();
    this.#title(slide, title);
    slide.addText(
      items.flatMap((t, i) => paragraph(runs(this.mask(`${i + 1}. ${t}`), { color: this.theme.text, fontSize: 16, fontFace: this.theme.font, paraSpaceAfter: 6 }))),
      { x: 0.8, y: 1.2, w: 8.4, h: 4, valign: 'top', fit: 'shrink' },
    );
  }

  divider(number: number, title: string): void {
    const slide = this.#slide();
    slide.background = { color: this.theme.accent };
    slide.addText(`${number}.`, { x: 0.6, y: 1.2, w: 8.8, h: 1.2, fontSize: 54, bold: true, color: 'FFFFFF', fontFace: this.theme.font });
    slide.addText(runs(this.mask(title), { fontSize: 28, color: 'FFFFFF', fontFace: this.theme.font }), { x: 0.6, y: 2.5, w: 8.8, h: 1.6, valign: 'top', fit: 'shrink' });
  }

  /**
   * A title's blocks as slides cut by measured lines ({@link textHeight}): as
   * many paragraphs as the body holds at their size, a sub-code's heading kept
   * with what follows it, a table or chart on a slide of its own, in reading
   * order; the slides numbered "1/3, 2/3, 3/3" when there are several. The
   * verbatims' addresses go in the notes of the slide that quotes them.
   */
  titled(title: string, blocks: readonly Block[]): void {
    // `heading`: the block's heading, repeated "(suite)" atop a slide where the block continues.
    type Text = { kind: 'text'; runs: TextRun[]; notes: string[]; heading?: TextRun[] | undefined };
    type Apart = { kind: 'apart'; content: Content; caption?: TextRun[] };
    const units: (Text | Apart)[] = [];
    let glued: TextRun[] = [];
    for (const block of blocks) {
      const head = (text: string): TextRun[] => paragraph(runs(text, { color: this.theme.accent, fontSize: 15, bold: true, paraSpaceBefore: 6 }));
      const heading = block.heading ? head(this.mask(`${block.heading.text} ${this.continued}`)) : undefined;
      let first = true;
      const text = (r: TextRun[], notes: string[]): void => {
        units.push({ kind: 'text', runs: r, notes, ...(first ? {} : { heading }) });
        first = false;
      };
      if (block.heading) glued = head(this.mask(block.heading.text));
      for (const p of block.parts) {
        const r = contentRuns(p.content, this.theme);
        if (r === undefined) {
          if (glued.length > 0) text(glued, []);
          glued = [];
          units.push({ kind: 'apart', content: p.content });
          first = false;
          continue;
        }
        const masked = r.map((x) => ({ ...x, text: this.mask(x.text ?? '') }));
        // The note under a chart, or a table short enough to leave room, goes under it on its slide.
        const last = units[units.length - 1];
        if (p.content.kind === 'note' && glued.length === 0 && last?.kind === 'apart' && last.caption === undefined && (last.content.kind === 'chart' || (last.content.kind === 'table' && tableHeight(last.content) <= CAPTIONED_HEIGHT * 72))) {
          last.caption = masked;
          continue;
        }
        const notes = p.content.kind === 'verbatim' ? [this.mask(`${p.content.source.transcript}:${p.content.source.segment} (${p.content.source.code})`)] : [];
        // A list is cut between its items, never inside one, and an item keeps its sub-items.
        const pieces = p.content.kind === 'bullets' || p.content.kind === 'markdown' ? itemsOf(masked) : [masked];
        for (const [i, piece] of pieces.entries()) {
          text([...glued, ...piece], i === pieces.length - 1 ? notes : []);
          glued = [];
        }
      }
      if (glued.length > 0) text(glued, []);
      glued = [];
    }
    const slides: (Text | Apart)[] = [];
    let current: Text | undefined;
    let height = 0;
    for (const u of units) {
      if (u.kind === 'apart') {
        current = undefined;
        slides.push(u);
        continue;
      }
      const h = textHeight(u.runs);
      if (current === undefined || (current.runs.length > 0 && height + h > BODY_HEIGHT)) {
        current = { kind: 'text', runs: [...(u.heading ?? [])], notes: [] };
        slides.push(current);
        height = u.heading ? textHeight(u.heading) : 0;
      }
      current.runs.push(...u.runs);
      current.notes.push(...u.notes);
      height += h;
    }
    for (const [i, slide] of slides.entries()) {
      const numbered = pageTitle(title, i, slides.length);
      if (slide.kind === 'text') this.#textSlide(numbered, slide.runs, slide.notes);
      else this.#apart(numbered, slide.content, slide.caption);
    }
  }

  /** A section's own contents (its text, the method's facts) on slides titled with the section. */
  contents(title: string, contents: readonly Content[]): void {
    this.titled(title, [{ parts: contents.map((content) => ({ content, words: 0 })) }]);
  }

  #textSlide(title: string, text: TextRun[], notes: readonly string[]): void {
    if (text.length === 0 && notes.length === 0) return;
    const slide = this.#slide();
    this.#title(slide, title);
    // The text is cut to fit (titled); shrinking on overflow stays as a guard where a reader honours it.
    if (text.length > 0) slide.addText(text, { x: 0.5, y: BODY_Y, w: 9, h: 4.25, valign: 'top', fontFace: this.theme.font, fit: 'shrink' });
    if (notes.length > 0) slide.addNotes(notes.join('\n'));
  }

  #apart(title: string, c: Content, caption?: TextRun[]): void {
    const slide = this.#slide();
    this.#title(slide, title);
    if (caption) slide.addText(caption, { x: 0.5, y: 1.05 + CAPTIONED_HEIGHT + 0.1, w: 9, h: 0.5, valign: 'top', fontFace: this.theme.font, fit: 'shrink' });
    if (c.kind === 'table') {
      const cell = (s: string, header: boolean, right: boolean): TableCell => ({
        text: plain(this.mask(s).replace(/\*\*/gu, '')),
        options: { bold: header || s.startsWith('**'), fontSize: 10, color: this.theme.text, align: right ? 'right' : 'left', ...(header ? { fill: { color: 'E7E6E6' } } : {}) },
      });
      const rows = [c.head.map((h, i) => cell(h, true, c.align[i] === 'r')), ...c.rows.map((r) => r.map((s, i) => cell(s, false, c.align[i] === 'r')))];
      slide.addTable(rows, { x: 0.5, y: 1.05, w: 9, fontFace: this.theme.font, border: { type: 'solid', pt: 0.5, color: 'BFBFBF' }, autoPage: true, autoPageRepeatHeader: true, autoPageSlideStartY: 1.05 });
    } else if (c.kind === 'chart') {
      const chart = c.chart;
      const labels = chart.labels.map((l) => this.mask(l));
      const bars = [{ name: this.mask(plain(chart.names?.bars ?? chart.axis)), labels, values: [...chart.values] }];
      // A line over the bars (saturation's codes so far): a combined chart on the same axes, with a legend.
      const types: Pptx.default.IChartMulti[] | undefined = chart.line
        ? [
            { type: this.pptx.ChartType.bar, data: bars, options: { barDir: 'col', chartColors: [this.theme.accent] } },
            { type: this.pptx.ChartType.line, data: [{ name: this.mask(plain(chart.names?.line ?? '')), labels, values: [...chart.line] }], options: { chartColors: [this.theme.muted], lineDataSymbol: 'circle', lineSize: 2 } },
          ]
        : undefined;
      const options: Pptx.default.IChartOpts = {
        ...(types ? { showLegend: true, legendPos: 'b' } : {}),
        x: 0.5,
        y: 1.05,
        w: 9,
        h: caption ? CAPTIONED_HEIGHT : 4.3,
        barDir: 'col',
        chartColors: [this.theme.accent],
        showValue: true,
        ...(chart.title ? { showTitle: true, title: this.mask(chart.title), titleFontSize: 14 } : {}),
        ...(chart.max !== undefined ? { valAxisMaxVal: chart.max, valAxisMinVal: 0 } : {}),
        valAxisTitle: this.mask(chart.axis),
        showValAxisTitle: true,
        catAxisLabelFontSize: 10,
        fontFace: this.theme.font,
      };
      // For several types pptxgenjs takes the options from its second argument when there is one (even `[]`): none is given.
      if (types) slide.addChart(types, undefined as unknown as [], options);
      else slide.addChart(this.pptx.ChartType.bar, bars, options);
    }
  }
}

/** A section's items as slides: its own contents together, each title's pages one slide each. */
function sectionSlides(deck: Deck, title: string | undefined, items: readonly SectionItem[], fallback: string): void {
  let pending: Content[] = [];
  const flush = (): void => {
    if (pending.length > 0) deck.contents(title ?? fallback, pending);
    pending = [];
  };
  for (const item of items) {
    if (item.kind === 'content') {
      pending.push(item.content);
      continue;
    }
    flush();
    deck.titled(item.title, flow(item.pages));
  }
  flush();
}

/**
 * The deck of a report document, as the bytes of a `.pptx`.
 *
 * @param doc
 *   The document (`buildReport(…).document`).
 * @param mask
 *   Masks redacted strings (every string is masked already: a last guard).
 */
export async function renderPptx(doc: ReportDocument, mask: (s: string) => string, theme: DeckTheme = DEFAULT_THEME): Promise<Uint8Array> {
  const deck = new Deck(theme, mask);
  deck.continued = doc.continued;
  deck.pptx.title = mask(plain(doc.title.replace(/\*\*/gu, '')));
  deck.pptx.subject = doc.subtitle ? mask(plain(doc.subtitle.replace(/\*\*/gu, ''))) : '';
  deck.titleSlide(doc);
  if (doc.toc && doc.toc.items.length > 0) deck.planSlide(doc.toc.title, doc.toc.items);
  for (const section of doc.sections) {
    if (section.number !== undefined && section.title !== undefined) deck.divider(section.number, section.title);
    sectionSlides(deck, section.title, section.items, doc.title);
  }
  const bytes = (await deck.pptx.write({ outputType: 'nodebuffer', compression: true })) as Buffer;
  return await fixed(bytes);
}

/** The deck with fixed dates and its charts (and their workbooks) numbered from 1, in the order pptxgenjs wrote them. */
async function fixed(bytes: Uint8Array): Promise<Uint8Array> {
  const ids = [...new Set((await packageNames(bytes)).map((n) => /^ppt\/charts\/chart(\d+)\.xml$/u.exec(n)?.[1]).filter((x): x is string => x !== undefined))].sort((a, b) => Number(a) - Number(b));
  const renumber = new Map(ids.map((id, i) => [id, String(i + 1)]));
  return await fixedPackage(
    bytes,
    (s) => s.replace(/chart(\d+)\.xml/gu, (m, id: string) => `chart${renumber.get(id) ?? id}.xml`).replace(/Worksheet(\d+)\.xlsx/gu, (m, id: string) => `Worksheet${renumber.get(id) ?? id}.xlsx`),
    (name, xml) => {
      if (/^ppt\/(?:slides|notesSlides)\/[^/]+\.xml$/u.test(name)) return oneParagraphProperties(xml);
      // A chart's workbook: pptxgenjs writes a value of 0 as an empty cell, which "Edit data" would show (and redraw) as a gap.
      if (/^xl\/worksheets\/sheet\d+\.xml$/u.test(name)) return xml.replace(/<c r="([A-Z]+\d+)"><v><\/v><\/c>/gu, '<c r="$1"><v>0</v></c>');
      return xml;
    },
  );
}

/**
 * Each paragraph with one `<a:pPr>`, its first child, as the schema wants:
 * pptxgenjs writes one before every run, so a paragraph of a bold run and a
 * plain one had two, and LibreOffice took the second (no bullet) for the
 * paragraph. The first run's (which carries the bullet, runs()) is kept.
 */
export function oneParagraphProperties(xml: string): string {
  return xml.replace(/<a:p>(.*?)<\/a:p>/gsu, (whole, inner: string) => {
    let first: string | undefined;
    const rest = inner.replace(/<a:pPr\b[^>]*?(?:\/>|>.*?<\/a:pPr>)/gsu, (pPr) => {
      first ??= pPr;
      return '';
    });
    return `<a:p>${first ?? ''}${rest}</a:p>`;
  });
}
