/**
 * Reading REFI-QDA XML (`.qdc` codebooks and `project.qde`) into plain data,
 * leniently: elements are matched by local name whatever the namespace
 * variant, GUIDs are compared without case or braces, and what Verbatim
 * cannot use is counted so that the import can say what it left out.
 */
import { append } from '../core/arrays.js';
import { normalizeGuid } from './guid.js';
import { child, childText, children, parseXml, type XmlElement } from './xml.js';

/** A code, nested. */
export interface RefiCode {
  guid: string;
  name: string;
  isCodable: boolean;
  color?: string;
  description?: string;
  children: RefiCode[];
  /** Memos attached with `<NoteRef>`. */
  notes: number;
}

/** A Coding: a code applied to a selection or a whole source. */
export interface RefiCoding {
  guid: string;
  /** Normalised GUID of the code. */
  code: string;
  /** Normalised GUID of the user who coded, when given. */
  user?: string;
}

/** A `PlainTextSelection`: `[start, end)` in the tool's offset unit. */
export interface RefiSelection {
  guid: string;
  name?: string;
  start: number;
  end: number;
  description?: string;
  codings: RefiCoding[];
  notes: number;
}

/** A value of a variable on a case or a source. */
export interface RefiValue {
  /** Normalised GUID of the variable. */
  variable: string;
  value?: string;
}

/** Something with text that can become a transcript. */
export interface RefiTextSource {
  /** `text`: a TextSource; `pdf`: the text representation of a PDF; `transcript`: the transcript of audio or video. */
  kind: 'text' | 'pdf' | 'transcript';
  guid: string;
  name?: string;
  plainTextPath?: string;
  plainTextContent?: string;
  description?: string;
  selections: RefiSelection[];
  /** Codings of the whole source. */
  wholeCodings: RefiCoding[];
  values: RefiValue[];
  notes: number;
  /** Codings this importer cannot place (transcript selections of audio/video). */
  unplaceable: number;
}

/** A variable (a respondent attribute in Verbatim). */
export interface RefiVariable {
  guid: string;
  name: string;
  type: string;
  description?: string;
}

/** A case: a respondent, with variable values and the sources that are theirs. */
export interface RefiCase {
  guid: string;
  name?: string;
  description?: string;
  values: RefiValue[];
  /** Normalised GUIDs of the sources in the case. */
  sources: string[];
  codeRefs: number;
  selectionRefs: number;
}

/** What a project holds that Verbatim has no place for, counted. */
export interface RefiLeftOut {
  pictureSources: number;
  pdfSourcesWithoutText: number;
  audioVideoSources: number;
  /** Codings on picture, PDF-region, audio or video selections. */
  mediaCodings: number;
  notes: number;
  links: number;
  sets: number;
  graphs: number;
  /** Text selections without any coding (memos or comments in some tools). */
  uncodedSelections: number;
  /** Codings of text selections whose `startPosition` or `endPosition` is not a whole number. */
  unreadablePositions: number;
}

/** A parsed `project.qde`. */
export interface RefiProject {
  kind: 'project';
  origin?: string;
  name?: string;
  description?: string;
  users: { guid: string; name?: string }[];
  codes: RefiCode[];
  variables: RefiVariable[];
  cases: RefiCase[];
  sources: RefiTextSource[];
  leftOut: RefiLeftOut;
}

/** A parsed `.qdc`. */
export interface RefiCodebook {
  kind: 'codebook';
  origin?: string;
  codes: RefiCode[];
  sets: number;
}

/** A parsed file, or why it is not REFI-QDA XML. */
export type RefiParseResult = { ok: true; value: RefiProject | RefiCodebook } | { ok: false; message: string };

/** Parses a `.qdc` or a `.qde` (decided by the root element). */
export function parseRefi(text: string): RefiParseResult {
  const xml = parseXml(text);
  // fast-xml-parser stops at 100 levels: a limit, not a syntax error.
  if (!xml.ok && /^Maximum nested tags exceeded/.test(xml.message)) return { ok: false, message: 'the XML is nested more than 100 levels deep (codes inside codes inside codes…); Verbatim reads up to 100' };
  if (!xml.ok) return { ok: false, message: `the XML is not well-formed${xml.line ? ` (line ${xml.line})` : ''}: ${xml.message}` };
  const root = xml.root;
  if (root.name === 'CodeBook') return { ok: true, value: readCodebook(root) };
  if (root.name === 'Project') return { ok: true, value: readProject(root) };
  return { ok: false, message: `the root element is \`<${root.name}>\`, not a REFI-QDA \`<CodeBook>\` or \`<Project>\`` };
}

function readCodes(codes: XmlElement | undefined): RefiCode[] {
  return children(codes, 'Code').map((c) => ({
    guid: normalizeGuid(c.attrs.guid),
    name: (c.attrs.name ?? '').trim(),
    isCodable: !/^(false|0)$/i.test(c.attrs.isCodable ?? 'true'),
    ...(c.attrs.color ? { color: c.attrs.color } : {}),
    ...(childText(c, 'Description') ? { description: childText(c, 'Description') } : {}),
    children: readCodes(c),
    notes: children(c, 'NoteRef').length,
  }));
}

function readCodebook(root: XmlElement): RefiCodebook {
  return {
    kind: 'codebook',
    ...(root.attrs.origin ? { origin: root.attrs.origin } : {}),
    codes: readCodes(child(root, 'Codes')),
    sets: children(child(root, 'Sets'), 'Set').length,
  };
}

function readCodings(parent: XmlElement): RefiCoding[] {
  return children(parent, 'Coding').flatMap((c) => {
    const code = normalizeGuid(child(c, 'CodeRef')?.attrs.targetGUID);
    if (!code) return [];
    const user = normalizeGuid(c.attrs.creatingUser);
    return [{ guid: normalizeGuid(c.attrs.guid), code, ...(user ? { user } : {}) }];
  });
}

function readValues(parent: XmlElement): RefiValue[] {
  return children(parent, 'VariableValue').flatMap((v) => {
    const variable = normalizeGuid(child(v, 'VariableRef')?.attrs.targetGUID);
    if (!variable) return [];
    const valueElement = v.children.find((c) => c.name.endsWith('Value') && c.name !== 'VariableValue');
    const value = valueElement?.text.trim();
    return [{ variable, ...(value ? { value } : {}) }];
  });
}

function toInt(v: string | undefined): number | undefined {
  if (v === undefined || !/^\s*[+-]?\d+\s*$/.test(v)) return undefined;
  return Number.parseInt(v, 10);
}

function readTextSource(e: XmlElement, kind: RefiTextSource['kind'], name: string | undefined, leftOut: RefiLeftOut): RefiTextSource {
  const selections: RefiSelection[] = [];
  for (const s of children(e, 'PlainTextSelection')) {
    const start = toInt(s.attrs.startPosition);
    const end = toInt(s.attrs.endPosition);
    const codings = readCodings(s);
    if (codings.length === 0) leftOut.uncodedSelections++;
    if (start === undefined || end === undefined) {
      leftOut.unreadablePositions += codings.length;
      continue;
    }
    selections.push({
      guid: normalizeGuid(s.attrs.guid),
      ...(s.attrs.name ? { name: s.attrs.name } : {}),
      start,
      end,
      ...(childText(s, 'Description') ? { description: childText(s, 'Description') } : {}),
      codings,
      notes: children(s, 'NoteRef').length,
    });
  }
  const content = child(e, 'PlainTextContent')?.text;
  return {
    kind,
    guid: normalizeGuid(e.attrs.guid),
    ...(name ? { name } : {}),
    ...(e.attrs.plainTextPath ? { plainTextPath: e.attrs.plainTextPath } : {}),
    ...(content !== undefined && content !== '' ? { plainTextContent: content } : {}),
    ...(childText(e, 'Description') ? { description: childText(e, 'Description') } : {}),
    selections,
    wholeCodings: readCodings(e),
    values: readValues(e),
    notes: children(e, 'NoteRef').length,
    unplaceable: 0,
  };
}

function readProject(root: XmlElement): RefiProject {
  const leftOut: RefiLeftOut = { pictureSources: 0, pdfSourcesWithoutText: 0, audioVideoSources: 0, mediaCodings: 0, notes: 0, links: 0, sets: 0, graphs: 0, uncodedSelections: 0, unreadablePositions: 0 };
  const sources: RefiTextSource[] = [];
  const mediaCodings = (e: XmlElement, selection: string): number => readCodings(e).length + children(e, selection).reduce((n, s) => n + readCodings(s).length, 0);
  for (const s of children(child(root, 'Sources'))) {
    const name = s.attrs.name?.trim() || undefined;
    switch (s.name) {
      case 'TextSource':
        sources.push(readTextSource(s, 'text', name, leftOut));
        break;
      case 'PDFSource': {
        const rep = child(s, 'Representation');
        if (rep) {
          const source = readTextSource(rep, 'pdf', name ?? rep.attrs.name, leftOut);
          append(source.wholeCodings, readCodings(s));
          sources.push(source);
        } else {
          leftOut.pdfSourcesWithoutText++;
          leftOut.mediaCodings += readCodings(s).length;
        }
        leftOut.mediaCodings += children(s, 'PDFSelection').reduce((n, x) => n + readCodings(x).length, 0);
        break;
      }
      case 'PictureSource':
        leftOut.pictureSources++;
        leftOut.mediaCodings += mediaCodings(s, 'PictureSelection');
        break;
      case 'AudioSource':
      case 'VideoSource': {
        leftOut.audioVideoSources++;
        leftOut.mediaCodings += mediaCodings(s, s.name === 'AudioSource' ? 'AudioSelection' : 'VideoSelection');
        children(s, 'Transcript').forEach((t, i, all) => {
          const source = readTextSource(t, 'transcript', t.attrs.name?.trim() || (all.length > 1 ? `${name ?? 'media'} ${i + 1}` : name), leftOut);
          source.unplaceable = children(t, 'TranscriptSelection').reduce((n, x) => n + readCodings(x).length, 0);
          sources.push(source);
        });
        break;
      }
      default:
        break;
    }
  }
  leftOut.notes = children(child(root, 'Notes'), 'Note').length;
  leftOut.links = children(child(root, 'Links'), 'Link').length;
  leftOut.sets = children(child(root, 'Sets'), 'Set').length;
  leftOut.graphs = children(child(root, 'Graphs'), 'Graph').length;
  return {
    kind: 'project',
    ...(root.attrs.origin ? { origin: root.attrs.origin } : {}),
    ...(root.attrs.name ? { name: root.attrs.name } : {}),
    ...(childText(root, 'Description') ? { description: childText(root, 'Description') } : {}),
    users: children(child(root, 'Users'), 'User').map((u) => ({ guid: normalizeGuid(u.attrs.guid), ...(u.attrs.name ? { name: u.attrs.name } : {}) })),
    codes: readCodes(child(child(root, 'CodeBook'), 'Codes')),
    variables: children(child(root, 'Variables'), 'Variable').map((v) => ({
      guid: normalizeGuid(v.attrs.guid),
      name: (v.attrs.name ?? '').trim(),
      type: v.attrs.typeOfVariable ?? 'Text',
      ...(childText(v, 'Description') ? { description: childText(v, 'Description') } : {}),
    })),
    cases: children(child(root, 'Cases'), 'Case').map((c) => ({
      guid: normalizeGuid(c.attrs.guid),
      ...(c.attrs.name?.trim() ? { name: c.attrs.name.trim() } : {}),
      ...(childText(c, 'Description') ? { description: childText(c, 'Description') } : {}),
      values: readValues(c),
      sources: children(c, 'SourceRef').map((r) => normalizeGuid(r.attrs.targetGUID)).filter((g) => g !== ''),
      codeRefs: children(c, 'CodeRef').length,
      selectionRefs: children(c, 'SelectionRef').length,
    })),
    sources,
    leftOut,
  };
}
