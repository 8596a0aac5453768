/** The tolerant reader of `redact` lists in YAML that does not parse, and the parsed value's strings. */
import { describe, expect, it } from 'vitest';
import { readRedactList, redactStrings } from '../../src/project/redact-list.js';

describe('readRedactList', () => {
  it.each([
    ['a flow list', 'id: A1\nredact: ["Zoé Martin", \'O\'\'Brien\', Paul Bert]\nlabel: "unclosed\n', ['Zoé Martin', "O'Brien", 'Paul Bert']],
    ['a flow list over lines, with comments', 'redact: [Zoé Martin, # the mayor\n  "Paul \\"P\\" Bert",\n  Hélène]\n', ['Zoé Martin', 'Paul "P" Bert', 'Hélène']],
    ['an unclosed flow list', 'redact: [Zoé Martin, Paul Bert\nattributes: {role: x\n', ['Zoé Martin', 'Paul Bert attributes: {role: x']],
    ['a block list', 'redact:\n  - Zoé Martin\n\n  # a comment\n  - "Paul Bert"  # trailing\n- Hélène\nlabel: x\n', ['Zoé Martin', 'Paul Bert', 'Hélène']],
    ['a single value with commas', 'redact: Zoé Martin, Paul Bert\n', ['Zoé Martin, Paul Bert', 'Zoé Martin', 'Paul Bert']],
    ['a quoted key and escapes', '"redact": ["H\\u00e9l\\u00e8ne", "a\\x41"]\n', ['Hélène', 'aA']],
    ['two keys (a duplicate-key error)', 'redact: [A]\nredact: [B]\n', ['A', 'B']],
    ['not a nested key, nor a longer one', 'speakers:\n  redact: [X]\nredacted: [Y]\n', []],
  ])('%s', (_name, yaml, expected) => {
    expect(readRedactList(yaml)).toEqual(expected);
  });
});

describe('redactStrings', () => {
  it('reads lists, a single string, numbers; drops blanks and other values', () => {
    expect(redactStrings(['Zoé', 12, ' ', null, { a: 1 }])).toEqual(['Zoé', '12']);
    expect(redactStrings('Zoé Martin')).toEqual(['Zoé Martin']);
    expect(redactStrings(undefined)).toEqual([]);
  });
});
