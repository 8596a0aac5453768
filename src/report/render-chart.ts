/**
 * A bar chart as a DrawingML chart part (`c:chartSpace`), for the Word
 * document: a native chart that Word and LibreOffice draw and restyle. Its
 * values are cached in the part and refer to the cells of a small workbook
 * embedded beside it ({@link chartWorkbook}), so that Word's "Edit data"
 * opens them in a sheet.
 */
import JSZip from 'jszip';
import type { BarChart } from './mermaid.js';
import { FIXED_DATE, plainText } from './ooxml.js';

export const CHART_RELATIONSHIP = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart';
export const CHART_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.drawingml.chart+xml';
/** The relationship from a chart to its embedded workbook, and the workbook's content type. */
export const PACKAGE_RELATIONSHIP = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/package';
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The relationship id of a chart's workbook, in the chart's rels. */
const WORKBOOK_REL = 'rIdVerbatimWorkbook';
/** The sheet that holds a chart's data: categories in A, bars in B, the line (if any) in C, names on row 1. */
const SHEET = 'Sheet1';

/** How a chart looks: its font, its bars' colour (RRGGBB), and the redaction mask for its labels. */
export interface ChartLook {
  font: string;
  color: string;
  /** The line series' colour (RRGGBB), when a chart has one. */
  lineColor?: string;
  mask: (s: string) => string;
}

/** XML text, escaped. */
export function xmlText(s: string): string {
  return s.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;').replace(/"/gu, '&quot;');
}

const NS = 'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

function richText(text: string, look: ChartLook, size: number): string {
  return `<c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="${size}" b="0"/></a:pPr><a:r><a:rPr lang="fr-FR" sz="${size}" b="0"><a:latin typeface="${xmlText(look.font)}"/></a:rPr><a:t>${xmlText(text)}</a:t></a:r></a:p></c:rich></c:tx>`;
}

/** The chart part of a bar chart (columns, one series, values shown on the bars). */
export function chartPart(chart: BarChart, look: ChartLook): string {
  const text = (s: string): string => xmlText(plainText(look.mask(s)));
  const n = chart.labels.length;
  const cats = categoriesXml(chart.labels.map(text));
  const vals = chart.values.map((v, i) => `<c:pt idx="${i}"><c:v>${v}</c:v></c:pt>`).join('');
  const axisFont = `<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="900"><a:latin typeface="${xmlText(look.font)}"/></a:defRPr></a:pPr><a:endParaRPr lang="fr-FR"/></a:p></c:txPr>`;
  return [
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`,
    `<c:chartSpace ${NS}><c:roundedCorners val="0"/><c:chart>`,
    chart.title ? `<c:title>${richText(plainText(look.mask(chart.title)), look, 1200)}<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>` : '<c:autoTitleDeleted val="1"/>',
    '<c:plotArea><c:layout/><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/>',
    `<c:ser><c:idx val="0"/><c:order val="0"/>${seriesName('B', text(chart.names?.bars ?? chart.axis))}`,
    `<c:spPr><a:solidFill><a:srgbClr val="${look.color}"/></a:solidFill></c:spPr><c:invertIfNegative val="0"/>`,
    '<c:dLbls><c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>',
    cats,
    valuesXml('B', n, vals),
    '</c:ser><c:gapWidth val="80"/><c:axId val="1001"/><c:axId val="1002"/></c:barChart>',
    chart.line ? lineXml(chart.line, chart.names?.line ?? '', cats, n, look) : '',
    `<c:catAx><c:axId val="1001"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>${axisFont}<c:crossAx val="1002"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>`,
    `<c:valAx><c:axId val="1002"/><c:scaling><c:orientation val="minMax"/>${chart.max !== undefined ? `<c:max val="${chart.max}"/><c:min val="0"/>` : ''}</c:scaling><c:delete val="0"/><c:axPos val="l"/><c:majorGridlines/><c:title>${richText(plainText(look.mask(chart.axis)), look, 900)}<c:overlay val="0"/></c:title><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>${axisFont}<c:crossAx val="1001"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>`,
    `</c:plotArea>${chart.line ? '<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>' : ''}<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>`,
    `<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr><a:latin typeface="${xmlText(look.font)}"/></a:defRPr></a:pPr><a:endParaRPr lang="fr-FR"/></a:p></c:txPr>`,
    `<c:externalData r:id="${WORKBOOK_REL}"><c:autoUpdate val="0"/></c:externalData></c:chartSpace>`,
  ].join('');
}

/** A series' name, from row 1 of its column (escaped text). */
function seriesName(column: string, name: string): string {
  return `<c:tx><c:strRef><c:f>${SHEET}!$${column}$1</c:f><c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>${name}</c:v></c:pt></c:strCache></c:strRef></c:tx>`;
}

/** The categories, from column A (escaped texts). */
function categoriesXml(labels: readonly string[]): string {
  const pts = labels.map((l, i) => `<c:pt idx="${i}"><c:v>${l}</c:v></c:pt>`).join('');
  return `<c:cat><c:strRef><c:f>${SHEET}!$A$2:$A$${labels.length + 1}</c:f><c:strCache><c:ptCount val="${labels.length}"/>${pts}</c:strCache></c:strRef></c:cat>`;
}

/** A series' values, from its column. */
function valuesXml(column: string, n: number, pts: string): string {
  return `<c:val><c:numRef><c:f>${SHEET}!$${column}$2:$${column}$${n + 1}</c:f><c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="${n}"/>${pts}</c:numCache></c:numRef></c:val>`;
}

/** The rels of a chart part: its workbook, `../embeddings/<workbook>`. */
export function chartRels(workbook: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="${WORKBOOK_REL}" Type="${PACKAGE_RELATIONSHIP}" Target="../embeddings/${workbook}"/></Relationships>`;
}

/**
 * The workbook of a chart's data, as the bytes of an `.xlsx`: one sheet,
 * the categories in column A, the bars in B and the line in C, each named
 * on row 1 (inline strings, no styles: the least a spreadsheet needs), with
 * fixed dates so that the document's bytes stay the same.
 */
export async function chartWorkbook(chart: BarChart, look: ChartLook): Promise<Uint8Array> {
  const text = (s: string): string => xmlText(plainText(look.mask(s)));
  const str = (ref: string, s: string): string => `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${s}</t></is></c>`;
  const num = (ref: string, v: number): string => `<c r="${ref}"><v>${v}</v></c>`;
  const rows = [
    `<row r="1">${str('A1', '')}${str('B1', text(chart.names?.bars ?? chart.axis))}${chart.line ? str('C1', text(chart.names?.line ?? '')) : ''}</row>`,
    ...chart.labels.map((l, i) => {
      const r = i + 2;
      const line = chart.line?.[i];
      return `<row r="${r}">${str(`A${r}`, text(l))}${num(`B${r}`, chart.values[i] ?? 0)}${line !== undefined ? num(`C${r}`, line) : ''}</row>`;
    }),
  ];
  const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';
  const parts: [string, string][] = [
    [
      '[Content_Types].xml',
      `${head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    ],
    ['_rels/.rels', `${head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`],
    ['xl/workbook.xml', `${head}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets><sheet name="${SHEET}" sheetId="1" r:id="rId1"/></sheets></workbook>`],
    ['xl/_rels/workbook.xml.rels', `${head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`],
    ['xl/worksheets/sheet1.xml', `${head}<worksheet xmlns="${MAIN}"><sheetData>${rows.join('')}</sheetData></worksheet>`],
  ];
  const zip = new JSZip();
  const date = new Date(FIXED_DATE);
  for (const [name, data] of parts) zip.file(name, data, { date, createFolders: false });
  return await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 }, platform: 'UNIX' });
}

/** A line series over the bars, on the same axes (saturation's codes so far), in the muted colour of the text. */
function lineXml(values: readonly number[], name: string, cats: string, n: number, look: ChartLook): string {
  const vals = values.map((v, i) => `<c:pt idx="${i}"><c:v>${v}</c:v></c:pt>`).join('');
  return [
    '<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>',
    `<c:ser><c:idx val="1"/><c:order val="1"/>${seriesName('C', xmlText(plainText(look.mask(name))))}`,
    `<c:spPr><a:ln w="28575"><a:solidFill><a:srgbClr val="${look.lineColor ?? look.color}"/></a:solidFill></a:ln></c:spPr><c:marker><c:symbol val="circle"/><c:size val="5"/></c:marker>`,
    cats,
    `${valuesXml('C', n, vals)}<c:smooth val="0"/>`,
    '</c:ser><c:marker val="1"/><c:axId val="1001"/><c:axId val="1002"/></c:lineChart>',
  ].join('');
}

/** EMUs per centimetre. */
const CM = 360000;

/** A Word paragraph holding the n-th chart inline (its relationship `rIdVerbatimChart<n>`), 16 × 8 cm. */
export function chartParagraphXml(n: number): string {
  const cx = 16 * CM;
  const cy = 8 * CM;
  return `<w:p><w:pPr><w:keepNext/></w:pPr><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="${cx}" cy="${cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="${9000 + n}" name="Chart ${n}"/><wp:cNvGraphicFramePr/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" r:id="rIdVerbatimChart${n}"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`;
}
