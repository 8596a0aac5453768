/**
 * Necessary literals of a pattern, so that `tag` can skip, without decoding
 * it, a paragraph that no pattern can match (as RE2 and Hyperscan prefilter
 * regular expressions).
 *
 * `requiredLiterals(source)` gives lower-case ASCII strings such that every
 * match of the pattern (compiled with the `iu` flags, as the matcher does)
 * contains at least one of them, ignoring ASCII case; undefined when it finds
 * none. Only what must be matched literally counts: a run of literal ASCII
 * characters, or a group of alternatives that each has such a run. Anything
 * else (classes, escapes, `.`, optional or repeated parts, lookarounds) only
 * ends a run, which keeps the answer safe.
 *
 * One Unicode subtlety: with `iu`, `s` also matches `ſ` (U+017F) and `k` the
 * Kelvin sign (U+212A). Callers treat text holding either as matching.
 */
import { append, minOf } from '../core/arrays.js';
import type { LiteralAutomaton } from './wasm-scanner.js';

/** A requirement: at least one of these strings occurs in every match. */
type AnyOf = string[];

/** Characters with a syntactic meaning outside classes. */
const SYNTAX = new Set(['\\', '^', '$', '.', '|', '?', '*', '+', '(', ')', '[', ']', '{', '}']);

/** The characters a literal may hold: printable ASCII. */
function isLiteralAscii(c: string): boolean {
  const code = c.charCodeAt(0);
  return c.length === 1 && code >= 0x20 && code < 0x7f;
}

/** Necessary literals of a pattern (see the module comment), or undefined. */
export function requiredLiterals(source: string): string[] | undefined {
  try {
    const r = alternatives(source, 0, source.length);
    return r && r.every((s) => s.length > 0) ? [...new Set(r)] : undefined;
  } catch {
    return undefined;
  }
}

/** The requirement of `source[from, to)`, a list of branches separated by top-level `|`. */
function alternatives(source: string, from: number, to: number): AnyOf | undefined {
  const out: string[] = [];
  for (const [a, b] of splitBranches(source, from, to)) {
    const r = sequence(source, a, b);
    if (!r) return undefined;
    append(out, r);
  }
  return out;
}

/** Top-level `|` positions of `source[from, to)` (outside groups and classes). */
function splitBranches(source: string, from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < to; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(source, i);
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push([start, i]);
      start = i + 1;
    }
  }
  out.push([start, to]);
  return out;
}

/** The index of the `]` closing the class opened at `at`. */
function classEnd(source: string, at: number): number {
  for (let i = at + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === ']') return i;
  }
  throw new Error('unclosed class');
}

/** The index of the `)` closing the group opened at `at`. */
function groupEnd(source: string, at: number): number {
  let depth = 0;
  for (let i = at; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(source, i);
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  throw new Error('unclosed group');
}

/** The end of the escape starting at `at` (the backslash). */
function escapeEnd(source: string, at: number): number {
  const c = source[at + 1] ?? '';
  if ((c === 'p' || c === 'P' || c === 'u') && source[at + 2] === '{') return source.indexOf('}', at) + 1 || source.length;
  if (c === 'u') return at + 6;
  if (c === 'x') return at + 4;
  if (c === 'c') return at + 3;
  if (c === 'k' && source[at + 2] === '<') return source.indexOf('>', at) + 1 || source.length;
  if (/[0-9]/.test(c)) {
    let i = at + 1;
    while (/[0-9]/.test(source[i] ?? '')) i++;
    return i;
  }
  return at + 2;
}

/** A quantifier at `at`: its end, and whether it allows zero repetitions; undefined when there is none. */
function quantifier(source: string, at: number): { end: number; optional: boolean } | undefined {
  const c = source[at];
  let end: number;
  let optional: boolean;
  if (c === '?' || c === '*' || c === '+') {
    end = at + 1;
    optional = c !== '+';
  } else if (c === '{') {
    const close = source.indexOf('}', at);
    if (close < 0) return undefined;
    const min = Number(/^\{(\d+)/.exec(source.slice(at, close + 1))?.[1] ?? 0);
    end = close + 1;
    optional = min === 0;
  } else return undefined;
  if (source[end] === '?') end++; // lazy
  return { end, optional };
}

/** The literal ASCII characters that a branch starts with, lower-cased ('' when it starts otherwise). */
function leadingRun(source: string, from: number, to: number): string {
  let run = '';
  for (let i = from; i < to; i++) {
    const c = source[i] as string;
    if (SYNTAX.has(c) || !isLiteralAscii(c)) break;
    // A quantified character may be absent or repeated: the run stops before it.
    if (quantifier(source, i + 1)) break;
    run += c.toLowerCase();
  }
  return run;
}

/**
 * The best requirement of a branch: every literal run and every required
 * group of the branch must occur, so any one of them will do; the one whose
 * shortest string has the most letters is the most selective.
 */
function sequence(source: string, from: number, to: number): AnyOf | undefined {
  const candidates: AnyOf[] = [];
  let run = '';
  const endRun = (): void => {
    if (run !== '') candidates.push([run]);
    run = '';
  };
  let i = from;
  while (i < to) {
    const c = source[i] as string;
    if (c === '(') {
      const close = groupEnd(source, i);
      const q = quantifier(source, close + 1);
      const before = run;
      endRun();
      // Plain, non-capturing and named groups are looked into; lookarounds and modifiers (`(?-i:…)`) are not.
      const named = source.startsWith('(?<', i) && !source.startsWith('(?<=', i) && !source.startsWith('(?<!', i);
      const plain = source[i + 1] !== '?' || source.startsWith('(?:', i) || named;
      if (plain && !q?.optional) {
        let inner = i + 1;
        if (source.startsWith('?:', inner)) inner += 2;
        else if (named) inner = source.indexOf('>', inner) + 1;
        const r = alternatives(source, inner, close);
        if (r && r.every((s) => s.length > 0)) candidates.push(r);
        // `la (française|rigueur)`: the run before the group goes on into each branch's leading run (`la fran`, `la rigueur`).
        const leads = before === '' ? [] : splitBranches(source, inner, close).map(([a, b]) => leadingRun(source, a, b));
        if (leads.length > 0 && leads.every((l) => l !== '')) candidates.push(leads.map((l) => before + l));
      }
      i = q ? q.end : close + 1;
      continue;
    }
    if (c === '[' || c === '\\' || c === '.' || c === '^' || c === '$') {
      // A class or an escape: not a literal we can search for (escaped punctuation included, to stay simple).
      endRun();
      const end = c === '[' ? classEnd(source, i) + 1 : c === '\\' ? escapeEnd(source, i) : i + 1;
      const q = quantifier(source, end);
      i = q ? q.end : end;
      continue;
    }
    if (SYNTAX.has(c) || !isLiteralAscii(c)) {
      // A non-ASCII literal, or stray syntax: ends the run (a quantifier after it is skipped with it).
      endRun();
      const q = quantifier(source, i + 1);
      i = q ? q.end : i + 1;
      continue;
    }
    const q = quantifier(source, i + 1);
    if (q) {
      // `ab?c`: `b` may be absent; `ab+c`: `b` is there once, but what follows is not next to `a`.
      if (!q.optional) run += c.toLowerCase();
      endRun();
      i = q.end;
      continue;
    }
    run += c.toLowerCase();
    i++;
  }
  endRun();
  let best: AnyOf | undefined;
  let bestScore = -1;
  for (const r of candidates) {
    // Letters and digits make a literal rare; spaces and punctuation hardly do; at equal length, fewer literals are better.
    const score = minOf(r.map((s) => s.replace(/[^a-z0-9]/g, '').length * 100 + s.length)) * 8 - Math.min(r.length, 7);
    if (score > bestScore) {
      best = r;
      bestScore = score;
    }
  }
  return best;
}

/**
 * An Aho-Corasick automaton that finds ASCII literals in bytes, ignoring
 * ASCII case: `table[state * 256 + byte]` is the next state, `final[state]`
 * is 1 where a literal ends. Run by the WebAssembly scanner.
 */
export function literalAutomaton(literals: readonly string[]): LiteralAutomaton {
  const lower = (b: number): number => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b);
  const children: Map<number, number>[] = [new Map()];
  const ends: boolean[] = [false];
  for (const literal of literals) {
    let state = 0;
    for (let i = 0; i < literal.length; i++) {
      const b = lower(literal.charCodeAt(i));
      const row = children[state] as Map<number, number>;
      let n = row.get(b);
      if (n === undefined) {
        n = children.length;
        children.push(new Map());
        ends.push(false);
        row.set(b, n);
      }
      state = n;
    }
    ends[state] = true;
  }
  if (children.length > 0xffff) throw new Error('Too many pattern literals.');
  const table = new Uint16Array(children.length * 256);
  const fail = new Int32Array(children.length);
  // Breadth first: a state's failure link is shallower, so its row is complete when needed.
  const queue = [0];
  for (let q = 0; q < queue.length; q++) {
    const s = queue[q] as number;
    if (s !== 0 && ends[fail[s] as number]) ends[s] = true;
    const row = children[s] as Map<number, number>;
    for (const [b, n] of row) {
      fail[n] = s === 0 ? 0 : (table[(fail[s] as number) * 256 + b] as number);
      queue.push(n);
    }
    for (let b = 0; b < 256; b++) table[s * 256 + b] = row.get(lower(b)) ?? (s === 0 ? 0 : (table[(fail[s] as number) * 256 + b] as number));
  }
  // The bytes at offsets 0 and 1 of the literals, in either ASCII case (for the scanner's skip loop).
  const at = (k: number): number[] => {
    const bytes = new Set<number>();
    for (const literal of literals) {
      if (k >= literal.length) continue;
      const b = lower(literal.charCodeAt(k));
      bytes.add(b);
      if (b >= 0x61 && b <= 0x7a) bytes.add(b & ~0x20);
    }
    return [...bytes].sort((x, y) => x - y);
  };
  const kept = literals.filter((l) => l.length > 0);
  return { table, final: Uint8Array.from(ends, (e) => (e ? 1 : 0)), firsts: at(0), seconds: kept.every((l) => l.length >= 2) ? at(1) : undefined, literals: kept };
}
