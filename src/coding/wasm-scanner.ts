/**
 * The loader of the WebAssembly word scanner (src/wasm/scan.ts, compiled by
 * `npm run build` to dist/wasm/scan.wasm). It lays out the scanner's linear
 * memory: the character classes, one set of trie tables per trie, the table
 * of word forms, and a region for the file being scanned, which moves up and
 * grows with the largest file seen.
 *
 * Memory is taken, never given back (a bump allocator): a run of the CLI
 * copies in one trie per language and one automaton, and the file region is
 * reused from file to file. A long-lived process that compiles codebook after
 * codebook would want to free the tables of matchers it drops.
 *
 * Without the compiled module (tests run from the sources before a build),
 * `wasmScanner()` is undefined and callers use the string scanner.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { classTable, stepSeveral, type ScanTrie } from './scanner.js';

/** The compiled module, next to the compiled code (the same path from src/ and dist/). */
const MODULE_URL = new URL('../../dist/wasm/scan.wasm', import.meta.url);

interface Exports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  setTables(cls: number, sym: number, next: number, term: number, width: number, root: number, prefixes: number): void;
  setForms(slots: number, slotMask: number, start: number, len: number, cap: number, arena: number, arenaCap: number, hot: number): void;
  setOutput(starts: number, ends: number, hits: number, skip: number): void;
  hitCount(): number;
  formCount(): number;
  scan(text: number, ranges: number, rangeCount: number, rangeEnds: number, fr: number, maxTokens: number): number;
  findLiterals(text: number, from: number, to: number, table: number, final: number, out: number, max: number, firsts: number, firstCount: number, seconds: number, secondCount: number, edges: number, edgeCount: number): number;
  formAt(text: number, start: number, end: number): number;
}

/** An Aho-Corasick automaton over bytes (see pattern-prefilter.ts). */
export interface LiteralAutomaton {
  /** Next state per state and byte (state × 256 + byte). */
  table: Uint16Array;
  /** 1 for the states where a literal ends. */
  final: Uint8Array;
  /** The bytes that begin a literal, in either ASCII case. */
  firsts: number[];
  /** The second bytes of the literals, in either ASCII case; undefined when a literal has a single byte. */
  seconds: number[] | undefined;
  /** The literals (bytes as characters), none empty. */
  literals: readonly string[];
}

/**
 * Word forms kept before the table starts again empty: memory stays bounded
 * on any vocabulary. Only candidate words get a form (about 6,500 on the
 * 100 MB benchmark, case variants counted once); the table takes 32 bytes
 * per form.
 */
const FORM_CAPACITY = 1 << 15;
const ARENA_BYTES = 1 << 20;

/** Where the file being scanned and its results are. */
interface FileRegion {
  at: number;
  bytes: number;
  text: number;
  starts: number;
  ends: number;
  hits: number;
  literals: number;
  ranges: number;
  rangeEnds: number;
  maxTokens: number;
  maxLiterals: number;
}

/** Where a caller's skip table is, and for which generation of forms it was filled. */
export interface SkipTable {
  at: number;
  generation: number;
}

/** Where one trie's tables are. */
interface TrieTables {
  sym: number;
  next: number;
  term: number;
  /** The prefix table (see `prefixTables`), 0 when the alphabet is too large for it. */
  prefixes: number;
}

/** The tokens of the last scan: views of the scanner's memory, valid until the next call. */
export interface WasmScan {
  count: number;
  starts: Int32Array;
  ends: Int32Array;
  /** (token index, form id) pairs of the candidate tokens, in token order (but for skipped forms). */
  hits: Int32Array;
  hitCount: number;
  /** Per range scanned, the number of tokens and of hits up to its end (two numbers per range). */
  rangeEnds: Int32Array;
  /** Incremented each time the form table starts again empty: form ids of earlier scans are then stale. */
  generation: number;
}

export class WasmScanner {
  private readonly x: Exports;
  /** The character classes' offset. */
  private readonly cls: number;
  /** A skip table that stays empty: every candidate gets a hit. */
  private readonly noSkip: SkipTable;
  private top: number;
  private readonly tries = new WeakMap<ScanTrie, TrieTables>();
  private current: { trie: ScanTrie; tables: TrieTables } | undefined;
  private readonly forms: { slots: number; start: number; len: number; arena: number; hot: number };
  /** The file region: text, then token starts, ends, hits and literal matches. */
  private region: FileRegion | undefined;
  private readonly automata = new WeakMap<LiteralAutomaton, { table: number; final: number; firsts: number; firstCount: number; seconds: number; secondCount: number; edges: number; edgeCount: number }>();
  generation = 0;
  /** How many word forms the table holds before it starts again empty. */
  readonly formCapacity = FORM_CAPACITY;

  constructor(module: WebAssembly.Module) {
    const instance = new WebAssembly.Instance(module, {
      env: {
        // A code unit first seen: its trie symbol, computed by the trie and kept in the table.
        symbolOf: (unit: number): number => {
          const c = this.current as { trie: ScanTrie; tables: TrieTables };
          const s = c.trie.symbol(unit);
          new Int16Array(this.x.memory.buffer, c.tables.sym, 65536)[unit] = s;
          return s;
        },
        // A code unit that folds to several letters (œ → o, e).
        stepSeveral: (node: number, unit: number): number => stepSeveral((this.current as { trie: ScanTrie }).trie, node, unit),
        abort: (): never => {
          throw new Error('The WebAssembly scanner aborted.');
        },
      },
    });
    this.x = instance.exports as unknown as Exports;
    this.top = align(this.x.heapBase());
    const cls = this.alloc(65536);
    new Uint8Array(this.x.memory.buffer, cls, 65536).set(classTable());
    this.x.setTables(cls, 0, 0, 0, 1, 1, 0);
    this.forms = {
      slots: this.alloc(FORM_CAPACITY * 2 * 16),
      start: this.alloc(FORM_CAPACITY * 4),
      len: this.alloc(FORM_CAPACITY * 4),
      arena: this.alloc(ARENA_BYTES),
      // The cache of recent forms (src/wasm/scan.ts: HOT_SLOTS slots of 32 bytes).
      hot: this.alloc(4096 * 32),
    };
    this.clearForms(true);
    this.cls = cls;
    this.noSkip = this.skipTable();
  }

  /** Makes `trie` the one scans walk (its tables are copied in on first use). */
  useTrie(trie: ScanTrie): void {
    if (this.current?.trie === trie) return;
    let tables = this.tries.get(trie);
    if (!tables) {
      const prefixes = trie.width <= MAX_PREFIX_WIDTH ? prefixTables(trie) : undefined;
      tables = { sym: this.alloc(65536 * 2), next: this.alloc(trie.next.length * 4), term: this.alloc(trie.terminal.length), prefixes: prefixes ? this.alloc(prefixes.length * 4) : 0 };
      const buffer = this.x.memory.buffer;
      if (prefixes) new Int32Array(buffer, tables.prefixes, prefixes.length).set(prefixes);
      const sym = new Int16Array(buffer, tables.sym, 65536);
      sym.fill(-3);
      sym.set(trie.ascii);
      new Int32Array(buffer, tables.next, trie.next.length).set(trie.next);
      new Uint8Array(buffer, tables.term, trie.terminal.length).set(trie.terminal);
      this.tries.set(trie, tables);
    }
    this.current = { trie, tables };
    this.x.setTables(this.cls, tables.sym, tables.next, tables.term, trie.width, trie.rootTerminal ? 1 : 0, tables.prefixes);
  }

  /**
   * Scans `bytes[from, to)` with the current trie; undefined when the text
   * holds a character outside the Basic Multilingual Plane, or too many words.
   * No hit is written for the forms `skip` marks.
   */
  scan(bytes: Uint8Array, from: number, to: number, fr: boolean, skip: SkipTable = this.noSkip): WasmScan | undefined {
    return this.scanRanges(bytes, [from, to], fr, skip);
  }

  /**
   * The same over several ranges of `bytes` (from, to pairs, in increasing
   * order, not overlapping): one call for all the segments of a file.
   */
  scanRanges(bytes: Uint8Array, ranges: ArrayLike<number>, fr: boolean, skip: SkipTable = this.noSkip): WasmScan | undefined {
    const n = bytes.length;
    const rangeCount = ranges.length >> 1;
    const r = this.fileRegion(n, rangeCount);
    new Uint8Array(this.x.memory.buffer, r.text, n).set(bytes);
    new Int32Array(this.x.memory.buffer, r.ranges, rangeCount * 2).set(ranges);
    if (skip.generation !== this.generation) this.clearSkip(skip);
    this.x.setOutput(r.starts, r.ends, r.hits, skip.at);
    let count = this.x.scan(r.text, r.ranges, rangeCount, r.rangeEnds, fr ? 1 : 0, r.maxTokens);
    if (count === -2) {
      // The form table is full: start again empty (callers see the new generation and forget their form ids).
      this.clearForms();
      this.clearSkip(skip);
      count = this.x.scan(r.text, r.ranges, rangeCount, r.rangeEnds, fr ? 1 : 0, r.maxTokens);
    }
    if (count < 0) return undefined;
    const buffer = this.x.memory.buffer;
    const hitCount = this.x.hitCount();
    return {
      count,
      starts: new Int32Array(buffer, r.starts, count),
      ends: new Int32Array(buffer, r.ends, count),
      hits: new Int32Array(buffer, r.hits, hitCount * 2),
      hitCount,
      rangeEnds: new Int32Array(buffer, r.rangeEnds, rangeCount * 2),
      generation: this.generation,
    };
  }

  /**
   * The end offsets of the automaton's matches in `[from, to)` of the bytes
   * given to the last `scan`, in order; undefined when there are too many.
   * The views of that scan stay valid.
   */
  findLiterals(automaton: LiteralAutomaton, from: number, to: number): Int32Array | undefined {
    const tables = this.automata.get(automaton);
    const r = this.region;
    if (!tables || !r) throw new Error('findLiterals: call useLiterals, then scan, first.');
    const n = this.x.findLiterals(r.text, from, to, tables.table, tables.final, r.literals, r.maxLiterals, tables.firsts, tables.firstCount, tables.seconds, tables.secondCount, tables.edges, tables.edgeCount);
    return n < 0 ? undefined : new Int32Array(this.x.memory.buffer, r.literals, n);
  }

  /** Copies an automaton's tables in, once; before `scan`, whose views a copy would invalidate. */
  useLiterals(automaton: LiteralAutomaton): void {
    if (this.automata.has(automaton)) return;
    // The first and second bytes of the literals: with at most 8 of each, the scanner looks for them 16 bytes at a time.
    const { firsts, seconds } = automaton;
    const tables = {
      table: this.alloc(automaton.table.length * 2),
      final: this.alloc(automaton.final.length),
      firsts: this.alloc(32),
      firstCount: firsts.length <= 8 ? firsts.length : 0,
      seconds: this.alloc(32),
      secondCount: seconds && seconds.length <= 8 ? seconds.length : 0,
      edges: this.alloc(MAX_EDGE_LITERALS * 16),
      edgeCount: automaton.literals.length <= MAX_EDGE_LITERALS ? automaton.literals.length : 0,
    };
    const buffer = this.x.memory.buffer;
    new Uint16Array(buffer, tables.table, automaton.table.length).set(automaton.table);
    new Uint8Array(buffer, tables.final, automaton.final.length).set(automaton.final);
    if (tables.firstCount > 0) new Uint8Array(buffer, tables.firsts, 32).set(nibbleTables(firsts));
    if (tables.secondCount > 0) new Uint8Array(buffer, tables.seconds, 32).set(nibbleTables(seconds as number[]));
    if (tables.edgeCount > 0) {
      const edges = new Int32Array(buffer, tables.edges, tables.edgeCount * 4);
      automaton.literals.forEach((literal, k) => edges.set(rareBytes(literal), 4 * k));
    }
    this.automata.set(automaton, tables);
  }

  /** The form id of the word at `[start, end)` of the bytes given to the last `scan`; -1 when the table is full. */
  formAt(start: number, end: number): number {
    return this.x.formAt((this.region as FileRegion).text, start, end);
  }

  /** A table, in the scanner's memory, of the forms a caller needs no hit for (one per matcher); allocate before scanning. */
  skipTable(): SkipTable {
    return { at: this.alloc(FORM_CAPACITY), generation: -1 };
  }

  /** Marks a form of the current generation as needing no hit. */
  skipForm(skip: SkipTable, form: number): void {
    new Uint8Array(this.x.memory.buffer, skip.at, FORM_CAPACITY)[form] = 1;
  }

  private clearSkip(skip: SkipTable): void {
    new Uint8Array(this.x.memory.buffer, skip.at, FORM_CAPACITY).fill(0);
    skip.generation = this.generation;
  }

  /** The bytes of a word form, decoded. */
  form(id: number): string {
    const buffer = this.x.memory.buffer;
    const start = new Int32Array(buffer, this.forms.start, FORM_CAPACITY)[id] as number;
    const len = new Int32Array(buffer, this.forms.len, FORM_CAPACITY)[id] as number;
    return Buffer.from(buffer, this.forms.arena + start, len).toString('utf8');
  }

  /** Empties the form table (`fresh`: its memory was just allocated, hence zero: not touched, so not resident). */
  private clearForms(fresh = false): void {
    const f = this.forms;
    if (!fresh) new Int32Array(this.x.memory.buffer, f.slots, FORM_CAPACITY * 2 * 4).fill(0);
    this.x.setForms(f.slots, FORM_CAPACITY * 2 - 1, f.start, f.len, FORM_CAPACITY, f.arena, ARENA_BYTES, f.hot);
    this.generation++;
  }

  /** The region for a file of `n` bytes, its tokens, literal matches and `rangeCount` ranges, kept at the top of memory. */
  private fileRegion(n: number, rangeCount: number): FileRegion {
    // Words take 6 to 7 bytes in French; room for one every 4 bytes, and a literal match every 8.
    const maxTokens = (n >> 2) + 16;
    const maxLiterals = (n >> 3) + 16;
    const need = align(n) + maxTokens * 16 + maxLiterals * 4 + rangeCount * 16;
    const r = this.region;
    if (!r || r.bytes < need || r.at + r.bytes !== this.top) {
      // Room for a bit more, so that slightly larger files do not move it again.
      const at = this.alloc(need + (need >> 2));
      this.region = { at, bytes: this.top - at, text: 0, starts: 0, ends: 0, hits: 0, literals: 0, ranges: 0, rangeEnds: 0, maxTokens: 0, maxLiterals: 0 };
    }
    const region = this.region as FileRegion;
    region.text = region.at;
    region.starts = region.text + align(n);
    region.ends = region.starts + maxTokens * 4;
    region.hits = region.ends + maxTokens * 4;
    region.literals = region.hits + maxTokens * 8;
    region.ranges = region.literals + maxLiterals * 4;
    region.rangeEnds = region.ranges + rangeCount * 8;
    region.maxTokens = maxTokens;
    region.maxLiterals = maxLiterals;
    return region;
  }

  private alloc(bytes: number): number {
    const at = this.top;
    this.top = align(at + bytes);
    const memory = this.x.memory;
    const missing = this.top - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / 65536));
    return at;
  }
}

/** Widest alphabet (symbols + 1) for which the prefix table is built: 41³ entries take 270 KB. */
const MAX_PREFIX_WIDTH = 40;

/**
 * The trie's state after a word's first three symbols, for every choice of
 * them, where the second and third may be the end symbol (`width`: the word
 * has one or two letters): (width + 1)³ entries, -1 once a terminal node is
 * reached (the word is a candidate), 0 once the walk is dead (symbol 0 is
 * no letter of the alphabet), else the node. The scanner reads a word's
 * first three ASCII letters in one look-up instead of three dependent steps.
 */
export function prefixTables(trie: ScanTrie): Int32Array {
  const w = trie.width;
  const end = w;
  const size = w + 1;
  const out = new Int32Array(size * size * size);
  // From a real node (the root is node 0) to an encoded state.
  const advance = (node: number, symbol: number): number => {
    const n = symbol > 0 ? (trie.next[node * w + symbol] as number) : 0;
    return n === 0 ? 0 : trie.terminal[n] === 1 ? -1 : n;
  };
  // From an encoded state: a candidate or a dead walk stays so, and so does any state at the end symbol.
  const step = (state: number, symbol: number): number => (state <= 0 || symbol === end ? state : advance(state, symbol));
  for (let a = 0; a < w; a++) {
    const s1 = advance(0, a);
    for (let b = 0; b <= end; b++) {
      const s2 = step(s1, b);
      for (let c = 0; c <= end; c++) out[(a * size + b) * size + c] = b === end ? s1 : step(s2, c);
    }
  }
  return out;
}

/** At most this many literals are looked for by two of their bytes (see `findLiterals` in src/wasm/scan.ts). */
const MAX_EDGE_LITERALS = 4;

/**
 * How common each lower-case ASCII letter is in French and English text,
 * most common first (space before all): literals are looked for by their
 * two least common bytes. Bytes not listed (digits, punctuation, UTF-8
 * bytes) count as rare.
 */
const COMMON_BYTES = ' esaitnrulodcpmvqfbghjxyzwk';

/** Two bytes of a literal (ORed with 0x20), each with its offset: the two least common, in that order. */
export function rareBytes(literal: string): [number, number, number, number] {
  const rank = (k: number): number => {
    const b = literal.charCodeAt(k);
    // C3 begins é, è, à, ç…: as common as a common letter.
    const at = b === 0xc3 ? COMMON_BYTES.indexOf('m') : b < 0x80 ? COMMON_BYTES.indexOf(String.fromCharCode(b | 0x20)) : -1;
    return at < 0 ? COMMON_BYTES.length : at;
  };
  const offsets = Array.from({ length: literal.length }, (_, k) => k).sort((x, y) => rank(y) - rank(x) || x - y);
  const a = offsets[0] as number;
  const b = offsets[1] ?? a;
  return [literal.charCodeAt(a) | 0x20, a, literal.charCodeAt(b) | 0x20, b];
}

/**
 * The nibble tables of a set of at most 8 bytes (see `inSet` in
 * src/wasm/scan.ts): byte k sets bit k at its low nibble in the first 16
 * bytes and at its high nibble in the next 16, so that a byte is in the set
 * exactly when both of its nibbles share a bit.
 */
export function nibbleTables(bytes: readonly number[]): Uint8Array {
  const out = new Uint8Array(32);
  bytes.forEach((b, k) => {
    out[b & 15] = (out[b & 15] as number) | (1 << k);
    out[16 + (b >> 4)] = (out[16 + (b >> 4)] as number) | (1 << k);
  });
  return out;
}

function align(n: number): number {
  return (n + 15) & ~15;
}

let loaded: WasmScanner | null | undefined;

/**
 * The scanner, or undefined when dist/wasm/scan.wasm has not been built or
 * WebAssembly is not available (`node --jitless`): callers then use the
 * string scanner.
 */
export function wasmScanner(): WasmScanner | undefined {
  if (loaded === undefined) {
    const file = fileURLToPath(MODULE_URL);
    try {
      loaded = existsSync(file) && typeof WebAssembly === 'object' ? new WasmScanner(new WebAssembly.Module(readFileSync(file))) : null;
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}
