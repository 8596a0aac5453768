/**
 * REFI-QDA import: a `.qdc` becomes a codebook; a `.qdpx` (or a bare
 * `project.qde` with its `sources/` folder) becomes a new project: one
 * transcript per text source, with its codings written as inline markers,
 * the codebook, and a panel from cases and variables. Pure: parsed XML and
 * archive entries in, files to write and a report out.
 */
import { append } from '../core/arrays.js';
import { decode } from '../core/decode.js';
import type { Role } from '../project/model.js';
import { prepareBody, type ParagraphMode } from './body.js';
import { unfoldDescription } from './description.js';
import { guidFor } from './guid.js';
import { plural, type ImportNote, type ImportResult, type ImportedFile, type Placement } from './import-common.js';
import { choosePolicy, policyForOrigin, unitTable, type OffsetPolicy, type OffsetUnit } from './offsets.js';
import type { RefiCode, RefiCodebook, RefiProject, RefiTextSource } from './refi-parse.js';
import { IdAllocator, slugCodeId, slugTranscriptId } from './slug.js';
import { detectSpeakers, genericLabel } from './speakers.js';
import { writeMarkers, type MarkerCoding } from './write-markers.js';
import { codebookYaml, frontMatter, panelYaml, type ImportedAttribute, type ImportedCode } from './yaml-out.js';

/** Options of a REFI import. */
export interface RefiImportOptions {
  /** The imported file's base name: the codebook's id and title when the file gives none. */
  name: string;
  /** The imported file's name, quoted in the files written. */
  source: string;
  /** Speaker names (or labels) that are interviewers; the other speakers are respondents. */
  interviewers?: readonly string[];
  /** Force the offset unit instead of choosing it by producing tool. */
  offsets?: 'auto' | OffsetUnit;
  /** The corpus folder (default `corpus`). */
  corpus?: string;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** The user Verbatim's exports give automatic codings. */
const AUTO_USER = guidFor('user:auto');

/** A colour as `#RRGGBB` from what tools write (`#rgb`, `#RRGGBBAA`, `rgb(…)`), or undefined. */
export function parseColor(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const v = value.trim();
  let m = /^#?([0-9a-f]{6})(?:[0-9a-f]{2})?$/i.exec(v);
  if (m) return `#${(m[1] as string).toUpperCase()}`;
  m = /^#?([0-9a-f]{3})$/i.exec(v);
  if (m) return `#${[...(m[1] as string)].map((c) => c + c).join('').toUpperCase()}`;
  m = /^rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})/i.exec(v);
  if (m) return `#${[m[1], m[2], m[3]].map((x) => Math.min(255, Number(x)).toString(16).padStart(2, '0')).join('').toUpperCase()}`;
  return undefined;
}

interface ConvertedCodes {
  tree: ImportedCode[];
  /** Code GUID → full id. */
  byGuid: Map<string, string>;
  count: number;
}

/**
 * Nests codes whose names encode a hierarchy (`Coke::diet Coke` in ATLAS.ti,
 * `interesting\\places` in Taguette) under the sibling named like the prefix, when there is one.
 */
export function nestFlatNames(codes: readonly RefiCode[]): { codes: RefiCode[]; moved: number } {
  let moved = 0;
  const nest = (list: readonly RefiCode[]): RefiCode[] => {
    let level = list.map((c) => ({ ...c, children: [...c.children] }));
    for (let changed = true; changed; ) {
      changed = false;
      for (const c of level) {
        const m = /^(.*\S)\s*(?:::|\\)\s*(\S.*)$/.exec(c.name);
        const parent = m ? level.find((p) => p !== c && p.name === m[1]) : undefined;
        if (!m || !parent) continue;
        parent.children.push({ ...c, name: m[2] as string });
        level = level.filter((x) => x !== c);
        moved++;
        changed = true;
        break;
      }
    }
    return level.map((c) => ({ ...c, children: nest(c.children) }));
  };
  return { codes: nest(codes), moved };
}

/** Codes → Verbatim codes: ids from the `Verbatim id` line or slugs of the names, unique among siblings. */
function convertCodes(input: readonly RefiCode[], keepKeywords: boolean, notes: ImportNote[]): ConvertedCodes {
  const { codes, moved } = nestFlatNames(input);
  if (moved > 0) notes.push({ kind: 'nested', count: moved, message: `${plural(moved, 'code')} nested under ${moved === 1 ? 'its' : 'their'} parent, as ${moved === 1 ? 'its name says' : 'their names say'} (\`Parent::child\`).` });
  const byGuid = new Map<string, string>();
  let count = 0;
  let categories = 0;
  let memos = 0;
  let withKeywords = 0;
  let duplicates = 0;
  let badColors = 0;
  const walk = (list: readonly RefiCode[], parent: string | undefined): ImportedCode[] => {
    const ids = new IdAllocator();
    return list.map((c) => {
      const text = unfoldDescription(c.description);
      const kept = text.id?.split('.').pop();
      const id = ids.take(kept && ID.test(kept) ? kept : slugCodeId(c.name), 'code');
      const full = parent ? `${parent}.${id}` : id;
      count++;
      if (c.guid && byGuid.has(c.guid)) duplicates++;
      else if (c.guid) byGuid.set(c.guid, full);
      if (!c.isCodable) categories++;
      memos += c.notes;
      const color = parseColor(c.color);
      if (c.color && !color) badColors++;
      const hasKeywords = text.keywords.length + text.patterns.length + text.unless.length > 0;
      if (hasKeywords && !keepKeywords) withKeywords++;
      return {
        id,
        label: c.name || id,
        ...(color ? { color } : {}),
        ...(text.definition ? { definition: text.definition } : {}),
        include: text.include,
        exclude: text.exclude,
        examples: text.examples,
        keywords: keepKeywords ? text.keywords : [],
        patterns: keepKeywords ? text.patterns : [],
        unless: keepKeywords ? text.unless : [],
        ...(text.synthesis ? { synthesis: text.synthesis } : {}),
        ...(text.memo ? { memo: text.memo } : {}),
        children: walk(c.children, full),
      };
    });
  };
  const tree = walk(codes, undefined);
  if (categories > 0) notes.push({ kind: 'category', count: categories, message: `${plural(categories, 'code is a category', 'codes are categories')} (\`isCodable="false"\`) in the producing tool; Verbatim has no such distinction, so ${categories === 1 ? 'it is an ordinary code' : 'they are ordinary codes'}.` });
  if (memos > 0) notes.push({ kind: 'memo', count: memos, message: `${plural(memos, 'memo')} attached to codes (notes) not carried over; only code descriptions are.` });
  if (duplicates > 0) notes.push({ kind: 'duplicate-guid', count: duplicates, message: `${plural(duplicates, 'code reuses', 'codes reuse')} the GUID of an earlier code; codings point at the first one.` });
  if (badColors > 0) notes.push({ kind: 'color', count: badColors, message: `${plural(badColors, 'colour')} not in a form Verbatim reads (\`#RRGGBB\`) left out.` });
  if (withKeywords > 0) {
    notes.push({ kind: 'keywords', count: withKeywords, message: `Keywords of ${plural(withKeywords, 'code')} not restored: the project's codings are imported as markers, and keywords would code the same text a second time. Import the codebook alone (\`.qdc\`) to get them back.` });
  }
  return { tree, byGuid, count };
}

function codebookFile(meta: { id: string; title: string; description?: string; source: string }, codes: ConvertedCodes): ImportedFile {
  return { path: `codebooks/${meta.id}.yaml`, content: codebookYaml(meta, codes.tree), summary: `codebook, ${plural(codes.count, 'code')}` };
}

function emptyResult(kind: ImportResult['kind'], origin: string | undefined): ImportResult {
  return { kind, ...(origin ? { origin } : {}), files: [], notes: [], counts: { transcripts: 0, codes: 0, codings: 0, adjusted: 0, dropped: 0 }, placements: [] };
}

/** A `.qdc` codebook → `codebooks/<name>.yaml`. */
export function importRefiCodebook(cb: RefiCodebook, options: RefiImportOptions): ImportResult {
  const result = emptyResult('codebook', cb.origin);
  const codes = convertCodes(cb.codes, true, result.notes);
  const id = slugCodeId(options.name) || 'codebook';
  result.files.push(codebookFile({ id, title: options.name, source: options.source }, codes));
  result.counts.codes = codes.count;
  if (cb.sets > 0) result.notes.push({ kind: 'set', count: cb.sets, message: `${plural(cb.sets, 'set')} (groups of codes) not carried over.` });
  if (codes.count === 0) result.notes.push({ kind: 'empty-codebook', message: 'The codebook has no codes.' });
  return result;
}

/**
 * Finds an internal file of the archive by its `plainTextPath`, forgivingly
 * (case, folder name, missing scheme), among `files` by name: their bytes,
 * or whatever the caller keeps by name (the archive's entries, before they
 * are inflated).
 */
export function findSourceFile<T>(files: ReadonlyMap<string, T>, path: string): { file?: T; problem?: string } {
  const p = path.trim();
  if (/^(relative|absolute):\/\//i.test(p)) return { problem: `it is an external file (\`${p}\`), outside the archive` };
  const name = p.replace(/^internal:\/\//i, '').replace(/^\/+/, '').toLowerCase();
  const wanted = [`sources/${name}`, name];
  for (const [entry, file] of files) {
    const e = entry.toLowerCase();
    if (wanted.includes(e)) return { file };
  }
  for (const [entry, file] of files) if (entry.toLowerCase().endsWith(`/${name}`)) return { file };
  return { problem: `its text file \`${p}\` is not in the archive` };
}

/** What a Verbatim export puts after a source's label. */
interface SourceMeta {
  label?: string;
  speakers?: Record<string, Role>;
  language?: string;
  date?: string;
}

function readSourceDescription(description: string | undefined): SourceMeta {
  if (!description) return {};
  const lines = description.replace(/\r\n?/g, '\n').split('\n');
  const meta: SourceMeta = {};
  while (lines.length > 0) {
    const line = (lines[lines.length - 1] as string).trim();
    let m: RegExpExecArray | null;
    if (line === '') lines.pop();
    else if ((m = /^Speakers: (.+)$/.exec(line))) {
      const speakers: Record<string, Role> = {};
      for (const part of (m[1] as string).split('; ')) {
        const eq = part.lastIndexOf(' = ');
        const role = part.slice(eq + 3).trim();
        if (eq > 0 && (role === 'interviewer' || role === 'respondent' || role === 'other')) speakers[part.slice(0, eq).trim()] = role;
      }
      meta.speakers = speakers;
      lines.pop();
    } else if ((m = /^Language: (fr|en)$/.exec(line))) {
      meta.language = m[1];
      lines.pop();
    } else if ((m = /^Date: (\d{4}-\d{2}-\d{2})$/.exec(line))) {
      meta.date = m[1];
      lines.pop();
    } else break;
  }
  const label = lines.join('\n').trim().replace(/\s*\n\s*/g, ' ');
  if (label) meta.label = label;
  return meta;
}

/** A variable name without the classification prefix some tools add (`Cases:Age group`). */
function variableBaseName(name: string): string {
  const i = name.lastIndexOf(':');
  return i > 0 && i < name.length - 1 ? name.slice(i + 1).trim() : name;
}

/** Value labels from a description with a `Values:` list (what Verbatim exports). */
function readVariableDescription(description: string | undefined): { label?: string; values: { id: string; label: string }[] } {
  if (!description) return { values: [] };
  const [head, list] = description.replace(/\r\n?/g, '\n').split(/\n\s*\nValues:\n|^Values:\n/);
  const values: { id: string; label: string }[] = [];
  for (const line of (list ?? '').split('\n')) {
    const m = /^- (.+?): (.*)$/.exec(line.trim());
    if (m) values.push({ id: m[1] as string, label: (m[2] as string) || (m[1] as string) });
  }
  const label = head?.trim();
  return { ...(label ? { label } : {}), values };
}

interface UsableSource {
  source: RefiTextSource;
  raw: string;
}

/** A `project.qde` and the archive's files → a new project. */
export function importRefiProject(project: RefiProject, files: ReadonlyMap<string, Uint8Array>, options: RefiImportOptions): ImportResult {
  const result = emptyResult('project', project.origin);
  const notes = result.notes;
  const corpus = options.corpus ?? 'corpus';
  const codes = convertCodes(project.codes, false, notes);
  result.counts.codes = codes.count;
  const verbatimOrigin = /^Verbatim\b/i.test(project.origin ?? '');

  // The texts.
  const usable: UsableSource[] = [];
  let lostCodings = 0;
  const byPath = new Map<string, RefiTextSource>();
  const unique: RefiTextSource[] = [];
  let shared = 0;
  for (const source of project.sources) {
    // A media transcript often points at the text of a text source: one transcript, codings together.
    const key = source.plainTextPath?.trim().toLowerCase();
    const first = key ? byPath.get(key) : undefined;
    if (first) {
      append(first.selections, source.selections);
      append(first.wholeCodings, source.wholeCodings);
      first.unplaceable += source.unplaceable;
      shared++;
      continue;
    }
    const copy = { ...source, selections: [...source.selections], wholeCodings: [...source.wholeCodings] };
    if (key) byPath.set(key, copy);
    unique.push(copy);
  }
  if (shared > 0) notes.push({ kind: 'shared-text', count: shared, message: `${plural(shared, 'source shares', 'sources share')} ${shared === 1 ? 'its' : 'their'} text file with another source (a media transcript and its document): imported once.` });
  for (const source of unique) {
    const label = source.name ?? source.plainTextPath ?? source.guid;
    const codingCount = source.selections.reduce((n, s) => n + s.codings.length, 0) + source.wholeCodings.length;
    let raw: string | undefined;
    let problem: string | undefined;
    if (source.plainTextContent !== undefined) raw = source.plainTextContent;
    else if (source.plainTextPath) {
      const found = findSourceFile(files, source.plainTextPath);
      if (found.file) {
        const decoded = decode(found.file);
        if (decoded.text === undefined) problem = `its text file cannot be read (${decoded.problem?.message ?? 'not text'})`;
        else {
          raw = decoded.text;
          if (decoded.problem) notes.push({ kind: 'encoding', message: `\`${label}\`: ${decoded.problem.message}` });
        }
      } else problem = found.problem;
    } else problem = 'it has no text (neither `PlainTextContent` nor `plainTextPath`)';
    if (raw === undefined) {
      lostCodings += codingCount;
      notes.push({ kind: 'missing-text', message: `Source \`${label}\` not imported: ${problem ?? 'no text'}${codingCount > 0 ? `; ${codingCount === 1 ? 'its coding is' : `its ${codingCount} codings are`} lost` : ''}.` });
      continue;
    }
    if (raw.trim() === '') {
      lostCodings += codingCount;
      notes.push({ kind: 'empty-source', message: `Source \`${label}\` not imported: its text is empty.` });
      continue;
    }
    usable.push({ source, raw });
  }

  // Offsets: by producing tool, forced, or detected from the selections.
  const detected = choosePolicy(project.origin, usable.map((u) => ({ text: u.raw, ranges: u.source.selections })));
  const atlas = policyForOrigin(project.origin)?.crlfAsOne ?? false;
  const policy: OffsetPolicy =
    options.offsets && options.offsets !== 'auto' ? { unit: options.offsets, crlfAsOne: atlas, reason: `chosen with --offsets${atlas ? ' (CRLF counted as one, as ATLAS.ti does)' : ''}` } : detected;
  result.offsets = { ...policy };

  // Variables and cases → attributes.
  const variables = new Map<string, { id: string; label: string; values: { id: string; label: string }[]; free: boolean }>();
  const attributeIds = new IdAllocator();
  for (const v of project.variables) {
    const base = variableBaseName(v.name);
    const described = readVariableDescription(v.description);
    variables.set(v.guid, {
      id: attributeIds.take(slugCodeId(base), 'attribute'),
      label: described.label ?? base ?? v.name,
      values: described.values,
      free: !/^(Text|Boolean)$/i.test(v.type),
    });
  }
  const valuesBySource = new Map<string, Record<string, string>>();
  let conflicts = 0;
  const assign = (sourceGuid: string, variable: string, value: string | undefined): void => {
    const v = variables.get(variable);
    if (!v || value === undefined || value === '') return;
    const values = valuesBySource.get(sourceGuid) ?? {};
    if (values[v.id] !== undefined && values[v.id] !== value) conflicts++;
    else values[v.id] = value;
    valuesBySource.set(sourceGuid, values);
    if (!v.values.some((x) => x.id === value)) v.values.push({ id: value, label: value });
  };
  const sourceByName = new Map<string, string[]>();
  for (const u of usable) {
    if (u.source.name) sourceByName.set(u.source.name, [...(sourceByName.get(u.source.name) ?? []), u.source.guid]);
  }
  let orphanCases = 0;
  let caseRefs = 0;
  for (const c of project.cases) {
    const targets = new Set(c.sources);
    for (const g of sourceByName.get(c.name ?? '\u0000') ?? []) targets.add(g);
    if (targets.size === 0) orphanCases++;
    caseRefs += c.codeRefs + c.selectionRefs;
    for (const g of targets) for (const val of c.values) assign(g, val.variable, val.value);
  }
  for (const u of usable) for (const val of u.source.values) assign(u.source.guid, val.variable, val.value);
  if (orphanCases > 0) notes.push({ kind: 'case', count: orphanCases, message: `${plural(orphanCases, 'case has', 'cases have')} no source: ${orphanCases === 1 ? 'its' : 'their'} variables are not carried over.` });
  if (caseRefs > 0) notes.push({ kind: 'case', count: caseRefs, message: `${plural(caseRefs, 'code or selection')} attached to cases not carried over (Verbatim groups by transcript).` });
  if (conflicts > 0) notes.push({ kind: 'case', count: conflicts, message: `${plural(conflicts, 'variable value')} disagreeing with another case of the same source left out (the first one is kept).` });

  // Transcripts.
  const transcriptIds = new IdAllocator();
  const interviewers = new Set((options.interviewers ?? []).map((n) => n.trim().toLowerCase()));
  let unknownCodes = 0;
  let reversed = 0;
  let outside = 0;
  let selectionMemos = 0;
  let unplaceable = 0;
  const coders = new Set<string>();
  for (const u of usable) {
    const { source, raw } = u;
    // Verbatim writes the label (and speakers…) in the description; other tools write a memo there.
    const meta: SourceMeta = verbatimOrigin ? readSourceDescription(source.description) : {};
    const fallback = source.plainTextPath?.replace(/^.*[/\\]/, '') ?? '';
    const id = transcriptIds.take(slugTranscriptId(source.name ?? '') || slugTranscriptId(fallback), 'source');
    const file = `${corpus}/${id}.md`;
    const mode: ParagraphMode | undefined = verbatimOrigin ? 'blocks' : undefined;
    const body = prepareBody(raw, mode);
    if (body.escapes > 0) notes.push({ kind: 'escaped', count: body.escapes, message: `\`${id}\`: ${plural(body.escapes, 'backslash')} added before \`{\` or \`\\\` so that text looking like a coding marker stays text.` });
    let speakers: Record<string, Role>;
    let redact: string[] = [];
    if (meta.speakers && verbatimOrigin) speakers = meta.speakers;
    else {
      speakers = {};
      for (const label of detectSpeakers(body.text)) speakers[label] = interviewers.has(label.toLowerCase()) ? 'interviewer' : 'respondent';
      redact = Object.keys(speakers).filter((l) => !genericLabel(l));
    }
    const table = unitTable(raw, policy.unit, policy.crlfAsOne);
    const codings: MarkerCoding<{ start?: number; end?: number; user?: string }>[] = [];
    for (const sel of source.selections) {
      if (sel.description || sel.notes > 0) selectionMemos++;
      for (const c of sel.codings) {
        const code = codes.byGuid.get(c.code);
        if (!code) {
          unknownCodes++;
          continue;
        }
        if (c.user) coders.add(c.user);
        if (sel.start > sel.end) {
          reversed++;
          continue;
        }
        if (sel.start < 0 || sel.end > table.length) {
          outside++;
          continue;
        }
        const start = body.map(table.toUtf16(sel.start), 'start');
        const end = body.map(table.toUtf16(sel.end), 'end');
        codings.push({ code, start, end, ref: { start: sel.start, end: sel.end, ...(c.user ? { user: c.user } : {}) } });
      }
    }
    for (const c of source.wholeCodings) {
      const code = codes.byGuid.get(c.code);
      if (!code) unknownCodes++;
      else codings.push({ code, start: 0, end: body.text.length, whole: true, ref: {} });
    }
    unplaceable += source.unplaceable;
    const fm = frontMatter({
      id,
      label: meta.label ?? source.name ?? id,
      attributes: valuesBySource.get(source.guid) ?? {},
      ...(meta.date ? { date: meta.date } : {}),
      ...(meta.language ? { language: meta.language } : {}),
      speakers,
      redact,
      ...(!verbatimOrigin && source.description ? { notes: source.description } : {}),
    });
    const marked = writeMarkers(file, fm, body.text, codings);
    for (const p of marked.placed) {
      const ref = p.coding.ref ?? {};
      const placement: Placement = {
        transcript: id,
        file,
        source: source.guid,
        code: p.coding.code,
        start: p.start,
        end: p.end,
        ...(ref.start !== undefined ? { sourceStart: ref.start, sourceEnd: ref.end } : {}),
        ...(ref.user ? { user: ref.user } : {}),
        ...(p.adjusted ? { adjusted: p.adjusted } : {}),
      };
      result.placements.push(placement);
      if (p.adjusted) result.counts.adjusted++;
    }
    const reasons = new Map<string, number>();
    for (const d of marked.dropped) reasons.set(d.reason, (reasons.get(d.reason) ?? 0) + 1);
    for (const [reason, n] of reasons) notes.push({ kind: 'coding-dropped', count: n, message: `\`${id}\`: ${plural(n, 'coding')} not written: ${reason}.` });
    result.counts.dropped += marked.dropped.length;
    result.counts.codings += marked.placed.length;
    const adjusted = marked.placed.filter((p) => p.adjusted);
    const adjustReasons = new Map<string, number>();
    for (const p of adjusted) adjustReasons.set(p.adjusted as string, (adjustReasons.get(p.adjusted as string) ?? 0) + 1);
    for (const [reason, n] of adjustReasons) notes.push({ kind: 'coding-adjusted', count: n, message: `\`${id}\`: ${plural(n, 'coding')} with ${reason}.` });
    const parsed = marked.transcript;
    if (parsed) {
      // Codings on interviewer turns are kept as markers, but Verbatim does not count them.
      const uncounted = marked.placed.filter((p) => !parsed.segments.some((q) => q.start < p.end && q.end > p.start)).length;
      if (uncounted > 0) notes.push({ kind: 'interviewer-coding', count: uncounted, message: `\`${id}\`: ${plural(uncounted, 'coding')} on interviewer turns, which Verbatim does not count (unless \`code_interviewer: true\` in \`verbatim.yaml\`).` });
    }
    result.files.push({ path: file, content: marked.text, summary: `transcript, ${plural(marked.placed.length, 'coding')}` });
    result.counts.transcripts++;
  }

  // The codebook and the panel.
  // Tools name unsaved projects "Untitled": the file name says more.
  const title = project.name && !/^untitled$/i.test(project.name.trim()) ? project.name : options.name;
  const codebookId = slugCodeId(title) || 'codebook';
  if (codes.count > 0) {
    result.files.unshift(codebookFile({ id: codebookId, title, ...(project.description ? { description: project.description } : {}), source: options.source }, codes));
  } else notes.push({ kind: 'empty-codebook', message: 'The project has no codes: no codebook written.' });
  if (variables.size > 0) {
    const attributes: ImportedAttribute[] = [...variables.values()].map((v) => ({ id: v.id, label: v.label, values: v.free ? [] : v.values }));
    result.files.push({ path: `${corpus}/panel.yaml`, content: panelYaml(attributes, options.source), summary: `panel, ${plural(attributes.length, 'attribute')}` });
  }

  // What was left out.
  if (lostCodings > 0) result.counts.dropped += lostCodings;
  const left = project.leftOut;
  const count = (n: number, kind: string, message: string): void => {
    if (n > 0) notes.push({ kind, count: n, message });
  };
  count(unknownCodes, 'unknown-code', `${plural(unknownCodes, 'coding refers', 'codings refer')} to a code that is not in the codebook; left out.`);
  count(reversed, 'invalid-selection', `${plural(reversed, 'selection')} ending before ${reversed === 1 ? 'it starts' : 'they start'}; left out.`);
  count(outside, 'invalid-selection', `${plural(outside, 'selection')} reaching past the end of ${outside === 1 ? 'its' : 'their'} text (in ${policy.unit === 'utf16' ? 'UTF-16 code units' : 'code points'}); left out.`);
  count(left.unreadablePositions, 'invalid-selection', `${plural(left.unreadablePositions, 'coding')} on selections whose \`startPosition\` or \`endPosition\` is not a whole number; left out.`);
  result.counts.dropped += unknownCodes + reversed + outside + left.unreadablePositions;
  count(left.pictureSources, 'non-text-source', `${plural(left.pictureSources, 'picture source')} not carried over (Verbatim reads text only).`);
  count(left.pdfSourcesWithoutText, 'non-text-source', `${plural(left.pdfSourcesWithoutText, 'PDF source')} without a text representation not carried over.`);
  count(left.audioVideoSources, 'non-text-source', `${plural(left.audioVideoSources, 'audio or video source')}: only ${left.audioVideoSources === 1 ? 'its' : 'their'} transcripts are imported, as text.`);
  count(left.mediaCodings, 'media-coding', `${plural(left.mediaCodings, 'coding')} on picture or PDF regions, audio or video not carried over.`);
  count(unplaceable, 'media-coding', `${plural(unplaceable, 'coding')} on transcript time ranges (sync points) not carried over.`);
  count(left.notes, 'memo', `${plural(left.notes, 'note (memo)', 'notes (memos)')} not carried over.`);
  count(selectionMemos, 'memo', `${plural(selectionMemos, 'comment')} on selections (descriptions or notes) not carried over.`);
  count(left.uncodedSelections, 'memo', `${plural(left.uncodedSelections, 'selection')} without a code (memos or quotations in some tools) not carried over.`);
  count(left.links, 'link', `${plural(left.links, 'link')} not carried over.`);
  count(left.sets, 'set', `${plural(left.sets, 'set')} (groups of codes or sources) not carried over.`);
  count(left.graphs, 'graph', `${plural(left.graphs, 'graph')} (diagrams) not carried over.`);
  if (verbatimOrigin) {
    const auto = result.placements.filter((p) => p.user === AUTO_USER).length;
    if (auto > 0) notes.push({ kind: 'auto-coding', count: auto, message: `${plural(auto, 'automatic coding')} (from keywords) ${auto === 1 ? 'is' : 'are'} now written as ${auto === 1 ? 'a marker' : 'markers'}, like the researcher's codings.` });
  } else if (coders.size > 1) notes.push({ kind: 'coder', count: coders.size, message: `Codings by ${coders.size} coders are merged: Verbatim keeps no coder per coding.` });
  return result;
}
