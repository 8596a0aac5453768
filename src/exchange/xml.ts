/**
 * A small element tree over fast-xml-parser, both ways. Reading is lenient
 * about namespaces (elements are matched by local name, since tools write
 * `urn:QDA-XML:project:1:0` and other variants); writing keeps element order,
 * which the REFI-QDA schemas require (`xsd:sequence`).
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

/** An XML element: local name, attributes, children in order, and its direct text. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text nodes, concatenated (entities decoded). */
  text: string;
}

/** The outcome of parsing: the root element, or why the text is not XML. */
export type XmlResult = { ok: true; root: XmlElement } | { ok: false; message: string; line?: number };

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
});

/** Parses XML text (a leading BOM is fine). */
export function parseXml(text: string): XmlResult {
  const xml = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { ok: false, message: valid.err.msg, line: valid.err.line };
  let nodes: OrderedNode[];
  try {
    nodes = parser.parse(xml) as OrderedNode[];
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  const root = nodes.map(toElement).find((e): e is XmlElement => e !== undefined);
  return root ? { ok: true, root } : { ok: false, message: 'no root element' };
}

function toElement(node: OrderedNode): XmlElement | undefined {
  const name = Object.keys(node).find((k) => k !== ':@' && k !== '#text');
  if (!name) return undefined;
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(node[':@'] ?? {})) {
    if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
    attrs[k] = String(v);
  }
  const children: XmlElement[] = [];
  let text = '';
  for (const child of (node[name] as OrderedNode[] | undefined) ?? []) {
    if ('#text' in child) text += String(child['#text']);
    else {
      const e = toElement(child);
      if (e) children.push(e);
    }
  }
  return { name, attrs, children, text };
}

/** The first child named `name`. */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

/** Every child named `name` (every child when `name` is omitted). */
export function children(element: XmlElement | undefined, name?: string): XmlElement[] {
  if (!element) return [];
  return name === undefined ? element.children : element.children.filter((c) => c.name === name);
}

/** The text of the first child named `name`, trimmed; undefined when absent or blank. */
export function childText(element: XmlElement | undefined, name: string): string | undefined {
  const t = child(element, name)?.text.trim();
  return t ? t : undefined;
}

/** An element to write: attributes in the order given; undefined attributes are left out. */
export function el(name: string, attrs: Record<string, string | number | boolean | undefined> = {}, content: (XmlElement | undefined)[] | string = []): XmlElement {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) {
    // Line breaks in attributes would be normalised to spaces by any XML reader.
    if (v !== undefined) clean[k] = String(v).replace(/\r\n|\r|\n|\t/g, ' ');
  }
  if (typeof content === 'string') return { name, attrs: clean, children: [], text: content };
  return { name, attrs: clean, children: content.filter((c): c is XmlElement => c !== undefined), text: '' };
}

const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  processEntities: true,
});

function toOrdered(e: XmlElement): OrderedNode {
  const content: OrderedNode[] = e.children.length > 0 ? e.children.map(toOrdered) : e.text !== '' ? [{ '#text': escapeControl(e.text) }] : [];
  const node: OrderedNode = { [e.name]: content };
  if (Object.keys(e.attrs).length > 0) node[':@'] = Object.fromEntries(Object.entries(e.attrs).map(([k, v]) => [k, escapeControl(v)]));
  return node;
}

/** Characters XML 1.0 forbids (C0 controls except tab and line breaks) are dropped. */
function escapeControl(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}

/** Serialises a tree with an XML declaration, two-space indentation and a final newline. */
export function buildXml(root: XmlElement): string {
  const body = builder.build([toOrdered(root)]) as string;
  return `<?xml version="1.0" encoding="utf-8"?>\n${body.replace(/^\n+/, '').replace(/\n*$/, '\n')}`;
}
