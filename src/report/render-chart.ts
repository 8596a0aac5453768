/**
 * A bar chart as a DrawingML chart part (`c:chartSpace`), for the Word
 * document: a native chart that Word and LibreOffice draw and restyle. Its
 * values are cached in the part itself (no embedded workbook: Word shows the
 * chart and its values, "Edit data" has no sheet to open).
 */
import type { BarChart } from './mermaid.js';
import { plainText } from './ooxml.js';

export const CHART_RELATIONSHIP = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart';
export const CHART_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.drawingml.chart+xml';

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
  const cats = chart.labels.map((l, i) => `<c:pt idx="${i}"><c:v>${text(l)}</c:v></c:pt>`).join('');
  const vals = chart.values.map((v, i) => `<c:pt idx="${i}"><c:v>${v}</c:v></c:pt>`).join('');
  const axisFont = `<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="900"><a:latin typeface="${xmlText(look.font)}"/></a:defRPr></a:pPr><a:endParaRPr lang="fr-FR"/></a:p></c:txPr>`;
  return [
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`,
    `<c:chartSpace ${NS}><c:roundedCorners val="0"/><c:chart>`,
    chart.title ? `<c:title>${richText(plainText(look.mask(chart.title)), look, 1200)}<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>` : '<c:autoTitleDeleted val="1"/>',
    '<c:plotArea><c:layout/><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/>',
    `<c:ser><c:idx val="0"/><c:order val="0"/><c:tx><c:v>${text(chart.names?.bars ?? chart.axis)}</c:v></c:tx>`,
    `<c:spPr><a:solidFill><a:srgbClr val="${look.color}"/></a:solidFill></c:spPr><c:invertIfNegative val="0"/>`,
    '<c:dLbls><c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>',
    `<c:cat><c:strLit><c:ptCount val="${n}"/>${cats}</c:strLit></c:cat>`,
    `<c:val><c:numLit><c:formatCode>General</c:formatCode><c:ptCount val="${n}"/>${vals}</c:numLit></c:val>`,
    '</c:ser><c:gapWidth val="80"/><c:axId val="1001"/><c:axId val="1002"/></c:barChart>',
    chart.line ? lineXml(chart.line, chart.names?.line ?? '', cats, n, look) : '',
    `<c:catAx><c:axId val="1001"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>${axisFont}<c:crossAx val="1002"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>`,
    `<c:valAx><c:axId val="1002"/><c:scaling><c:orientation val="minMax"/>${chart.max !== undefined ? `<c:max val="${chart.max}"/><c:min val="0"/>` : ''}</c:scaling><c:delete val="0"/><c:axPos val="l"/><c:majorGridlines/><c:title>${richText(plainText(look.mask(chart.axis)), look, 900)}<c:overlay val="0"/></c:title><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>${axisFont}<c:crossAx val="1001"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>`,
    `</c:plotArea>${chart.line ? '<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>' : ''}<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>`,
    `<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr><a:latin typeface="${xmlText(look.font)}"/></a:defRPr></a:pPr><a:endParaRPr lang="fr-FR"/></a:p></c:txPr></c:chartSpace>`,
  ].join('');
}

/** A line series over the bars, on the same axes (saturation's codes so far), in the muted colour of the text. */
function lineXml(values: readonly number[], name: string, cats: string, n: number, look: ChartLook): string {
  const vals = values.map((v, i) => `<c:pt idx="${i}"><c:v>${v}</c:v></c:pt>`).join('');
  return [
    '<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>',
    `<c:ser><c:idx val="1"/><c:order val="1"/><c:tx><c:v>${xmlText(plainText(look.mask(name)))}</c:v></c:tx>`,
    `<c:spPr><a:ln w="28575"><a:solidFill><a:srgbClr val="${look.lineColor ?? look.color}"/></a:solidFill></a:ln></c:spPr><c:marker><c:symbol val="circle"/><c:size val="5"/></c:marker>`,
    `<c:cat><c:strLit><c:ptCount val="${n}"/>${cats}</c:strLit></c:cat>`,
    `<c:val><c:numLit><c:formatCode>General</c:formatCode><c:ptCount val="${n}"/>${vals}</c:numLit></c:val><c:smooth val="0"/>`,
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
