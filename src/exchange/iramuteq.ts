/**
 * IRaMuTeQ (ALCESTE format) corpus for French lexicometry: one text per
 * interview, introduced by `**** *id_E07 *actor_decideur-politique …`, with
 * the respondent's paragraphs only (no interviewer turns, no speaker labels,
 * no markers), redactions masked.
 */
import { redactorOf } from '../core/redact.js';
import { attributeIds, uniqueTranscripts, type ExportInput } from './export-common.js';

/**
 * A starred-variable part: no spaces, no `*`; in a variable name no `_`
 * either, since IRaMuTeQ splits `*name_value` at the first `_`.
 */
function token(text: string, name: boolean): string {
  const t = text
    .trim()
    .replace(/[\s*]+/g, '-')
    .replace(name ? /_/g : /(?!)/g, '-');
  return t === '' ? 'NA' : t;
}

/** The text lines of IRaMuTeQ must not look like its own markup. */
function cleanLine(text: string): string {
  return text
    .replace(/\*/g, '')
    .replace(/[ \t]*(?:\r\n|\r|\n)[ \t]*/g, ' ')
    .trim();
}

/** The corpus text. */
export function iramuteqCorpus(input: ExportInput): string {
  const redactor = redactorOf(input);
  const attributes = attributeIds(input);
  const texts: string[] = [];
  for (const t of uniqueTranscripts(input.transcripts)) {
    const vars = [`*id_${token(redactor.mask(t.id), false)}`];
    for (const a of attributes) {
      const v = t.attributes[a];
      if (v !== undefined) vars.push(`*${token(a, true)}_${token(redactor.mask(v), false)}`);
    }
    const lines = t.paragraphs
      .filter((p) => p.kind === 'text' && p.role === 'respondent' && p.text.trim() !== '')
      .map((p) => cleanLine(redactor.mask(p.text)))
      .filter((l) => l !== '');
    texts.push([`**** ${vars.join(' ')}`, ...lines].join('\n'));
  }
  return texts.length === 0 ? '' : `${texts.join('\n\n')}\n`;
}
