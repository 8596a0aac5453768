/**
 * Cross-file rules: everything that keeps a project consistent once each file
 * parses on its own (ids, attributes against the panel, markers and plans
 * against the codebook, keywords against the corpus).
 */
import type { Coding } from '../coding/code-transcript.js';
import type { Matcher } from '../coding/matcher.js';
import type { Diagnostic } from '../core/diagnostic.js';
import { viewKindOf } from '../core/escapes.js';
import { readSources, reportOfSources, type ReadSource } from '../core/quote-source.js';
import { redactorOf } from '../core/redact.js';
import { byPath, SourceFile } from '../core/source-file.js';
import { didYouMean, listNames, suggester } from '../core/suggest.js';
import type { Codebook, Config, Language, Panel, Plan, Respondent, Transcript } from '../project/model.js';

/**
 * What the coding stage gathers of the texts for the corpus-wide rules, one
 * transcript at a time (see `engine/corpus.ts`).
 */
export interface CorpusFacts {
  /** Words of respondent text. */
  words: number;
  /** Segments of the transcripts in the codebook's language. */
  segments: number;
  /** For each one-word keyword stem: the segments it occurs in, and its forms with their counts. */
  stems: Map<string, { segments: number; forms: Map<string, number> }>;
}

/**
 * What the cross-transcript rules read: a coded corpus (whole transcripts or
 * records), its files, and the facts gathered while coding.
 */
export interface CheckInput {
  config: Config;
  files: SourceFile[];
  outputs: readonly SourceFile[];
  redact: readonly string[];
  trackedRedactions?: string;
  /** Run the rules on what generated reports say (`check` only: see `ProjectFrame.outputsChecked`). */
  outputsChecked?: true;
  panelBroken?: true;
  codebook?: Codebook;
  panel?: Panel;
  plans: readonly Plan[];
  transcripts: readonly Respondent[];
  codings: readonly Coding[];
  matchers: ReadonlyMap<Language, Matcher>;
  facts: CorpusFacts;
}

/**
 * Runs every cross-file rule; diagnostics land on the files they concern. The
 * rules on one transcript (markers, attributes, stale rejections) ran in the
 * coding stage, while its text was there.
 */
export function checkProject(project: CheckInput): void {
  const files = byPath(project.files);
  const fileOf = (p: string): SourceFile | undefined => files.get(p);
  checkTranscriptIds(project.transcripts, fileOf);
  checkPanelRows(project, fileOf);
  if (project.codebook) {
    const codebookFile = fileOf(project.codebook.file);
    checkPlans(project, project.codebook, fileOf);
    if (codebookFile) {
      checkKeywords(project, project.codebook, codebookFile);
      checkUnused(project, project.codebook, codebookFile);
      checkBroadKeywords(project, project.codebook, codebookFile);
    }
  }
  checkRedactionLeaks(project);
  if (project.outputsChecked) checkUnreviewedQuotes(project);
  checkTrackedRedactions(project);
  checkRedactedIds(project, fileOf);
}

/**
 * Ids are printed as written (addresses, table columns, exports), so a
 * redacted name in one shows up masked (`[·]:3`) or stops an export: say so
 * where the id is written, so that the researcher picks a pseudonymous one.
 */
function checkRedactedIds(project: CheckInput, fileOf: (p: string) => SourceFile | undefined): void {
  const redactor = redactorOf(project);
  if (redactor.isEmpty) return;
  const holds = (id: string): boolean => redactor.ranges(id).length > 0;
  const say = (what: string, value = false): string =>
    `${what} holds a redacted string: outputs show it masked (\`[·]\`)${value ? '' : ' and exports, which other tools read by id, refuse it'}; choose a pseudonymous one.`;
  for (const t of project.transcripts) {
    const file = fileOf(t.file);
    if (!file) continue;
    if (holds(t.id)) file.report('redacted-id', say(`The transcript id \`${t.id}\`${t.positions.has('id') ? '' : ', taken from the file name,'}`), t.positions.get('id') ?? [0, 0]);
    for (const [key, value] of Object.entries(t.attributes)) {
      const at = t.positions.get(`attributes.${key}`);
      if (at && holds(value)) file.report('redacted-id', say(`The value \`${value}\` of \`${key}\``, true), at);
    }
  }
  const codebook = project.codebook;
  const codebookFile = codebook ? fileOf(codebook.file) : undefined;
  if (codebook && codebookFile) for (const c of codebook.codes.values()) if (holds(c.id)) codebookFile.report('redacted-id', say(`The code id \`${c.id}\``), c.range);
  const panel = project.panel;
  const panelFile = panel ? fileOf(panel.file) : undefined;
  if (panel && panelFile) {
    for (const a of panel.attributes) {
      if (holds(a.id)) panelFile.report('redacted-id', say(`The attribute id \`${a.id}\``), a.range);
      for (const v of a.values) if (holds(v.id)) panelFile.report('redacted-id', say(`The value \`${v.id}\` of \`${a.id}\``, true), a.range);
    }
  }
}

function checkTranscriptIds(transcripts: readonly Respondent[], fileOf: (p: string) => SourceFile | undefined): void {
  const first = new Map<string, Respondent>();
  for (const t of transcripts) {
    const other = first.get(t.id);
    if (!other) {
      first.set(t.id, t);
      continue;
    }
    fileOf(t.file)?.report('duplicate-transcript-id', `Transcript id \`${t.id}\` is already used by \`${other.file}\`; give each interview its own \`id\`.`, t.positions.get('id') ?? [0, 0]);
  }
}

/** The values of the panel table against its attributes. */
function checkPanelRows(project: CheckInput, fileOf: (p: string) => SourceFile | undefined): void {
  // A broken panel has its own error; every attribute would be "undeclared" without it.
  if (project.panelBroken) return;
  // Values of the panel table.
  const panel = project.panel;
  const declared = new Map((panel?.attributes ?? []).map((a) => [a.id, a]));
  if (panel && panel.rows.length > 0) {
    for (const row of panel.rows) {
      const file = fileOf(row.file);
      for (const [key, value] of Object.entries(row.values)) {
        const attribute = declared.get(key);
        if (!attribute) {
          file?.report('unknown-attribute', `Column \`${key}\` is not an attribute declared in the panel${didYouMean(key, declared.keys()) || ''}.`.replace(/\?\.$/, '?'), row.valueRanges[key]);
        } else if (attribute.values.length > 0 && !attribute.values.some((v) => v.id === value)) {
          const allowed = attribute.values.map((v) => v.id);
          file?.report('unknown-attribute-value', `\`${value}\` is not a declared value of \`${key}\`; allowed: ${listNames(allowed)}.`, row.valueRanges[key]);
        }
      }
    }
  }
}

/** A transcript's attributes against the panel: undeclared attributes and values, missing values. */
export function checkTranscriptAttributes(t: Pick<Respondent, 'id' | 'attributes' | 'positions'>, file: SourceFile, panel: Panel | undefined, corpus: string): void {
  const declared = new Map((panel?.attributes ?? []).map((a) => [a.id, a]));
  for (const [key, value] of Object.entries(t.attributes)) {
    const keyRange = t.positions.get(`attributes.${key}:key`);
    const valueRange = t.positions.get(`attributes.${key}`);
    if (!keyRange && !valueRange) continue; // from the panel table, checked there
    const attribute = declared.get(key);
    if (!attribute) {
      const hint = didYouMean(key, declared.keys());
      file.report('unknown-attribute', `Attribute \`${key}\` is not declared in the panel${hint || `; declare it under \`attributes\` in \`${panel?.file ?? `${corpus}/panel.yaml`}\``}.`.replace(/\?\.$/, '?'), keyRange ?? valueRange);
      continue;
    }
    if (attribute.values.length > 0 && !attribute.values.some((v) => v.id === value)) {
      const allowed = attribute.values.map((v) => v.id);
      const hint = didYouMean(value, allowed).replace(/^; /, ' (').replace(/\?$/, '?)');
      file.report('unknown-attribute-value', `\`${value}\` is not a declared value of \`${key}\`${hint}; allowed: ${listNames(allowed)}.`, valueRange ?? keyRange);
    }
  }
  if (panel) {
    const missing = panel.attributes.filter((a) => a.values.length > 0 && t.attributes[a.id] === undefined).map((a) => a.id);
    if (missing.length > 0) {
      file.report('missing-attribute', `No value for ${listNames(missing, 'and')}: add ${missing.length > 1 ? 'them' : 'it'} under \`attributes\` so that \`${t.id}\` counts in the cross-analyses.`, t.positions.get('id') ?? [0, 0]);
    }
  }
}

/** A `{!code}` that rejects nothing (`stale-reject`), where the marker is written. */
export function reportStaleReject(file: SourceFile, code: string, marker: readonly [number, number]): Diagnostic {
  return file.report('stale-reject', `\`{!${code}}\` rejects \`${code}\`, but the keywords no longer code this paragraph with it; remove the rejection.`, marker);
}

/** A transcript's markers against the codebook: unknown codes, markers in paragraphs that are not coded. */
export function checkTranscriptMarkers(t: Transcript, file: SourceFile, codebook: Codebook): void {
  let hint: ((code: string) => string) | undefined;
  for (const c of t.codings) {
    if (!codebook.codes.has(c.code)) {
      hint ??= suggester([...codebook.codes.keys()]);
      file.report('unknown-code', `Unknown code \`${c.code}\`${hint(c.code) || `; codes are listed in \`${codebook.file}\``}`.replace(/([^?])$/, '$1.'), c.marker);
      continue;
    }
    const coded = c.paragraphs.some((i) => t.paragraphs[i]?.segment !== undefined);
    if (!coded) {
      file.report('ignored-marker', `This marker is in an interviewer paragraph, which is not coded: move it to the answer, or set \`code_interviewer: true\` in \`verbatim.yaml\`.`, c.marker);
    }
  }
}

function checkPlans(project: CheckInput, codebook: Codebook, fileOf: (p: string) => SourceFile | undefined): void {
  const ids = [...codebook.codes.keys()];
  const attributes = (project.panel?.attributes ?? []).map((a) => a.id);
  for (const plan of project.plans) {
    const file = fileOf(plan.file);
    if (!file) continue;
    for (const section of plan.sections) {
      section.codes.forEach((code, i) => {
        if (!codebook.codes.has(code)) file.report('unknown-code', `Unknown code \`${code}\`${didYouMean(code, ids) || `; codes are listed in \`${codebook.file}\``}`.replace(/([^?])$/, '$1.'), section.codeRanges[i]);
      });
      section.by.forEach((by, i) => {
        // A broken panel has its own error and its `skipped-checks` line.
        if (!project.panelBroken && !attributes.includes(by)) {
          file.report('unknown-attribute', `Unknown attribute \`${by}\`${didYouMean(by, attributes) || (attributes.length > 0 ? `; the panel declares ${listNames(attributes)}` : '; declare it in the panel')}`.replace(/([^?])$/, '$1.'), section.byRanges[i]);
        }
      });
    }
  }
}

/** Where a keyword, pattern or veto is written in the codebook. */
function keywordRange(codebook: Codebook, code: string, list: 'keywords' | 'patterns' | 'unless', index: number): readonly [number, number] | undefined {
  const c = codebook.codes.get(code);
  if (!c) return undefined;
  return list === 'keywords' ? c.keywordRanges[index] : list === 'patterns' ? c.patternRanges[index] : c.unlessRanges[index];
}

/** The keywords and patterns the matcher could not use (invalid, unsafe), reported where they are written. */
export function reportMatcherProblems(codebook: Codebook, file: SourceFile, matcher: Matcher): void {
  for (const p of matcher.problems) file.report(p.ruleId, p.message, keywordRange(codebook, p.code, p.list, p.index));
}

function checkKeywords(project: CheckInput, codebook: Codebook, file: SourceFile): void {
  const matcher = project.matchers.get(codebook.language ?? project.config.language) ?? [...project.matchers.values()][0];
  if (!matcher) return;
  reportMatcherProblems(codebook, file, matcher);
  // The same keyword (after stemming) in two codes: the coding cannot tell them apart.
  const seen = new Map<string, { code: string; source: string }>();
  for (const k of matcher.keywords) {
    if (k.veto) continue;
    const signature = k.elements.map((e) => `${e.kind}:${e.value}`).join(' ');
    const first = seen.get(signature);
    if (!first) {
      seen.set(signature, { code: k.code, source: k.source });
      continue;
    }
    if (first.code === k.code) continue;
    file.report('duplicate-keyword', `The keyword \`${k.source}\` of \`${k.code}\` is the same, once stemmed, as \`${first.source}\` of \`${first.code}\`: every match gets both codes. Keep it in one code, or make it more specific.`, keywordRange(codebook, k.code, 'keywords', k.index));
  }
}

function checkUnused(project: CheckInput, codebook: Codebook, file: SourceFile): void {
  if (project.transcripts.length === 0) return;
  const used = new Set(project.codings.map((c) => c.code));
  for (const code of codebook.codes.values()) {
    if (code.children.length > 0 || used.has(code.id)) continue;
    const how = code.keywords.length + code.patterns.length === 0 ? 'it has no keywords and no marker uses it' : 'no keyword matched and no marker uses it';
    file.report('unused-code', `Code \`${code.id}\` is carried by no segment (${how}); add keywords, code it by hand, or remove it.`, code.range);
  }
}

/**
 * A one-word keyword whose stem matches a large share of the corpus is
 * probably catching everyday words (`commune` → `commun`); say which.
 */
function checkBroadKeywords(project: CheckInput, codebook: Codebook, file: SourceFile): void {
  const matcher = project.matchers.get(codebook.language ?? project.config.language);
  const total = project.facts.segments;
  if (!matcher || total < 20) return;
  const single = matcher.keywords.filter((k) => !k.veto && k.elements.length === 1 && k.elements[0]?.kind === 'stem');
  if (single.length === 0) return;
  const wanted = new Map(single.map((k) => [k.elements[0]?.value as string, k]));
  const hits = project.facts.stems;
  const threshold = 0.3;
  for (const [stem, h] of hits) {
    const share = h.segments / total;
    if (share <= threshold) continue;
    const k = wanted.get(stem);
    if (!k) continue;
    // One word in two Unicode forms (`état` composed, or `e` + U+0301) is one form.
    const composed = new Map<string, number>();
    for (const [f, n] of h.forms) {
      const c = f.normalize('NFC');
      composed.set(c, (composed.get(c) ?? 0) + n);
    }
    const forms = [...composed].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5).map(([f, n]) => `${f} (${n})`).join(', ');
    const range = codebook.codes.get(k.code)?.keywordRanges[k.index];
    file.report('broad-keyword', `The keyword \`${k.source}\` of \`${k.code}\` matches ${h.segments} of ${total} segments (${Math.round(share * 100)}%), through ${forms}; use a phrase, \`=${k.source}\` or a prefix instead.`, range);
  }
}

/**
 * Generated reports and exports must never show a redacted string. They are
 * matched as every output masks them (normalised: see `core/redact.ts`), in
 * the file's text and in its decoded view (JSON string escapes, XML entities,
 * Markdown escapes and HTML entities, CSV quotes), and reported where they are
 * written in the file.
 */
function checkRedactionLeaks(project: CheckInput): void {
  const redactor = redactorOf(project);
  if (redactor.isEmpty) return;
  for (const output of project.outputs) {
    const entry = (output as { entry?: unknown }).entry;
    const isReport = entry === undefined && /\.md$/i.test(output.path);
    for (const range of redactor.leaks(output.text, viewKindOf(typeof entry === 'string' ? entry : output.path))) {
      if (isReport) {
        output.report('redaction-leak', `A redacted string appears in this generated file; regenerate it with \`verbatim report\` (which masks it) and never commit it as is.`, range);
      } else {
        output.report(
          'redaction-leak',
          `A redacted string appears in this export${typeof entry === 'string' ? ` (in \`${entry}\` inside the archive; line and column count in that entry)` : ''}; delete it or export again with \`verbatim export\` (which masks it), and never share or commit it as is.`,
          range,
        );
      }
    }
  }
}

/** The range of line `line` of a report when it is a quote (`> …`); undefined when the report and its sources file disagree. */
function quoteLine(report: SourceFile, line: number): readonly [number, number] | undefined {
  if (!Number.isInteger(line) || line < 1) return undefined;
  const start = report.lines.offset({ line, column: 1 });
  if (start >= report.text.length || !report.text.startsWith('> ', start)) return undefined;
  const eol = report.text.indexOf('\n', start);
  const end = eol < 0 ? report.text.length : eol;
  return [start, report.text[end - 1] === '\r' ? end - 1 : end];
}

/**
 * A generated report that quotes an automatic coding nobody reviewed (the
 * plan's `quotes: all`): the sources file beside the report says what each
 * verbatim quotes and on which line (`core/quote-source.ts`), so the report
 * is read, not generated again. A verbatim whose coding is now accepted,
 * rejected or gone is not reported (`report --check` says when a report is
 * stale). The warning lands on the quote's line in the report.
 */
function checkUnreviewedQuotes(project: CheckInput): void {
  const key = (transcript: string, segment: number, code: string): string => `${transcript}\u0000${segment}\u0000${code}`;
  const byPathOf = new Map(project.outputs.map((o) => [o.path, o]));
  const quoted: { file: SourceFile; range: readonly [number, number]; source: ReadSource }[] = [];
  for (const output of project.outputs) {
    const reportPath = reportOfSources(output.path);
    if ((output as { entry?: unknown }).entry !== undefined || reportPath === undefined) continue;
    const report = byPathOf.get(reportPath);
    for (const source of readSources(output.text)) {
      const range = report ? quoteLine(report, source.line) : undefined;
      quoted.push(range ? { file: report as SourceFile, range, source } : { file: output, range: source.range, source });
    }
  }
  if (quoted.length === 0) return;
  const wanted = new Set(quoted.map(({ source: s }) => key(s.transcript, s.segment, s.code)));
  const unreviewed = new Set<string>();
  for (const c of project.codings) {
    if (c.origin !== 'auto') continue;
    const k = key(c.transcript, c.segment, c.code);
    if (wanted.has(k)) unreviewed.add(k);
  }
  for (const { file, range, source: s } of quoted) {
    if (!unreviewed.has(key(s.transcript, s.segment, s.code))) continue;
    const address = `${s.transcript}:${s.segment}`;
    file.report(
      'unreviewed-quote',
      `This verbatim quotes ${address}, an automatic coding of \`${s.code}\` nobody has reviewed: accept or reject it (\`verbatim review ${s.code} --transcript ${s.transcript}\`, or \`verbatim review --accept ${address} ${s.code}\`) and run \`verbatim report\`, or set \`quotes: reviewed\` in the plan.`,
      range,
    );
  }
}

/**
 * `.verbatim/redact.txt` holds the names that must not even be committed: a
 * repository that tracks it has them in its history (the loader asked git).
 */
function checkTrackedRedactions(project: CheckInput): void {
  const p = project.trackedRedactions;
  if (p === undefined) return;
  let file = project.files.find((f) => f.path === p);
  if (!file) {
    file = new SourceFile(p, '');
    project.files.push(file);
  }
  file.report(
    'tracked-redactions',
    `\`${p}\` is tracked by git, so the names it hides are in the repository: run \`git rm --cached ${p}\`, add \`.verbatim/\` to \`.gitignore\`, and if it was ever pushed, rewrite the history (\`git filter-repo\`).`,
  );
}
