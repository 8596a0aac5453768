/**
 * Verbatim writes CSV itself (src/exchange/csv.ts, `toCsv`): what csv-stringify,
 * which it used before, wrote for the same rows, whatever the cells.
 */
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../src/exchange/csv.js';
import { nastyString, RUNS } from './helpers.js';

const cell = fc.oneof(nastyString, fc.constantFrom('', ',', '"', '\n', '\r', '\r\n', '=1', '-1', ' ', '""', 'a,b', 'x"y'), fc.integer(), fc.double(), fc.constant(undefined), fc.constant(-0));
const rows = fc.array(fc.array(cell, { maxLength: 8 }), { maxLength: 6 });

describe('the CSV writer', () => {
  it('writes what csv-stringify wrote', () => {
    fc.assert(
      fc.property(rows, (r) => {
        expect(toCsv(r)).toBe(stringify(r.map((row) => row.map(csvCell)), { record_delimiter: '\n' }));
      }),
      { numRuns: RUNS.random * 4 },
    );
  });
});
