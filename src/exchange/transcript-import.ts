/**
 * Transcript import: a `.txt`, a Word document's text (`Name:` prefixes, or
 * Otter.ai and Word Transcribe header lines), or WebVTT/SRT captions become a
 * Verbatim transcript with a front matter skeleton and speaker markers.
 * Speaker names are personal data: every name (not generic labels such as
 * `Speaker 1`), and each part of it (`Karim` of `Karim Benali`), goes into
 * the transcript's `redact` list, so that every output masks it.
 */
import type { Attribute, Role } from '../project/model.js';
import { prepareBody } from './body.js';
import { plural, type ImportNote, type ImportResult } from './import-common.js';
import { detectSpeakers, genericLabel, headedTurns, nameParts } from './speakers.js';
import { parseCaptions, speakersFromPrefixes, timestamp, turns } from './subtitles.js';
import { frontMatter } from './yaml-out.js';

/** Options of a transcript import. */
export interface TranscriptImportOptions {
  /** The transcript id (and file name). */
  id: string;
  /** The folder of transcripts, relative to the project (`corpus`). */
  corpus: string;
  /** Names (or labels) of the interviewers; the other speakers are respondents. */
  interviewers?: readonly string[];
  /** The project's panel attributes, listed in the front matter as a reminder. */
  attributes?: readonly Attribute[];
  /** The imported file's name, for the report. */
  source: string;
}

/** A valid speaker label for the transcript parser: the name itself when it can be one. */
function usableLabel(name: string): boolean {
  return /^[^\s*:[#{][^*\n:]{0,39}$/.test(name) && name.trim() === name;
}

/** Short labels for speaker names: the name when it is a valid label, else `S1`, `S2`… */
function labelsFor(names: readonly string[]): Map<string, string> {
  const labels = new Map<string, string>();
  const used = new Set<string>();
  for (const n of names) if (usableLabel(n)) {
    labels.set(n, n);
    used.add(n);
  }
  let k = 1;
  for (const n of names) {
    if (labels.has(n)) continue;
    while (used.has(`S${k}`)) k++;
    labels.set(n, `S${k}`);
    used.add(`S${k}`);
  }
  return labels;
}

interface Built {
  body: string;
  /** Speaker name → label. */
  labels: Map<string, string>;
  notes: ImportNote[];
}

function skeleton(options: TranscriptImportOptions, speakers: Map<string, string>, notes: ImportNote[], info: ImportNote[]): string {
  const wanted = new Set((options.interviewers ?? []).map((n) => n.trim().toLowerCase()));
  const roles: Record<string, Role> = {};
  const matched = new Set<string>();
  for (const [name, label] of speakers) {
    const isInterviewer = wanted.has(name.toLowerCase()) || wanted.has(label.toLowerCase());
    if (isInterviewer) {
      matched.add(name.toLowerCase());
      matched.add(label.toLowerCase());
    }
    roles[label] = isInterviewer ? 'interviewer' : 'respondent';
  }
  for (const w of wanted) {
    if (!matched.has(w)) notes.push({ kind: 'unknown-interviewer', message: `--interviewer \`${w}\` names no speaker of this transcript; speakers: ${[...speakers.keys()].map((n) => `\`${n}\``).join(', ') || 'none'}.` });
  }
  if (speakers.size > 0 && wanted.size === 0) {
    notes.push({ kind: 'roles', message: `Every speaker is a respondent: name the interviewers with \`--interviewer NAME\`, or set their role under \`speakers\` in the front matter.` });
  }
  const full = [...new Set([...speakers.keys(), ...speakers.values()])].filter((n) => !genericLabel(n));
  const redact = [...new Set([...full, ...[...speakers.keys()].flatMap(nameParts)])];
  const parts = redact.length - full.length;
  if (parts > 0) info.push({ kind: 'redact-parts', count: parts, message: `Added ${plural(parts, 'part')} of speaker names (first names, surnames) to \`redact\`, so that a name used alone in the text is masked too; check the list in the front matter, and remove any part that is also a common word.` });
  const comments = ['label: a pseudonymous description of the respondent, shown in reports'];
  if (options.attributes && options.attributes.length > 0) {
    comments.push('attributes declared in the panel (fill in under `attributes`):');
    for (const a of options.attributes) comments.push(`  ${a.id}: ${a.values.length > 0 ? a.values.map((v) => v.id).join(' | ') : '…'}`);
  }
  return frontMatter({ id: options.id, attributes: {}, speakers: roles, redact, comments });
}

function result(options: TranscriptImportOptions, built: Built, empty: string): ImportResult {
  const notes = [...built.notes];
  const info: ImportNote[] = [];
  const fm = skeleton(options, built.labels, notes, info);
  const path = `${options.corpus}/${options.id}.md`;
  const speakers = built.labels.size;
  return {
    kind: 'transcript',
    ...(built.body.trim() === '' ? { empty } : {}),
    files: [{ path, content: fm + built.body, summary: `transcript, ${speakers > 0 ? plural(speakers, 'speaker') : 'no speaker markers'}` }],
    notes,
    ...(info.length > 0 ? { info } : {}),
    counts: { transcripts: 1, codes: 0, codings: 0, adjusted: 0, dropped: 0 },
    placements: [],
  };
}

/** The line Otter.ai adds after the last turn, as a paragraph of its own. */
const OTTER_FOOTER = /(?:^|\n\n)(Transcribed by https?:\/\/otter\.ai[ \t]*)$/i;

/** A plain-text transcript (`.txt`, or a Word document's text): `Name:` prefixes become speakers. */
export function importPlainTranscript(text: string, options: TranscriptImportOptions): ImportResult {
  const body = prepareBody(text);
  const notes: ImportNote[] = [];
  if (body.escapes > 0) notes.push({ kind: 'escaped', count: body.escapes, message: `${plural(body.escapes, 'backslash')} added before \`{\` or \`\\\` so that text looking like a coding marker stays text.` });
  const empty = 'the file holds no text';
  const headed = headedTurns(body.text);
  if (headed) {
    // Otter.ai, Word's Transcribe: a header line per turn, the time kept as the paragraph's `[hh:mm:ss]`.
    const labels = labelsFor([...new Set(headed.turns.map((t) => t.speaker))]);
    // Otter.ai's closing line is no one's speech: kept as a comment, outside the analysis.
    const last = headed.turns[headed.turns.length - 1] as (typeof headed.turns)[number];
    const footer = OTTER_FOOTER.exec(last.text);
    if (footer && footer.index > 0) last.text = last.text.slice(0, footer.index).trimEnd();
    const paragraphs = headed.turns.map((t) => `**${labels.get(t.speaker) as string}:** ${timestamp(t.start)} ${t.text}`);
    if (footer && footer.index > 0) paragraphs.push(`<!-- ${(footer[1] as string).trim()} -->`);
    return result(options, { body: `${[...(headed.preamble ? [headed.preamble] : []), ...paragraphs].join('\n\n')}\n`, labels, notes }, empty);
  }
  const names = detectSpeakers(body.text);
  if (names.length === 0) notes.push({ kind: 'no-speakers', message: 'No `Name:` prefixes found: every paragraph is respondent text. Add speaker markers (`**Q :**`) if the text has several voices.' });
  const labels = new Map(names.map((n) => [n, n]));
  return result(options, { body: `${body.text.replace(/\s+$/, '')}\n`, labels, notes }, empty);
}

/** WebVTT or SRT captions. */
export function importCaptions(text: string, options: TranscriptImportOptions): ImportResult {
  const cues = speakersFromPrefixes(parseCaptions(text));
  const notes: ImportNote[] = [];
  const names = [...new Set(cues.flatMap((c) => (c.speaker ? [c.speaker] : [])))];
  const labels = labelsFor(names);
  if (names.length === 0 && cues.length > 0) notes.push({ kind: 'no-speakers', message: 'The captions name no speaker (no `<v Name>` voices or `Name:` prefixes): every paragraph is respondent text.' });
  const paragraphs = turns(cues).map((t) => {
    const label = t.speaker ? labels.get(t.speaker) : undefined;
    return `${label ? `**${label}:** ` : ''}${timestamp(t.start)} ${escapeText(t.text)}`;
  });
  return result(options, { body: paragraphs.length > 0 ? `${paragraphs.join('\n\n')}\n` : '', labels, notes }, 'no caption cue with text found (expected timings such as `00:00:01.000 --> 00:00:04.000`, each followed by its text)');
}

/** Caption text must not read as coding markers. */
function escapeText(text: string): string {
  return prepareBody(text, 'blocks').text;
}
