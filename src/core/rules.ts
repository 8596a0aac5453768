import type { Severity } from './diagnostic.js';

/** A check rule: its default severity and what it guards, for `--help`, the README and config validation. */
export interface RuleInfo {
  severity: Severity;
  description: string;
}

/**
 * Every rule id Verbatim can report. Ids are stable: scripts and `verbatim.yaml`
 * (`rules: {id: off|warning|error}`) depend on them.
 */
export const RULES = {
  // Files
  'encoding': { severity: 'error', description: 'The file is not UTF-8 text (binary, or bytes that are not valid UTF-8).' },
  'legacy-encoding': { severity: 'warning', description: 'The file was decoded as Windows-1252/Latin-1 (or UTF-16, UTF-32); convert it to UTF-8.' },
  'empty-file': { severity: 'warning', description: 'The file is empty.' },
  'missing-file': { severity: 'error', description: 'A path named in verbatim.yaml or on the command line does not exist.' },
  'skipped-checks': { severity: 'info', description: 'A file that cannot be read (or a panel whose structure is wrong): the checks that depend on it are skipped until it is fixed, and this says which.' },
  'incomplete-import': { severity: 'error', description: 'An import into the project was cut short: some of its files may be missing or hold their previous content.' },
  // YAML
  'yaml-syntax': { severity: 'error', description: 'YAML syntax error, at the position the YAML parser gives.' },
  'duplicate-key': { severity: 'error', description: 'The same key twice in one YAML mapping.' },
  'yaml-limit': { severity: 'error', description: 'YAML too deeply nested or with too many aliases (resource exhaustion).' },
  'unknown-key': { severity: 'error', description: 'A key the format does not know (with a "did you mean").' },
  'invalid-type': { severity: 'error', description: 'A value of the wrong type (a list where text is expected…).' },
  'invalid-value': { severity: 'error', description: 'A value outside what the format allows.' },
  'missing-key': { severity: 'error', description: 'A required key is missing.' },
  // Codebook
  'missing-label': { severity: 'error', description: 'A code without a label.' },
  'invalid-id': { severity: 'error', description: 'An id that is not a plain name: a code id (ASCII letters, digits, - and _), a transcript, codebook, respondent or attribute id (letters, digits, - _ . between them); or an attribute value with a control character.' },
  'duplicate-code-id': { severity: 'error', description: 'Two codes with the same full id.' },
  'missing-definition': { severity: 'warning', description: 'A code without a definition.' },
  'duplicate-keyword': { severity: 'warning', description: 'The same keyword (after stemming) in two codes.' },
  'invalid-keyword': { severity: 'error', description: 'A keyword that has no word in it.' },
  'invalid-pattern': { severity: 'error', description: 'A regular expression in `patterns` that does not compile.' },
  'unsafe-pattern': { severity: 'error', description: 'A regular expression that can backtrack catastrophically.' },
  'broad-keyword': { severity: 'warning', description: 'A keyword whose stem also catches very frequent words of the corpus.' },
  'unused-code': { severity: 'warning', description: 'A leaf code that no segment carries, by hand or automatically.' },
  'no-codebook': { severity: 'error', description: 'The project has no codebook.' },
  'multiple-codebooks': { severity: 'error', description: 'Several codebooks and none chosen.' },
  // Panel and transcripts
  'unknown-attribute': { severity: 'error', description: 'An attribute that the panel does not declare.' },
  'unknown-attribute-value': { severity: 'error', description: 'An attribute value that the panel does not declare.' },
  'missing-attribute': { severity: 'warning', description: 'A respondent without a value for a panel attribute.' },
  'attribute-conflict': { severity: 'error', description: 'The transcript and the panel table give different values.' },
  'duplicate-respondent': { severity: 'error', description: 'The same respondent twice in the panel table.' },
  'unknown-respondent': { severity: 'warning', description: 'A panel row for which there is no transcript.' },
  'duplicate-transcript-id': { severity: 'error', description: 'Two transcripts with the same id.' },
  'no-transcripts': { severity: 'error', description: 'The corpus folder holds no transcript.' },
  'no-respondent-text': { severity: 'error', description: 'A transcript with no respondent paragraph.' },
  'unknown-speaker': { severity: 'warning', description: 'A speaker label (any bold label, or a usual one such as Enquêteur) that `speakers` does not declare.' },
  'missing-respondent-label': { severity: 'warning', description: 'A transcript without a `label` for reports.' },
  'invalid-date': { severity: 'error', description: 'A date that is not YYYY-MM-DD.' },
  'marker-syntax': { severity: 'error', description: 'A malformed coding marker (unclosed brace or bracket, unmatched begin/end).' },
  'duplicate-marker': { severity: 'warning', description: 'The same code marked twice on one paragraph, or the same span twice: the repeat counts once.' },
  'ignored-marker': { severity: 'warning', description: 'A coding marker in a paragraph that is not coded (an interviewer paragraph).' },
  'unknown-code': { severity: 'error', description: 'A marker, plan or option naming a code the codebook does not have.' },
  'stale-reject': { severity: 'warning', description: 'A `{!code}` rejection where the code is not auto-coded any more.' },
  // Reports and privacy
  'unreviewed-quote': { severity: 'warning', description: 'A generated report quotes an automatic coding nobody has reviewed (accepted or rejected).' },
  'redaction-leak': { severity: 'error', description: 'A redacted string appears in a generated report or export.' },
  'invalid-output': { severity: 'error', description: "A plan's `output` that is absolute, leads outside the project, or names a project input (a transcript, the panel, a codebook, a plan, verbatim.yaml)." },
  'redacted-id': { severity: 'warning', description: 'An id (of a transcript, code, attribute or value) that holds a redacted string: outputs mask it, exports refuse it.' },
  'tracked-redactions': { severity: 'warning', description: 'The private redaction list `.verbatim/redact.txt` is tracked by git.' },
} as const satisfies Record<string, RuleInfo>;

export type RuleId = keyof typeof RULES;

/** True when a string is a known rule id. */
export function isRuleId(id: string): id is RuleId {
  return Object.prototype.hasOwnProperty.call(RULES, id);
}
