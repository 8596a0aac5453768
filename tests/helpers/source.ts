import { SourceFile } from '../../src/core/source-file.js';

/** Removes the common indentation of a template literal, as eemeli/yaml's tests do. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n[ \t]*$/, '\n').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/** A SourceFile from inline text. */
export function source(text: string, path = 'corpus/T1.md'): SourceFile {
  return new SourceFile(path, text);
}

/** "line:column rule" for each message, for compact assertions. */
export function where(file: SourceFile): string[] {
  return file.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`);
}
