/**
 * Speaker labels at the start of paragraphs (`Name:` or `**Name :**`), found
 * in imported texts so that they can be declared in the front matter.
 */

import { SPEAKER_SOURCE, TIME_SOURCE } from '../project/transcript.js';

/** The transcript parser's speaker marker, after an optional timestamp, without the bold-only checks. */
const SPEAKER = new RegExp(String.raw`^(?:\[${TIME_SOURCE}\][ \t]*)?${SPEAKER_SOURCE}`);

/** Labels that are roles or placeholders, not a person's name (never added to `redact`). */
const GENERIC = /^(?:[A-Z]{1,3}\d*|(?:speaker|locuteur|locutrice|intervenant|intervenante|interviewer|interviewee|intervieweur|intervieweuse|enquêteur|enquêtrice|enquêté|enquêtée|répondant|répondante|respondent|participant|participante|moderator|modérateur|modératrice|animateur|animatrice|question|réponse|answer|automation|unknown|inconnu|other|autre)(?:[ _-]*\d+)?)$/i;

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
