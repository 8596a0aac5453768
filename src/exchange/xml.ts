/**
 * A small element tree over fast-xml-parser, both ways. Reading is lenient
 * about namespaces (elements are matched by local name, since tools write
 * `urn:QDA-XML:project:1:0` and other variants); writing keeps element order,
 * which the REFI-QDA schemas require (`xsd:sequence`).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

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

/** Characters XML 1.0 forbids (C0 controls except tab and line breaks) are dropped. */
function escapeControl(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&apos;', '"': '&quot;' };

/** A text or attribute value as written: forbidden characters dropped, the five markup characters as entities. */
function escape(s: string): string {
  return escapeControl(s).replace(/[&<>'"]/g, (c) => ENTITIES[c] as string);
}

/** The declaration every document Verbatim writes starts with (then the root element, on the next line). */
export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';

/** The indentation of an element at `depth` (the root is 0), on a line of its own. */
function indentOf(depth: number): string {
  return depth === 0 ? '' : `\n${'  '.repeat(depth)}`;
}

function attributes(attrs: Record<string, string>): string {
  let out = '';
  for (const [k, v] of Object.entries(attrs)) out += ` ${k}="${escape(v)}"`;
  return out;
}

/**
 * The start tag of an element with children, at `depth`, for documents
 * written a piece at a time: {@link xmlStart}, its children with
 * {@link xmlElement} at `depth + 1` (or more starts and ends), then
 * {@link xmlEnd}. The pieces join into what {@link buildXml} writes for the
 * whole tree.
 */
export function xmlStart(name: string, attrs: Record<string, string>, depth: number): string {
  return `${indentOf(depth)}<${name}${attributes(attrs)}>`;
}

/** The end tag matching {@link xmlStart}. */
export function xmlEnd(name: string, depth: number): string {
  return `${depth === 0 ? '\n' : indentOf(depth)}</${name}>`;
}

/**
 * An element and everything in it, at `depth`: each element on its own line
 * indented by two spaces a level, a text inline between its tags, an empty
 * element as `<name/>`. The layout of fast-xml-parser's builder with
 * `format`, which Verbatim used before it wrote documents in pieces (the
 * tests compare the two).
 */
export function xmlElement(e: XmlElement, depth: number): string {
  const start = `${indentOf(depth)}<${e.name}${attributes(e.attrs)}`;
  if (e.children.length > 0) {
    let inner = '';
    for (const c of e.children) inner += xmlElement(c, depth + 1);
    return `${start}>${inner}${xmlEnd(e.name, depth)}`;
  }
  const text = e.text === '' ? '' : escape(e.text);
  return text === '' ? `${start}/>` : `${start}>${text}</${e.name}>`;
}

/** Serialises a tree with an XML declaration, two-space indentation and a final newline. */
export function buildXml(root: XmlElement): string {
  return `${XML_DECLARATION}${xmlElement(root, 0)}\n`;
}
