/**
 * Speaker labels at the start of paragraphs (`Name:` or `**Name :**`), found
 * in imported texts so that they can be declared in the front matter.
 */

import { SPEAKER_SOURCE, TIME_SOURCE } from '../project/transcript.js';

/** The transcript parser's speaker marker, after an optional timestamp, without the bold-only checks. */
const SPEAKER = new RegExp(String.raw`^(?:\[${TIME_SOURCE}\][ \t]*)?${SPEAKER_SOURCE}`);

/** Words that name a role or a placeholder. */
const ROLE_WORDS = String.raw`speaker|locuteur|locutrice|intervenant|intervenante|interviewer|interviewee|intervieweur|intervieweuse|enquêteur|enquêtrice|enquêté|enquêtée|répondant|répondante|respondent|participant|participante|moderator|modérateur|modératrice|animateur|animatrice|question|réponse|answer|automation|unknown|inconnu|other|autre`;
/** Labels that are roles or placeholders, not a person's name (never added to `redact`). */
const GENERIC = new RegExp(String.raw`^(?:[A-Z]{1,3}\d*|(?:${ROLE_WORDS})(?:[ _-]*\d+)?)$`, 'i');
/** A role word alone (`Speaker`, `Intervenant`). */
const ROLE_WORD = new RegExp(String.raw`^(?:${ROLE_WORDS})$`, 'i');

/** True when a label looks like a role or a placeholder (`Speaker 1`, `Q`, `Interviewer`). */
export function genericLabel(label: string): boolean {
  return GENERIC.test(label.trim().replace(/^[[(](.*)[\])]$/, '$1'));
}

/** The speaker label starting a paragraph, if any. */
export function leadingLabel(paragraph: string): string | undefined {
  const m = SPEAKER.exec(paragraph);
  const label = (m?.[1] ?? m?.[2] ?? m?.[3])?.trim();
  return label && !/^https?$/i.test(label) ? label : undefined;
}

/**
 * The speaker labels of a body (blank-line separated paragraphs), in order of
 * first appearance, when they really mark turns: labels opening at least two
 * paragraphs together open at least half of them. Then every label opening a
 * paragraph counts (a speaker may talk once), up to 100.
 */
export function detectSpeakers(body: string): string[] {
  const paragraphs = body.split(/\n[ \t]*\n/).map((p) => p.trim()).filter((p) => p !== '');
  const counts = new Map<string, number>();
  for (const p of paragraphs) {
    const label = leadingLabel(p);
    if (label) counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const covered = [...counts.values()].filter((n) => n >= 2).reduce((n, c) => n + c, 0);
  if (covered === 0 || covered * 2 < paragraphs.length || counts.size > 100) return [];
  return [...counts.keys()];
}

/** A clock time in a transcript header: `m:ss`, `mm:ss` or `h:mm:ss`. */
const CLOCK = String.raw`(?:\d{1,2}:)?\d{1,2}:\d{2}`;
/** A speaker name in a header: up to 40 characters, no `:`. */
const HEADER_NAME = String.raw`[\p{L}\p{N}[(][^:\n]{0,39}?`;
/** `Name  12:03`: Otter.ai's header, two spaces or a tab before the time. */
const NAME_TIME = new RegExp(String.raw`^(${HEADER_NAME})(?: {2,}|\t)[ \t]*(${CLOCK})[ \t]*$`, 'u');
/** `00:00:00 Speaker 1`: the header of Word's Transcribe (and of other tools), the time first. */
const TIME_NAME = new RegExp(String.raw`^\[?(${CLOCK})\]?[ \t]+(${HEADER_NAME})[ \t]*$`, 'u');

/** A speaker turn under a header line (`Name  12:03` or `00:12:03 Name`). */
export interface HeadedTurn {
  speaker: string;
  /** Seconds from the start. */
  start: number;
  /** The turn's text: its paragraphs, blank-line separated. */
  text: string;
}

function clockSeconds(clock: string): number {
  return clock.split(':').map(Number).reduce((acc, n) => acc * 60 + n, 0);
}

/** A header line's speaker and time, when the line is one. */
function header(line: string): { speaker: string; start: number } | undefined {
  const a = NAME_TIME.exec(line);
  const b = a ? undefined : TIME_NAME.exec(line);
  const speaker = (a?.[1] ?? b?.[2])?.trim();
  const clock = a?.[2] ?? b?.[1];
  // A name, not a sentence: a few words, not ending as a sentence does.
  if (!speaker || clock === undefined || /[,;!?…]$/.test(speaker) || speaker.split(/\s+/).length > 5) return undefined;
  return { speaker, start: clockSeconds(clock) };
}

/**
 * The turns of a text laid out as Otter.ai and Word's Transcribe export
 * transcripts: a header line (`Name  12:03`, or `00:12:03 Name`) and the
 * text on the following lines, until the next header. Undefined unless the
 * text has two headers or more and each is followed by text. `preamble` is
 * the text before the first header (a title), kept as it is.
 */
export function headedTurns(body: string): { preamble: string; turns: HeadedTurn[] } | undefined {
  const turns: { speaker: string; start: number; lines: string[] }[] = [];
  const preamble: string[] = [];
  for (const line of body.split('\n')) {
    const h = header(line.trim());
    if (h) turns.push({ ...h, lines: [] });
    else (turns[turns.length - 1]?.lines ?? preamble).push(line);
  }
  const join = (lines: readonly string[]): string => lines.map((l) => (l.trim() === '' ? '' : l)).join('\n').replace(/\n{3,}/g, '\n\n').trim();
  const out = turns.map((t) => ({ speaker: t.speaker, start: t.start, text: join(t.lines) }));
  if (out.length < 2 || out.some((t) => t.text === '')) return undefined;
  return { preamble: join(preamble), turns: out };
}

/** Words of a name that are particles, articles or titles, never masked alone. */
const NOT_A_NAME = new Set(['de', 'des', 'du', 'la', 'le', 'les', 'di', 'da', 'do', 'dos', 'das', 'del', 'della', 'van', 'von', 'der', 'den', 'ter', 'ten', 'el', 'al', 'y', 'e', 'et', 'and', 'the', 'of', 'mr', 'mrs', 'ms', 'dr', 'pr', 'prof', 'me', 'mme', 'mlle', 'mm', 'sir', 'jr', 'sr']);

/**
 * A word that can be masked alone: three letters or more (the mask matches
 * inside words too, so a two-letter part such as `Li` would garble every
 * `Libération`), starting with a capital, no digit, not a role word, a particle, a title or a short
 * upper-case label (`INT`).
 */
function namePart(part: string): boolean {
  // A word starting in lower case is a common word (`le`, `mairie`), not a name.
  if ((part.match(/\p{L}/gu)?.length ?? 0) < 3 || /\d/.test(part) || /^[A-Z]{1,3}$/.test(part) || !/^\p{Lu}/u.test(part)) return false;
  return !ROLE_WORD.test(part) && !NOT_A_NAME.has(part.toLowerCase());
}

/**
 * The parts of a speaker name that a text may use alone (`Karim` of `Karim
 * Benali`, `Jean` and `Pierre` of `Jean-Pierre`): capitalised words of three
 * letters or more, not a role label, a number, a particle (`De`, `van`), a
 * title or a qualifier in brackets.
 */
export function nameParts(name: string): string[] {
  if (genericLabel(name)) return [];
  const parts = new Set<string>();
  // A qualifier in brackets (`(mairie)`) is no part of the name.
  for (const word of name.replace(/\([^)]*\)|\[[^\]]*\]/g, ' ').trim().split(/\s+/)) {
    const whole = word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    for (const part of [whole, ...(whole.includes('-') ? whole.split('-') : [])]) {
      if (namePart(part)) parts.add(part);
    }
  }
  return [...parts];
}
