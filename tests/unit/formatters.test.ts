import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/core/diagnostic.js';
import { github, json, stylish, unix } from '../../src/formatters/index.js';

const d: Diagnostic[] = [
  { file: 'corpus/E1.md', line: 3, column: 7, endLine: 3, endColumn: 12, range: [20, 25], severity: 'error', ruleId: 'unknown-code', message: 'Unknown code `a.b`; did you mean `a.c`?' },
  { file: 'corpus/E1.md', line: 10, column: 1, severity: 'warning', ruleId: 'missing-attribute', message: 'No value for `role`.', note: 'A note.' },
  { file: 'codebooks/c.yaml', line: 1, column: 1, severity: 'warning', ruleId: 'unused-code', message: 'Line one,\nline: two 100%' },
];

describe('formatters', () => {
  it('unix: file:line:col: message [rule], one line per diagnostic (a line break written \\n)', () => {
    expect(unix(d)).toBe(
      'corpus/E1.md:3:7: Unknown code `a.b`; did you mean `a.c`? [unknown-code]\n' +
        'corpus/E1.md:10:1: No value for `role`. [missing-attribute]\n' +
        'codebooks/c.yaml:1:1: Line one,\\nline: two 100% [unused-code]\n',
    );
  });

  it('stylish: grouped by file, aligned, summary, no ANSI codes without colour', () => {
    const out = stylish(d, { color: false });
    expect(out).not.toMatch(/\x1b\[/);
    expect(out.split('\n').slice(0, 4)).toEqual([
      'corpus/E1.md',
      '  3:7   error    Unknown code `a.b`; did you mean `a.c`?  unknown-code',
      '  10:1  warning  No value for `role`.  missing-attribute',
      '                 A note.',
    ]);
    expect(out).toContain('✖ 3 problems (1 error, 2 warnings)');
    expect(stylish([], { color: false })).toBe('');
  });

  it('stylish: colour only when asked', () => {
    expect(stylish(d, { color: true })).toMatch(/\x1b\[/);
  });

  it('json: stable keys, end positions default to the start', () => {
    const rows = JSON.parse(json(d)) as Record<string, unknown>[];
    expect(Object.keys(rows[0]!)).toEqual(['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'ruleId', 'message']);
    expect(rows[1]).toMatchObject({ endLine: 10, endColumn: 1, note: 'A note.' });
  });

  it('github: workflow commands with escaped data and properties', () => {
    const lines = github(d).trimEnd().split('\n');
    expect(lines[0]).toBe('::error file=corpus/E1.md,line=3,col=7,endLine=3,endColumn=12,title=unknown-code::Unknown code `a.b`; did you mean `a.c`?');
    expect(lines[2]).toBe('::warning file=codebooks/c.yaml,line=1,col=1,title=unused-code::Line one,%0Aline: two 100%25');
  });
});
