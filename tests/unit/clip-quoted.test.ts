/** Quoted values clipped in shown diagnostics (src/core/diagnostic.ts), as every formatter shows them. */
import { describe, expect, it } from 'vitest';
import { clipQuoted, MAX_MESSAGE, MAX_QUOTED, shownDiagnostic, type Diagnostic } from '../../src/core/diagnostic.js';
import { github, json, stylish, unix } from '../../src/formatters/index.js';

const diagnostic = (message: string, note?: string): Diagnostic => ({ file: 'corpus/A1.md', line: 1, column: 1, severity: 'error', ruleId: 'invalid-value', message, ...(note ? { note } : {}) });

describe('clipQuoted', () => {
  it('leaves ordinary messages alone, long prose included', () => {
    const prose = `The plan's \`output\` names the panel, which the report would replace; ${'a plan’s report goes inside the project, '.repeat(3)}give a path such as \`reports/report.md\`.`;
    expect(clipQuoted(prose)).toBe(prose);
    expect(clipQuoted(`Unknown key \`${'k'.repeat(MAX_QUOTED)}\`.`)).toBe(`Unknown key \`${'k'.repeat(MAX_QUOTED)}\`.`);
  });

  it('clips each quoted value over 80 characters to 79 and `…`, and only those', () => {
    expect(clipQuoted(`Unknown key \`${'k'.repeat(81)}\` in \`codes[0]\`; did you mean \`${'m'.repeat(200)}\`?`)).toBe(`Unknown key \`${'k'.repeat(79)}…\` in \`codes[0]\`; did you mean \`${'m'.repeat(79)}…\`?`);
  });

  it('never cuts a surrogate pair in two', () => {
    // 79 code units kept: the pair ends at the 79th.
    expect(clipQuoted(`Role \`${'x'.repeat(77)}😀😀😀\`.`)).toBe(`Role \`${'x'.repeat(77)}😀…\`.`);
    // The 79th unit begins a pair: 78 are kept.
    const clipped = clipQuoted(`Role \`${'x'.repeat(76)}😀😀😀\`.`);
    expect(clipped).toBe(`Role \`${'x'.repeat(76)}😀…\`.`);
    expect(clipped).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('clips a whole message over 1,000 characters when its backticks do not pair (a value with backticks of its own)', () => {
    const message = `Unknown key \`${'`a'.repeat(100_000)}\` in \`codes[0]\`.`;
    const clipped = clipQuoted(message);
    expect(clipped.length).toBe(MAX_MESSAGE);
    expect(clipped.endsWith('…')).toBe(true);
    expect(clipped.startsWith('Unknown key `')).toBe(true);
  });
});

describe('the formatters show clipped values', () => {
  const d = [diagnostic(`Unknown key \`${'k'.repeat(5000)}\`.`, `Known keys: \`${'n'.repeat(5000)}\`.`)];
  it.each([
    ['unix', unix(d)],
    ['stylish', stylish(d, { color: false })],
    ['json', json(d)],
    ['github', github(d)],
  ])('%s', (_, out) => {
    expect(out).toContain(`\`${'k'.repeat(79)}…\``);
    expect(out).not.toContain('k'.repeat(80));
    expect(out).not.toContain('n'.repeat(80));
  });

  it('shownDiagnostic returns the same object when nothing is clipped', () => {
    const plain = diagnostic('Unknown code `a.b`; did you mean `a.c`?', 'A note.');
    expect(shownDiagnostic(plain)).toBe(plain);
  });
});
