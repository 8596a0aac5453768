/**
 * IRaMuTeQ (ALCESTE format) corpus for French lexicometry: one text per
 * interview, introduced by `**** *id_E07 *actor_decideur-politique …`, with
 * the respondent's paragraphs only (no interviewer turns, no speaker labels,
 * no markers), redactions masked.
 */
import type { Transcript } from '../project/model.js';
import type { ExportInput } from './export-common.js';
import { Groups, joinText, textOut, writeInMemory, type ExportMeta, type ExportTarget, type ExportWriter } from './export-writer.js';

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

/** The IRaMuTeQ corpus, as a writer: one text per interview (the first transcript of each id). */
export class IramuteqWriter implements ExportWriter {
  private meta!: ExportMeta;
  private out!: (text: string) => void;
  private groups!: Groups<undefined>;
  private texts = 0;

  constructor(private readonly target: ExportTarget) {}

  begin(meta: ExportMeta): void {
    this.meta = meta;
    this.out = textOut(this.target, 'text');
    this.groups = new Groups(meta.shared, () => undefined);
  }

  add(t: Transcript): void {
    if (!this.groups.next(t).first) return;
    const { redactor, attributes } = this.meta;
    const vars = [`*id_${token(redactor.mask(t.id), false)}`];
    for (const a of attributes) {
      const v = t.attributes[a];
      if (v !== undefined) vars.push(`*${token(a, true)}_${token(redactor.mask(v), false)}`);
    }
    const lines = t.paragraphs
      .filter((p) => p.kind === 'text' && p.role === 'respondent' && p.text.trim() !== '')
      .map((p) => cleanLine(redactor.mask(p.text)))
      .filter((l) => l !== '');
    this.out(`${this.texts === 0 ? '' : '\n\n'}${[`**** ${vars.join(' ')}`, ...lines].join('\n')}`);
    this.texts++;
  }

  end(): void {
    if (this.texts > 0) this.out('\n');
  }
}

/** The corpus text of a loaded project, in memory. */
export function iramuteqCorpus(input: ExportInput): string {
  return joinText(writeInMemory(input, (target) => new IramuteqWriter(target)).chunks);
}
