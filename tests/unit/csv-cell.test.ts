/** CSV cells that a spreadsheet would run as formulas get a leading `'`; numbers do not. */
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../src/exchange/csv.js';

describe('csvCell', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+cmd', "'+cmd"],
    ['-1 point', "'-1 point"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['＝1', "'＝1"],
    ['-12.5', '-12.5'],
    ['+33', '+33'],
    ['-1,5', '-1,5'],
    ['1e-3', '1e-3'],
    ['a=b', 'a=b'],
    [' =1', ' =1'],
    ['', ''],
  ])('%j', (cell, expected) => {
    expect(csvCell(cell)).toBe(expected);
  });

  it('leaves numbers and fills undefined', () => {
    expect(csvCell(-3)).toBe(-3);
    expect(csvCell(undefined)).toBe('');
    expect(toCsv([['a', '=b', -1], ['"=c"', undefined, '-d']])).toBe('a,\'=b,-1\n"""=c""",,\'-d\n');
  });
});
