/** The optional project configuration, `verbatim.yaml`. */
import type { SourceFile } from '../core/source-file.js';
import { isRuleId } from '../core/rules.js';
import { didYouMean } from '../core/suggest.js';
import { RULES } from '../core/rules.js';
import { validateSchema } from '../yaml/schema.js';
import { parseYaml } from '../yaml/yaml-source.js';
import { DEFAULT_SPEAKERS, type Config, type Role, type RuleSetting } from './model.js';
import { redactStrings } from './redact-list.js';
import { isInterviewerWord, warnInterviewerAsRespondent } from './transcript.js';

/** The configuration of a project without `verbatim.yaml`. */
export function defaultConfig(): Config {
  return { language: 'fr', corpus: 'corpus', reports: 'reports', speakers: { ...DEFAULT_SPEAKERS }, codeInterviewer: false, redact: [], rules: {}, positions: new Map() };
}

/** Parses `verbatim.yaml`; invalid entries are reported and fall back to defaults. */
export function parseConfig(file: SourceFile): Config {
  const config: Config = { ...defaultConfig(), file: file.path };
  const yaml = parseYaml(file);
  if (!yaml) return config;
  validateSchema('config', yaml, file, (path) => (path.length === 0 ? '`verbatim.yaml`' : `\`${path.join('.')}\` of \`verbatim.yaml\``));
  const data = typeof yaml.data === 'object' && yaml.data !== null && !Array.isArray(yaml.data) ? (yaml.data as Record<string, unknown>) : {};
  if (data.language === 'fr' || data.language === 'en') config.language = data.language;
  for (const key of ['corpus', 'panel', 'codebook', 'reports'] as const) {
    const v = data[key];
    if (typeof v === 'string' && v.trim() !== '') {
      config[key] = v.trim().replace(/\/+$/, '');
      const r = yaml.range([key]);
      if (r) config.positions.set(key, r);
    }
  }
  if (typeof data.speakers === 'object' && data.speakers !== null && !Array.isArray(data.speakers)) {
    config.speakers = data.speakers as Record<string, Role>;
    for (const [label, role] of Object.entries(config.speakers)) {
      if (role === 'respondent' && isInterviewerWord(label)) warnInterviewerAsRespondent(file, label, yaml.nearest(['speakers', label]));
    }
  }
  if (typeof data.code_interviewer === 'boolean') config.codeInterviewer = data.code_interviewer;
  config.redact = redactStrings(data.redact);
  if (typeof data.rules === 'object' && data.rules !== null) {
    for (const [id, setting] of Object.entries(data.rules as Record<string, unknown>)) {
      if (!isRuleId(id)) {
        file.report('unknown-key', `Unknown rule \`${id}\` under \`rules\`${didYouMean(id, Object.keys(RULES)) || '; `verbatim check --help` lists the rules.'}`, yaml.nearest(['rules', id], 'key'));
        continue;
      }
      if (setting === 'off' || setting === 'info' || setting === 'warning' || setting === 'error') config.rules[id] = setting as RuleSetting;
    }
  }
  return config;
}
