/**
 * Panel parsers: the attribute definitions (YAML, the "classification sheet")
 * and respondents' values, from YAML or from a CSV table kept in a spreadsheet.
 */
import { createRequire } from 'node:module';
import type * as CsvParse from 'csv-parse/sync';
import { checkId, checkValue } from '../core/ids.js';
import type { SourceFile } from '../core/source-file.js';
import { validateSchema } from '../yaml/schema.js';
import { parseYaml } from '../yaml/yaml-source.js';
import type { Attribute, Panel, PanelRow } from './model.js';

/** Parses `panel.yaml`. */
export function parsePanelYaml(file: SourceFile): Panel | undefined {
  const yaml = parseYaml(file);
  if (!yaml) return undefined;
  validateSchema('panel', yaml, file, (path) =>
    path[0] === 'attributes' && path.length >= 2 ? `attribute \`${String(path[1])}\`` : path.length === 0 ? 'the panel' : `\`${path.join('.')}\``,
  );
  const data = isRecord(yaml.data) ? yaml.data : {};
  const attributes: Attribute[] = [];
  if (isRecord(data.attributes)) {
    for (const [id, raw] of Object.entries(data.attributes)) {
      const def = isRecord(raw) ? raw : {};
      checkId(file, id, 'The attribute id', yaml.nearest(['attributes', id], 'key'));
      const values: Attribute['values'] = [];
      if (Array.isArray(def.values)) {
        def.values.forEach((v, i) => {
          if (typeof v !== 'string' && typeof v !== 'number') return;
          values.push({ id: String(v), label: String(v) });
          checkValue(file, String(v), id, yaml.nearest(['attributes', id, 'values', i]));
        });
      } else if (isRecord(def.values)) {
        for (const [v, label] of Object.entries(def.values)) {
          values.push({ id: v, label: typeof label === 'string' || typeof label === 'number' ? String(label) : v });
          checkValue(file, v, id, yaml.nearest(['attributes', id, 'values', v], 'key'));
        }
      }
      attributes.push({
        id,
        label: typeof def.label === 'string' ? def.label : id,
        ...(typeof def.description === 'string' ? { description: def.description } : {}),
        values,
        range: yaml.nearest(['attributes', id], 'key'),
      });
    }
  }
  const rows: PanelRow[] = [];
  if (isRecord(data.respondents)) {
    for (const [id, raw] of Object.entries(data.respondents)) {
      checkId(file, id, 'The respondent id', yaml.nearest(['respondents', id], 'key'));
      if (!isRecord(raw)) continue;
      const values: Record<string, string> = {};
      const valueRanges: Record<string, readonly [number, number]> = {};
      for (const [k, v] of Object.entries(raw)) {
        if (v === null || typeof v === 'object') continue;
        values[k] = String(v);
        valueRanges[k] = yaml.nearest(['respondents', id, k]);
        checkValue(file, values[k], k, valueRanges[k]);
      }
      rows.push({ file: file.path, id, values, range: yaml.nearest(['respondents', id], 'key'), valueRanges });
    }
  }
  return { file: file.path, attributes, rows };
}

/**
 * Parses a panel table: one row per respondent, the first column its id, one
 * column per attribute. Comma, semicolon (French spreadsheets) or tab.
 * Without a YAML panel, attributes and their values are inferred from it, in
 * order of first appearance.
 */
export function parsePanelCsv(file: SourceFile, declared?: Panel): Panel | undefined {
  const header = file.text.split(/\r\n|\n|\r/, 1)[0] ?? '';
  const delimiter = [';', '\t', ','].reduce((best, d) => (count(header, d) > count(header, best) ? d : best), ',');
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // csv-parse, loaded on first use: most projects have a YAML panel or none.
    const parseCsvText = (createRequire(import.meta.url)('csv-parse/sync') as typeof CsvParse).parse;
    records = parseCsvText(file.text, { delimiter, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    const offset = file.lines.offset({ line, column: 1 });
    file.fail('yaml-syntax', `The CSV table cannot be read: ${(error as Error).message.replace(/\.$/, '')}.`, [offset, offset]);
    return undefined;
  }
  const [head, ...body] = records;
  if (!head) return { file: file.path, attributes: declared?.attributes ?? [], rows: [] };
  const columns = head.record.slice(1).map((c) => c.trim());
  for (const column of columns) {
    const at = header.indexOf(column);
    checkId(file, column, 'The column name (an attribute id)', at < 0 ? [0, 0] : [at, at + column.length]);
  }
  const inferred = new Map<string, Attribute>();
  const rows: PanelRow[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of body) {
    const id = (record[0] ?? '').trim();
    const lineStart = file.lines.offset({ line: info.lines, column: 1 });
    const lineText = file.text.slice(lineStart).split(/\r\n|\n|\r/, 1)[0] ?? '';
    const cell = (value: string): readonly [number, number] => {
      const i = value === '' ? -1 : lineText.indexOf(value);
      return i < 0 ? [lineStart, lineStart] : [lineStart + i, lineStart + i + value.length];
    };
    if (id === '') continue;
    const first = seen.get(id);
    if (first !== undefined) {
      file.report('duplicate-respondent', `Respondent \`${id}\` appears twice in the panel table (first on line ${first}); merge the rows.`, cell(id));
      continue;
    }
    seen.set(id, info.lines);
    checkId(file, id, 'The respondent id', cell(id));
    const values: Record<string, string> = {};
    const valueRanges: Record<string, readonly [number, number]> = {};
    columns.forEach((column, i) => {
      const v = (record[i + 1] ?? '').trim();
      if (v === '') return;
      values[column] = v;
      valueRanges[column] = cell(v);
      checkValue(file, v, column, valueRanges[column]);
      let a = inferred.get(column);
      if (!a) {
        a = { id: column, label: column, values: [], range: [0, 0] };
        inferred.set(column, a);
      }
      if (!a.values.some((x) => x.id === v)) a.values.push({ id: v, label: v });
    });
    rows.push({ file: file.path, id, values, range: cell(id), valueRanges });
  }
  return { file: declared?.file ?? file.path, attributes: declared?.attributes ?? [...inferred.values()], rows: [...(declared?.rows ?? []), ...rows] };
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
