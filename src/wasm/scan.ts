/**
 * The word scanner of src/coding/scanner.ts, in AssemblyScript, run on the
 * UTF-8 bytes of a transcript body: the hot loop of `verbatim tag`. On these
 * machines the same loop in JavaScript takes about 1.5 times as long (14 to
 * 19 ns per byte against 10 to 13), and the scan is most of the work (see
 * README, Performance). Compiled by `npm run build` to dist/wasm/scan.wasm; the
 * loader is src/coding/wasm-scanner.ts, and tests/property/wasm-scanner.test.ts
 * checks that both scanners find the same words and candidates.
 *
 * It finds the same words as the string scanner (letters, digits and marks,
 * joined by apostrophes; French elisions split off, an English final `'s`
 * dropped), walks the same prefix trie, and gives each candidate word a
 * form id from a hash table of the word forms seen so far, so that the
 * caller looks keywords up once per form, not once per occurrence. Forms
 * that differ only in the case of ASCII letters (`Pour`, `pour`, `POUR`)
 * share an id: keyword matching folds case anyway, and the id keeps the
 * bytes of the first one seen.
 *
 * Everything lives in linear memory at offsets the loader chooses.
 */

// Tables: character classes (u8 per UTF-16 code unit), trie symbols (i16 per code unit, -3 when the
// loader has not computed it yet), trie transitions (i32 per node and symbol) and terminal flags (u8).
let CLS: usize = 0;
let SYM: usize = 0;
let NEXT: usize = 0;
let TERM: usize = 0;
let WIDTH: i32 = 0;
let ROOT: i32 = 0;
// The trie's state after each word's first three ASCII letters, or its one or two letters and the end
// symbol (i32, (width + 1)³ entries: -1 a candidate, 0 dead, else the node); 0 when the loader has none.
let PREFIXES: usize = 0;

// Output: token starts and ends (i32), and the candidate tokens with their form ids (i32 pairs).
let STARTS: usize = 0;
let ENDS: usize = 0;
let HITS: usize = 0;
// u8 per form id: 1 for the forms the caller knows hold no keyword (no hit is written for them).
let SKIP: usize = 0;
let nHits: i32 = 0;

// Word forms: open-addressing slots of 16 bytes (hash, id + 1 or 0 when empty, length, start in the
// arena), so that a lookup reads one slot and the key's bytes; per form id its start and length (for
// the loader), and the arena of their bytes.
let SLOTS: usize = 0;
let SLOT_MASK: i32 = 0;
let FORM_START: usize = 0;
let FORM_LEN: usize = 0;
let FORM_CAP: i32 = 0;
let nForms: i32 = 0;
let ARENA: usize = 0;
let ARENA_CAP: i32 = 0;
let arenaUsed: i32 = 0;

// Recent word forms of at most 24 bytes, direct-mapped by hash (32-byte slots: hash, id + 1, the bytes
// zero-padded): the form table is too large to stay in the cache, and most candidates are frequent words.
let HOT: usize = 0;
const HOT_SLOTS = 4096;

const START: u8 = 1;
const MARK: u8 = 2;

/** The loader's functions, for the rare code units the tables do not settle. */
@external("env", "symbolOf") declare function symbolOf(unit: i32): i32;
@external("env", "stepSeveral") declare function stepSeveral(node: i32, unit: i32): i32;

export function heapBase(): usize {
  return __heap_base;
}

export function setTables(cls: usize, sym: usize, next: usize, term: usize, width: i32, root: i32, prefixes: usize): void {
  PREFIXES = prefixes;
  CLS = cls;
  SYM = sym;
  NEXT = next;
  TERM = term;
  WIDTH = width;
  ROOT = root;
}

export function setForms(slots: usize, slotMask: i32, start: usize, len: usize, cap: i32, arena: usize, arenaCap: i32, hot: usize): void {
  HOT = hot;
  memory.fill(hot, 0, HOT_SLOTS << 5);
  SLOTS = slots;
  SLOT_MASK = slotMask;
  FORM_START = start;
  FORM_LEN = len;
  FORM_CAP = cap;
  ARENA = arena;
  ARENA_CAP = arenaCap;
  nForms = 0;
  arenaUsed = 0;
}

export function setOutput(starts: usize, ends: usize, hits: usize, skip: usize): void {
  SKIP = skip;
  STARTS = starts;
  ENDS = ends;
  HITS = hits;
}

export function hitCount(): i32 {
  return nHits;
}

export function formCount(): i32 {
  return nForms;
}

export function arenaSize(): i32 {
  return arenaUsed;
}

/** The code unit of the character at `p` and its length in bytes, packed as `unit << 2 | length`; -1 for a 4-byte sequence. */
@inline function charAt(p: usize): i32 {
  const b = <i32>load<u8>(p);
  if (b < 0x80) return (b << 2) | 1;
  if (b < 0xe0) return ((((b & 0x1f) << 6) | (<i32>load<u8>(p + 1) & 0x3f)) << 2) | 2;
  if (b < 0xf0) return ((((b & 0x0f) << 12) | ((<i32>load<u8>(p + 1) & 0x3f) << 6) | (<i32>load<u8>(p + 2) & 0x3f)) << 2) | 3;
  return -1;
}

/** 1 in each lane whose byte is an ASCII letter or digit. */
@inline function asciiWordLanes(v: v128): v128 {
  const letter = i8x16.lt_u(i8x16.sub(v128.or(v, i8x16.splat(0x20)), i8x16.splat(0x61)), i8x16.splat(26));
  const digit = i8x16.lt_u(i8x16.sub(v, i8x16.splat(0x30)), i8x16.splat(10));
  return v128.or(letter, digit);
}

/** Bits past the end of the text (`left` bytes remain): set, so that a search for a stop ends there. */
@inline function pastEnd(left: i32): u32 {
  return left >= 16 ? 0 : (<u32>0xffff << <u32>left) & 0xffff;
}

/**
 * Bit k set when the byte at p + k may start a word: an ASCII letter or
 * digit, or any non-ASCII byte (the caller decodes it); bits past the end set.
 */
@inline function wordStartBytes(p: usize, left: i32): u32 {
  return wordStartLanes(v128.load(p), left);
}

@inline function wordStartLanes(v: v128, left: i32): u32 {
  return (<u32>i8x16.bitmask(v128.or(asciiWordLanes(v), i8x16.lt_s(v, i8x16.splat(0)))) | pastEnd(left)) & 0xffff;
}

/**
 * Bit k set when the byte at p + k is not surely inside a word: all but ASCII
 * letters and digits, the lead bytes C3 and C5 (Latin letters: é is C3 A9,
 * œ C5 93) and continuation bytes other than 97 and B7 (× is C3 97, ÷ C3
 * B7): bytes that are inside a word whatever surrounds them, but not all
 * of them (ė is C4 97): where it stops early, the caller decodes.
 * Bits past the end set.
 */
@inline function notWordBytes(p: usize, left: i32): u32 {
  return notWordLanes(v128.load(p), left);
}

@inline function notWordLanes(v: v128, left: i32): u32 {
  const continuation = i8x16.eq(v128.and(v, i8x16.splat(<i8>0xc0)), i8x16.splat(<i8>0x80));
  const unsure = v128.or(i8x16.eq(v, i8x16.splat(<i8>0x97)), i8x16.eq(v, i8x16.splat(<i8>0xb7)));
  const lead = v128.or(i8x16.eq(v, i8x16.splat(<i8>0xc3)), i8x16.eq(v, i8x16.splat(<i8>0xc5)));
  const sure = v128.or(v128.or(asciiWordLanes(v), v128.andnot(continuation, unsure)), lead);
  return ((~<u32>i8x16.bitmask(sure)) | pastEnd(left)) & 0xffff;
}

/** Where the run of bytes that are surely inside a word (see `notWordBytes`) from p ends: its length. */
@inline function sureRun(p: usize, left: i32): i32 {
  let n = 0;
  while (true) {
    const stops = notWordBytes(p + <usize>n, left - n);
    if (stops != 0) return n + <i32>ctz(stops);
    n += 16;
  }
}

/**
 * 1 when the word of `n` bytes at p (letters of one or two bytes, no
 * apostrophe) is a candidate. When its first three bytes are ASCII, the
 * prefix tables give the trie's state after them; the walk goes on from
 * there, one character at a time, while the word may still be one.
 */
@inline function wordCandidate(p: usize, n: i32, symbols: usize, next: usize, term: usize, width: i32): i32 {
  let node = 0;
  let k = 0;
  // Past the word's end, the tables' end symbol (`width`): one look-up, without branches, for words of 1 to 3 letters.
  const b0 = <i32>load<u8>(p);
  const b1 = select<i32>(<i32>load<u8>(p, 1), 0, n > 1);
  const b2 = select<i32>(<i32>load<u8>(p, 2), 0, n > 2);
  if (PREFIXES != 0 && (b0 | b1 | b2) < 0x80) {
    const w = width + 1;
    const s0 = <i32>load<i16>(symbols + (<usize>b0 << 1));
    const s1 = select<i32>(<i32>load<i16>(symbols + (<usize>b1 << 1)), width, n > 1);
    const s2 = select<i32>(<i32>load<i16>(symbols + (<usize>b2 << 1)), width, n > 2);
    node = load<i32>(PREFIXES + (<usize>((s0 * w + s1) * w + s2) << 2));
    if (n <= 3 || node <= 0) return node < 0 ? 1 : 0;
    k = 3;
  }
  while (k < n) {
    const c = <i32>load<u8>(p + <usize>k);
    if (c < 0x80) {
      const sym = <i32>load<i16>(symbols + (<usize>c << 1));
      if (sym <= 0) return 0;
      node = load<i32>(next + (<usize>(node * width + sym) << 2));
      if (node == 0) return 0;
      k++;
    } else {
      const packed = charAt(p + <usize>k);
      node = stepUnit(node, packed >> 2);
      if (node < 0) return 0;
      k += packed & 3;
    }
    if (load<u8>(term + <usize>node) == 1) return 1;
  }
  return 0;
}

/** One trie step on any code unit; -1 once dead (as `stepUnit` in scanner.ts). */
function stepUnit(node: i32, unit: i32): i32 {
  let sym = <i32>load<i16>(SYM + (<usize>unit << 1));
  if (sym == -3) sym = symbolOf(unit);
  if (sym > 0) {
    const n = load<i32>(NEXT + (<usize>(node * WIDTH + sym) << 2));
    return n == 0 ? -1 : n;
  }
  if (sym == -1) return node;
  if (sym == 0) return -1;
  return stepSeveral(node, unit);
}

@inline function lower(p: usize): i32 {
  const b = <i32>load<u8>(p);
  return b >= 0x41 && b <= 0x5a ? b | 0x20 : b;
}

/** True when `text[s, e)` is a French elision: l d j n s c m t, qu jusqu lorsqu puisqu quoiqu (ASCII, any case). */
function isElision(text: usize, s: i32, e: i32): bool {
  const n = e - s;
  const p = text + <usize>s;
  if (n == 1) {
    const c = <i32>load<u8>(p) | 0x20;
    return c == 0x6c || c == 0x64 || c == 0x6a || c == 0x6e || c == 0x73 || c == 0x63 || c == 0x6d || c == 0x74;
  }
  // All end in `qu`.
  if ((n != 2 && n != 5 && n != 6) || lower(p + n - 2) != 0x71 || lower(p + n - 1) != 0x75) return false;
  if (n == 2) return true;
  if (n == 5) return lower(p) == 0x6a && lower(p + 1) == 0x75 && lower(p + 2) == 0x73; // jusqu
  const a = lower(p);
  const b = lower(p + 1);
  const c = lower(p + 2);
  const d = lower(p + 3);
  if (a == 0x6c) return b == 0x6f && c == 0x72 && d == 0x73; // lorsqu
  if (a == 0x70) return b == 0x75 && c == 0x69 && d == 0x73; // puisqu
  if (a == 0x71) return b == 0x75 && c == 0x6f && d == 0x69; // quoiqu
  return false;
}

/** The id of the word form `text[s, e)`, added when new; -1 when the table or its arena is full. */
function formOf(text: usize, s: i32, e: i32): i32 {
  const p = text + <usize>s;
  const n = e - s;
  let h: u32 = 0x811c9dc5;
  for (let k = 0; k < n; k++) h = (h ^ asciiLower(load<u8>(p + <usize>k))) * 0x01000193;
  let slot = <i32>h & SLOT_MASK;
  while (true) {
    const at = SLOTS + (<usize>slot << 4);
    const entry = load<i32>(at, 4);
    if (entry == 0) break;
    if (load<u32>(at) == h && load<i32>(at, 8) == n) {
      const q = ARENA + <usize>load<i32>(at, 12);
      let same = true;
      for (let k = 0; k < n; k++) {
        if (asciiLower(load<u8>(p + <usize>k)) != asciiLower(load<u8>(q + <usize>k))) {
          same = false;
          break;
        }
      }
      if (same) return entry - 1;
    }
    slot = (slot + 1) & SLOT_MASK;
  }
  if (nForms >= FORM_CAP || arenaUsed + n > ARENA_CAP) return -1;
  const id = nForms++;
  const at = SLOTS + (<usize>slot << 4);
  store<u32>(at, h);
  store<i32>(at, id + 1, 4);
  store<i32>(at, n, 8);
  store<i32>(at, arenaUsed, 12);
  store<i32>(FORM_START + (<usize>id << 2), arenaUsed);
  store<i32>(FORM_LEN + (<usize>id << 2), n);
  memory.copy(ARENA + <usize>arenaUsed, p, n);
  arenaUsed += n;
  return id;
}

/** An ASCII upper-case letter's lower case; any other byte as it is. */
@inline function asciiLower(b: u8): u32 {
  const x = <u32>b;
  return x - 0x41 < 26 ? x | 0x20 : x;
}

/** `asciiLower` on the eight bytes of a u64 at once. */
@inline function lowerWord(x: u64): u64 {
  const low7 = x & 0x7f7f7f7f7f7f7f7f;
  // Per byte, the high bit of low7 + 0x3f is set from 0x41 (A) on, that of low7 + 0x25 from 0x5b (after Z) on.
  const upper = (low7 + 0x3f3f3f3f3f3f3f3f) & ~(low7 + 0x2525252525252525) & ~x & 0x8080808080808080;
  return x | (upper >> 2);
}

/** The low `n` bytes of a u64 (all of them from 8 on). */
@inline function lowBytes(n: i32): u64 {
  return n >= 8 ? <u64>-1 : (<u64>1 << (<u64>n << 3)) - 1;
}

/** `formOf`, through the cache of recent forms. */
function formOfRecent(text: usize, s: i32, e: i32): i32 {
  const n = e - s;
  if (n > 24) return formOf(text, s, e);
  const p = text + <usize>s;
  // The word's bytes in three words, ASCII letters in lower case, zero past its end (no word holds a zero byte).
  const a = lowerWord(load<u64>(p) & lowBytes(n));
  const b = n > 8 ? lowerWord(load<u64>(p, 8) & lowBytes(n - 8)) : 0;
  const c = n > 16 ? lowerWord(load<u64>(p, 16) & lowBytes(n - 16)) : 0;
  const h = <u32>((a * 0x9e3779b97f4a7c15 + b * 0xc2b2ae3d27d4eb4f + c * 0x165667b19e3779f9) >> 32);
  const at = HOT + (<usize>(h & (HOT_SLOTS - 1)) << 5);
  if (load<u32>(at) == h && load<u64>(at, 8) == a && load<u64>(at, 16) == b && load<u64>(at, 24) == c) return load<i32>(at, 4) - 1;
  const id = formOf(text, s, e);
  if (id >= 0) {
    store<u32>(at, h);
    store<i32>(at, id + 1, 4);
    store<u64>(at, a, 8);
    store<u64>(at, b, 16);
    store<u64>(at, c, 24);
  }
  return id;
}

/** The id of the word form `text[s, e)` (for the words around a phrase's anchor); -1 when the table is full. */
export function formAt(text: usize, s: i32, e: i32): i32 {
  return formOfRecent(text, s, e);
}

/**
 * Scans the ranges of `text` (`rangeCount` pairs of i32 at `ranges`, from
 * and to, in increasing order): token starts and ends, and for each
 * candidate token a (token index, form id) pair in the hits, but for the
 * forms that the skip table marks; after each range, the number of tokens
 * and of hits so far (i32 at `rangeEnds`: tokens then hits, per range).
 * Returns the number of tokens; -1 at a character outside the Basic
 * Multilingual Plane (the caller uses the string scanner), -2 when the form
 * table is full (the caller empties it and scans again), -3 past
 * `maxTokens` tokens.
 */
export function scan(text: usize, ranges: usize, rangeCount: i32, rangeEnds: usize, fr: bool, maxTokens: i32): i32 {
  // Globals in locals: the compiler keeps locals in registers, globals it reloads at every use.
  const classes = CLS;
  const symbols = SYM;
  const next = NEXT;
  const term = TERM;
  const width = WIDTH;
  const root = ROOT;
  const startsOut = STARTS;
  const endsOut = ENDS;
  const hitsOut = HITS;
  const skip = SKIP;
  let hitCount = 0;
  let count = 0;
  for (let r = 0; r < rangeCount; r++) {
    let i = load<i32>(ranges + (<usize>r << 3));
    const to = load<i32>(ranges + (<usize>r << 3), 4);
    // Set when the previous word's bytes already showed where the next one may start.
    let known = false;
    while (i < to) {
      // A word starts at a letter or digit: skip to the next ASCII letter or digit or non-ASCII byte, 16 bytes at a time.
      if (known) known = false;
      else {
        const gap = wordStartBytes(text + <usize>i, to - i);
        if (gap == 0) {
          i += 16;
          continue;
        }
        i += <i32>ctz(gap);
        if (i >= to) break;
      }
      let c = <i32>load<u8>(text + <usize>i);
      let len = 1;
      if (c >= 0x80) {
        const packed = charAt(text + <usize>i);
        if (packed < 0) return -1;
        c = packed >> 2;
        len = packed & 3;
        if (load<u8>(classes + <usize>c) != START) {
          i += len;
          continue;
        }
      }
      let start = i;
      let end: i32;
      let candidate = root;
      // A word of ASCII letters, digits and Latin letters (C3 and C5 sequences) followed by neither an apostrophe
      // nor a non-ASCII character (most words): its end from 16-byte masks, its first three letters from one table.
      const v = v128.load(text + <usize>i);
      const stops = notWordLanes(v, to - i);
      const run = stops != 0 ? <i32>ctz(stops) : 16 + sureRun(text + <usize>(i + 16), to - i - 16);
      const after = i + run;
      if (run > 0 && (after >= to || (load<u8>(text + <usize>after) < 0x80 && load<u8>(text + <usize>after) != 0x27))) {
        if (candidate == 0) candidate = wordCandidate(text + <usize>i, run, symbols, next, term, width);
        end = after;
        if (run < 15) {
          // The same 16 bytes say where the next word may start (the byte at `after` cannot).
          const rest = wordStartLanes(v, to - i) & (<u32>0xfffe << <u32>run);
          if (rest != 0) {
            i += <i32>ctz(rest);
            known = true;
          } else i += 16;
        } else i = after;
      } else {
        let node = 0;
        let leading = true;
        let parts = 1;
        let lastApostrophe = -1;
        let apostropheEnd = -1;
        while (true) {
          // Walk the trie while the word may still be a candidate; ASCII inline.
          if (candidate == 0 && node >= 0) {
            if (c < 0x80) {
              const sym = <i32>load<i16>(symbols + (<usize>c << 1));
              if (sym > 0) {
                node = load<i32>(next + (<usize>(node * width + sym) << 2));
                if (node == 0) node = -1;
                else if (load<u8>(term + <usize>node) == 1) candidate = 1;
              } else node = -1;
            } else {
              node = stepUnit(node, c);
              if (node > 0 && load<u8>(term + <usize>node) == 1) candidate = 1;
            }
          }
          i += len;
          if (candidate != 0 || node < 0) {
            // The trie is settled: run over the rest of the word's bytes, 16 at a time, back to a character's start.
            while (true) {
              const stops = notWordBytes(text + <usize>i, to - i);
              if (stops != 0) {
                i += <i32>ctz(stops);
                break;
              }
              i += 16;
            }
            if (i < to && (load<u8>(text + <usize>i) & 0xc0) == 0x80) i--;
          }
          if (i >= to) break;
          c = <i32>load<u8>(text + <usize>i);
          len = 1;
          if (c >= 0x80) {
            const packed = charAt(text + <usize>i);
            if (packed < 0) return -1;
            c = packed >> 2;
            len = packed & 3;
          }
          const cls = load<u8>(classes + <usize>c);
          if (cls == START || cls == MARK) continue;
          // An apostrophe between letters joins the word, or ends an elision; anything else ends the word.
          if ((c == 0x27 || c == 0x2019) && i + len < to) {
            const after = charAt(text + <usize>(i + len));
            if (after < 0) return -1;
            if (load<u8>(classes + <usize>(after >> 2)) == START) {
              if (fr && leading && isElision(text, start, i)) {
                start = i + len;
                node = 0;
                candidate = root;
              } else {
                leading = false;
                lastApostrophe = i;
                apostropheEnd = i + len;
                parts++;
                if (candidate == 0 && node >= 0) {
                  node = stepUnit(node, c);
                  if (node > 0 && load<u8>(term + <usize>node) == 1) candidate = 1;
                }
              }
              i += len;
              c = after >> 2;
              len = after & 3;
              continue;
            }
          }
          break;
        }
        // English: a final `'s` (two parts, the second a lone `s`) is not part of the word.
        end = !fr && parts == 2 && i - apostropheEnd == 1 && (<i32>load<u8>(text + <usize>(i - 1)) | 0x20) == 0x73 ? lastApostrophe : i;
      }
      if (count == maxTokens) return -3;
      store<i32>(startsOut + (<usize>count << 2), start);
      store<i32>(endsOut + (<usize>count << 2), end);
      if (candidate != 0) {
        const form = formOfRecent(text, start, end);
        if (form < 0) return -2;
        if (load<u8>(skip + <usize>form) == 0) {
          store<i32>(hitsOut + (<usize>hitCount << 3), count);
          store<i32>(hitsOut + (<usize>hitCount << 3) + 4, form);
          hitCount++;
        }
      }
      count++;
    }
    store<i32>(rangeEnds + (<usize>r << 3), count);
    store<i32>(rangeEnds + (<usize>r << 3), hitCount, 4);
  }
  nHits = hitCount;
  return count;
}

/**
 * Runs an Aho-Corasick automaton over `text[from, to)` (`table`: u16 next
 * state per state and byte, case folding built in; `final`: u8 per state) and
 * writes the end offset of each match to `out`. Returns the number of
 * matches, or -1 past `max` (the caller then treats every paragraph as
 * matching). `firsts`: the nibble tables (16 bytes for the low nibble, 16
 * for the high one; see `inSet`) of the bytes that begin a literal, and
 * `firstCount` how many there are (0 when more than 8: the start state then
 * skips byte by byte). `seconds`, `secondCount`: the same for the second
 * bytes of the literals (0 when one has a single byte): a
 * byte that begins a literal but is not followed by a second byte of one
 * leaves the automaton where it would be anyway, so it is skipped too.
 * `edges`, `edgeCount`: with at most 4 literals, per literal two of its
 * bytes (ORed with 0x20), each with its offset in the literal (i32 each):
 * only positions where a literal may start, with both bytes at their
 * offsets, are stepped from the start state. The caller picks bytes that
 * are rare in text, so that few positions are; no occurrence is missed.
 */
export function findLiterals(text: usize, from: i32, to: i32, table: usize, final: usize, out: usize, max: i32, firsts: usize, firstCount: i32, seconds: usize, secondCount: i32, edges: usize, edgeCount: i32): i32 {
  // Without a short set of first bytes or of literals, the start state skips byte by byte.
  const bytewise = firstCount == 0 && edgeCount == 0;
  // Byte classes by nibbles (the "shufti" technique): bit k of lo[b & 15] & hi[b >> 4] is set when b is byte k of the set.
  const firstLo = v128.load(firsts);
  const firstHi = v128.load(firsts, 16);
  const secondLo = v128.load(seconds);
  const secondHi = v128.load(seconds, 16);
  let state = 0;
  let n = 0;
  let i = from;
  while (i < to) {
    if (state == 0 && bytewise) {
      // From the start state, skip the bytes that begin no literal: no chain of dependent loads.
      while (i < to && load<u16>(table + (<usize>load<u8>(text + <usize>i) << 1)) == 0) i++;
      if (i >= to) break;
    } else if (state == 0) {
      // From the start state, jump to the next byte that may begin a literal, 16 bytes at a time.
      const v = v128.load(text + <usize>i);
      let m: u32 = 0;
      if (edgeCount != 0) {
        // A few literals: where a literal may start, with its two chosen bytes at their offsets (ASCII case ignored,
        // and a few other bytes let through: the automaton decides).
        for (let k = 0; k < edgeCount; k++) {
          const q = edges + (<usize>k << 4);
          const a = v128.or(v128.load(text + <usize>(i + load<i32>(q, 4))), i8x16.splat(0x20));
          const b = v128.or(v128.load(text + <usize>(i + load<i32>(q, 12))), i8x16.splat(0x20));
          m |= <u32>i8x16.bitmask(v128.and(i8x16.eq(a, i8x16.splat(<i8>load<i32>(q))), i8x16.eq(b, i8x16.splat(<i8>load<i32>(q, 8)))));
        }
      } else m = <u32>i8x16.bitmask(inSet(v, firstLo, firstHi));
      if (m != 0 && edgeCount == 0 && secondCount != 0) {
        const w = v128.load(text + <usize>i, 1);
        const next = inSet(w, secondLo, secondHi);
        m &= <u32>i8x16.bitmask(next);
      }
      if (m == 0) {
        i += 16;
        continue;
      }
      i += <i32>ctz(m);
      if (i >= to) break;
    }
    state = <i32>load<u16>(table + (((<usize>state << 8) | <usize>load<u8>(text + <usize>i)) << 1));
    if (load<u8>(final + <usize>state) != 0) {
      if (n == max) return -1;
      store<i32>(out + (<usize>n << 2), i + 1);
      n++;
    }
    i++;
  }
  return n;
}

/** 0xff in the lanes of `v` whose byte is in the set of the nibble tables `lo` and `hi`. */
@inline function inSet(v: v128, lo: v128, hi: v128): v128 {
  const classes = v128.and(i8x16.swizzle(lo, v128.and(v, i8x16.splat(0x0f))), i8x16.swizzle(hi, i8x16.shr_u(v, 4)));
  return v128.not(i8x16.eq(classes, i8x16.splat(0)));
}
