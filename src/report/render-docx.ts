/**
 * The restitution as a Word document (`docx`), from the report document
 * (document.ts):
 *
 * - the title, subtitle, author and period in the `Title` and `Subtitle`
 *   styles, then the plan (`toc`), numbered;
 * - a `Heading 1` per titled section ("1. Les freins"), each starting a new
 *   page; a `Heading 2` per page title, a `Heading 3` per sub-code: real
 *   heading styles, so Word's navigation pane and a table of contents work.
 *   A title's pages ("1/3", "2/3" on the slides) flow as one text here, and a
 *   block cut across two pages is joined again;
 * - synthesis bullets as a real bullet list, the quantified statement in the
 *   `Statement` style, verbatims in « » in the `Quote` style, notes in the
 *   `Note` style;
 * - tables as native Word tables (the header row repeats across pages) and
 *   bar charts as native, editable Word charts (render-chart.ts);
 * - the verbatims' addresses nowhere: they are in `<name>.sources.tsv`.
 *
 * Every string of the document is masked already; the document properties
 * are masked too. The same document gives the same bytes (ooxml.ts).
 */
import { AlignmentType, Document, HeadingLevel, ImageRun, LevelFormat, Packer, Paragraph, ShadingType, Table, TableCell, TableRow, TextRun, WidthType, type IParagraphOptions } from 'docx';
import type { Block, Content, ReportDocument, SectionItem } from './document.js';
import { AUTHOR, fixedPackage, isGeneratedPackage, plainText, spans } from './ooxml.js';
import { flow } from './pages.js';
import { chartParagraphXml, chartPart, chartRels, chartWorkbook, CHART_CONTENT_TYPE, CHART_RELATIONSHIP, XLSX_CONTENT_TYPE, type ChartLook } from './render-chart.js';
import { fitLogo, type DeckTheme } from './render-pptx.js';

/** True when the bytes are a Word document Verbatim wrote (its document properties name it as author). */
export const isGeneratedDocument = isGeneratedPackage;

/** Half-points (Word's font sizes). */
const pt = (n: number): number => n * 2;

const BULLETS = 'bullets';

/** Inline Markdown as Word runs. */
function runs(markdown: string, mask: (s: string) => string, extra: { italics?: boolean } = {}): TextRun[] {
  return spans(mask(markdown)).map((s) => new TextRun({ text: s.text, ...(s.bold ? { bold: true } : {}), ...extra }));
}

/** Builds the body of the document, and the charts it places (as markers replaced once packed). */
class Body {
  readonly children: (Paragraph | Table)[] = [];
  readonly charts: Extract<Content, { kind: 'chart' }>['chart'][] = [];

  constructor(readonly mask: (s: string) => string) {}

  paragraph(markdown: string, options: IParagraphOptions = {}, extra: { italics?: boolean } = {}): void {
    this.children.push(new Paragraph({ ...options, children: runs(markdown, this.mask, extra) }));
  }

  content(c: Content): void {
    switch (c.kind) {
      case 'markdown':
        for (const line of c.markdown.split('\n')) {
          if (line.trim() === '') continue;
          const bullet = /^(\s*)[-*+]\s+(.*)$/u.exec(line);
          const heading = /^#{1,6}\s+(.*)$/u.exec(line);
          if (bullet) this.paragraph(bullet[2] as string, { numbering: { reference: BULLETS, level: (bullet[1] as string).length > 0 ? 1 : 0 } });
          else if (heading) this.paragraph(`**${heading[1] as string}**`);
          else if (line.startsWith('>')) this.paragraph(line.replace(/^>\s?/u, ''), { style: 'Quote' });
          else this.paragraph(line);
        }
        return;
      case 'bullets':
        for (const item of c.items) {
          const [first, ...subs] = item.split('\n');
          this.paragraph(first ?? '', { numbering: { reference: BULLETS, level: 0 } });
          for (const s of subs) this.paragraph(s.replace(/^\s*[-*+]\s+/u, ''), { numbering: { reference: BULLETS, level: 1 } });
        }
        return;
      case 'statement':
        this.paragraph(c.text, { style: 'Statement' });
        return;
      case 'note':
        this.paragraph(c.text, { style: 'Note' });
        return;
      case 'verbatim':
        this.paragraph(c.text, { style: 'Quote' });
        return;
      case 'group':
        this.paragraph(`**${c.title}**`);
        if (c.items.length === 0) this.paragraph(c.none);
        for (const i of c.items) this.paragraph(i, { numbering: { reference: BULLETS, level: 0 } });
        return;
      case 'table':
        this.table(c);
        return;
      case 'chart':
        // A marker paragraph, replaced by the chart's drawing once the package is made.
        this.charts.push(c.chart);
        this.children.push(new Paragraph({ children: [new TextRun(chartMarker(this.charts.length))] }));
        return;
    }
  }

  table(c: Extract<Content, { kind: 'table' }>): void {
    const cell = (s: string, header: boolean, right: boolean): TableCell =>
      new TableCell({
        children: [new Paragraph({ alignment: right ? AlignmentType.RIGHT : AlignmentType.LEFT, children: [new TextRun({ text: plainText(this.mask(s)), bold: header || s.startsWith('**'), size: pt(9) })] })],
        ...(header ? { shading: { type: ShadingType.CLEAR, fill: 'E7E6E6', color: 'auto' } } : {}),
      });
    const rows = [
      new TableRow({ tableHeader: true, cantSplit: true, children: c.head.map((h, i) => cell(h, true, c.align[i] === 'r')) }),
      ...c.rows.map((r) => new TableRow({ cantSplit: true, children: r.map((s, i) => cell(s, false, c.align[i] === 'r')) })),
    ];
    this.children.push(new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } }));
    // A table is followed by a paragraph (Word joins two tables that touch).
    this.children.push(new Paragraph({}));
  }

  /** A title's pages as one text: a block cut across two pages is joined again (its heading is not repeated). */
  pages(title: string, pages: readonly (readonly Block[])[]): void {
    this.paragraph(title, { heading: HeadingLevel.HEADING_2 });
    for (const block of flow(pages)) {
      if (block.heading) this.paragraph(block.heading.text, { heading: HeadingLevel.HEADING_3 });
      for (const p of block.parts) this.content(p.content);
    }
  }

  items(items: readonly SectionItem[]): void {
    for (const item of items) {
      if (item.kind === 'content') this.content(item.content);
      else this.pages(item.title, item.pages);
    }
  }
}

/** The text of the paragraph that stands for the n-th chart until the package is made. */
const chartMarker = (n: number): string => `\u2063verbatim-chart-${n}\u2063`;

/**
 * The Word document of a report document, as the bytes of a `.docx`.
 *
 * @param doc
 *   The document (`buildReport(…).document`).
 * @param mask
 *   Masks redacted strings (every string is masked already: a last guard).
 * @param theme
 *   The font and colours (the deck's `theme:`).
 */
export async function renderDocx(doc: ReportDocument, mask: (s: string) => string, theme: DeckTheme): Promise<Uint8Array> {
  const body = new Body(mask);
  if (theme.logo) {
    // Above the title, at most 6 × 2.5 cm (docx sizes images in pixels at 96 per inch).
    const box = fitLogo(theme.logo.info, (6 / 2.54) * 96, (2.5 / 2.54) * 96);
    body.children.push(new Paragraph({ spacing: { after: 480 }, children: [new ImageRun({ type: theme.logo.info.type, data: theme.logo.bytes, transformation: { width: Math.round(box.w), height: Math.round(box.h) } })] }));
  }
  body.paragraph(doc.title, { heading: HeadingLevel.TITLE });
  for (const line of [doc.subtitle, doc.author, doc.period]) if (line !== undefined) body.paragraph(line, { style: 'Subtitle' });
  if (doc.toc && doc.toc.items.length > 0) {
    body.paragraph(doc.toc.title, { heading: HeadingLevel.HEADING_1 });
    doc.toc.items.forEach((t, i) => body.paragraph(`${i + 1}. ${t}`));
  }
  for (const section of doc.sections) {
    if (section.number !== undefined && section.title !== undefined) body.paragraph(`${section.number}. ${section.title}`, { heading: HeadingLevel.HEADING_1, pageBreakBefore: true });
    body.items(section.items);
  }
  const heading = (size: number, color: string): { run: { font: string; size: number; bold: boolean; color: string }; paragraph: { spacing: { before: number; after: number }; keepNext: boolean } } => ({
    run: { font: theme.font, size: pt(size), bold: true, color },
    paragraph: { spacing: { before: 240, after: 120 }, keepNext: true },
  });
  const document = new Document({
    creator: AUTHOR,
    lastModifiedBy: AUTHOR,
    title: mask(plainText(doc.title)),
    ...(doc.subtitle ? { subject: mask(plainText(doc.subtitle)) } : {}),
    description: '',
    styles: {
      default: {
        document: { run: { font: theme.font, size: pt(11), color: theme.text }, paragraph: { spacing: { after: 120 } } },
        title: { run: { font: theme.font, size: pt(26), bold: true, color: theme.accent }, paragraph: { spacing: { after: 240 } } },
        heading1: heading(18, theme.accent),
        heading2: heading(14, theme.accent),
        heading3: heading(12, theme.text),
      },
      paragraphStyles: [
        { id: 'Subtitle', name: 'Subtitle', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { size: pt(14), color: theme.muted } },
        { id: 'Quote', name: 'Quote', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { italics: true }, paragraph: { indent: { left: 567, right: 567 }, spacing: { before: 120, after: 120 }, border: { left: { style: 'single', size: 12, color: theme.accent, space: 8 } } } },
        { id: 'Statement', name: 'Statement', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { italics: true, color: theme.muted } },
        { id: 'Note', name: 'Note', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { italics: true, size: pt(9), color: theme.muted } },
      ],
    },
    numbering: {
      config: [
        {
          reference: BULLETS,
          levels: [
            { level: 0, format: LevelFormat.BULLET, text: '\u2022', alignment: AlignmentType.LEFT, style: { paragraph: { indent: { left: 360, hanging: 260 } } } },
            { level: 1, format: LevelFormat.BULLET, text: '\u2013', alignment: AlignmentType.LEFT, style: { paragraph: { indent: { left: 720, hanging: 260 } } } },
          ],
        },
      ],
    },
    sections: [{ children: body.children }],
  });
  const packed = new Uint8Array(await Packer.toBuffer(document));
  const look: ChartLook = { font: theme.font, color: theme.accent, lineColor: theme.muted, mask };
  return await fixedPackage(
    packed,
    (s) => s,
    (name, xml) => {
      if (name === 'word/document.xml') return body.charts.reduce((x, _c, i) => x.replace(new RegExp(`<w:p>(?:(?!<w:p>).)*?${chartMarker(i + 1)}.*?</w:p>`, 'su'), chartParagraphXml(i + 1)), xml);
      if (name === 'word/_rels/document.xml.rels') return xml.replace('</Relationships>', `${body.charts.map((_c, i) => `<Relationship Id="rIdVerbatimChart${i + 1}" Type="${CHART_RELATIONSHIP}" Target="charts/chart${i + 1}.xml"/>`).join('')}</Relationships>`);
      if (name === '[Content_Types].xml') {
        const xlsx = body.charts.length > 0 && !/Extension="xlsx"/u.test(xml) ? `<Default Extension="xlsx" ContentType="${XLSX_CONTENT_TYPE}"/>` : '';
        return xml.replace('</Types>', `${xlsx}${body.charts.map((_c, i) => `<Override PartName="/word/charts/chart${i + 1}.xml" ContentType="${CHART_CONTENT_TYPE}"/>`).join('')}</Types>`);
      }
      return xml;
    },
    // Each chart, its rels, and the workbook of its data (for Word's "Edit data").
    (
      await Promise.all(
        body.charts.map(async (c, i) => {
          const workbook = `Microsoft_Excel_Worksheet${i + 1}.xlsx`;
          return [
            { name: `word/charts/chart${i + 1}.xml`, data: chartPart(c, look) },
            { name: `word/charts/_rels/chart${i + 1}.xml.rels`, data: chartRels(workbook) },
            { name: `word/embeddings/${workbook}`, data: await chartWorkbook(c, look) },
          ];
        }),
      )
    ).flat(),
  );
}
