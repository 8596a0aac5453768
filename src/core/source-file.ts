import type { Diagnostic, Severity } from './diagnostic.js';
import { LineIndex } from './location.js';
import { RULES, type RuleId } from './rules.js';

/** Options of one reported message. */
export interface ReportOptions {
  /** Overrides the rule's default severity. */
  severity?: Severity;
  note?: string;
}

/**
 * One input file and the diagnostics found in it (like a vfile). Parsers never
 * throw on user mistakes: they report here and carry on.
 */
export class SourceFile {
  readonly messages: Diagnostic[] = [];
  /** Set when the file is unusable; the other files still run. */
  fatal = false;
  private index: LineIndex | undefined;

  /**
   * @param path
   *   Path relative to the project root, `/`-separated (used in messages).
   * @param text
   *   The decoded text, BOM removed.
   */
  constructor(
    readonly path: string,
    readonly text: string,
  ) {}

  /** The line index of the text, built on first use. */
  get lines(): LineIndex {
    this.index ??= new LineIndex(this.text);
    return this.index;
  }

  /**
   * Records a diagnostic.
   *
   * @param ruleId
   *   Stable rule id; gives the default severity.
   * @param message
   *   What is wrong and what to do.
   * @param range
   *   `[start, end)` offsets in the text; omitted for the whole file (1:1).
   */
  report(ruleId: RuleId, message: string, range?: readonly [number, number], options: ReportOptions = {}): Diagnostic {
    // Clamped to the text: a parser's position past the end (an unclosed quote at the last character) still points at the file.
    const start = Math.max(0, Math.min(range?.[0] ?? 0, this.text.length));
    const end = Math.max(start, Math.min(range?.[1] ?? 0, this.text.length));
    const from = this.lines.point(start);
    const to = this.lines.point(Math.max(start, end));
    const diagnostic: Diagnostic = {
      file: this.path,
      line: from.line,
      column: from.column,
      endLine: to.line,
      endColumn: to.column,
      ...(range ? { range: [start, Math.max(start, end)] as const } : {}),
      severity: options.severity ?? RULES[ruleId].severity,
      ruleId,
      message,
      ...(options.note ? { note: options.note } : {}),
    };
    this.messages.push(diagnostic);
    return diagnostic;
  }

  /** Records an error that makes the file unusable. */
  fail(ruleId: RuleId, message: string, range?: readonly [number, number], options: ReportOptions = {}): Diagnostic {
    this.fatal = true;
    return this.report(ruleId, message, range, options);
  }
}

/**
 * The files by path, the first one of a path winning (as `files.find` would):
 * a lookup per transcript or panel row instead of a search of every file,
 * which is quadratic on a large corpus.
 */
export function byPath(files: readonly SourceFile[]): Map<string, SourceFile> {
  const out = new Map<string, SourceFile>();
  for (const f of files) if (!out.has(f.path)) out.set(f.path, f);
  return out;
}
