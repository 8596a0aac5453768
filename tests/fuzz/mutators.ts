/**
 * The mutations of the fuzz: random byte edits, line edits, and edits that
 * know the formats (front matter fences, YAML keys, anchors and tags, coding
 * markers, speaker labels, keywords, patterns, plan sections). Each takes a
 * file's bytes and gives new bytes and a one-line description of what it did,
 * printed with a failure; a mutation that does not apply to a file (no line
 * to swap, not UTF-8 text) gives undefined and another is drawn.
 */
import type { Rng } from './prng.js';

/** What a file is, for the mutations that know its format. */
export type FileKind = 'transcript' | 'codebook' | 'panel' | 'plan' | 'config';

/** What the structure-aware mutations may borrow from the project. */
export interface MutationContext {
  /** Full ids of the codebook's codes. */
  codes: readonly string[];
  /** Transcript ids of the project. */
  ids: readonly string[];
  /** Attribute names and their values, as the panel declares them. */
  attributes: readonly (readonly [string, readonly string[]])[];
  /** Strings the project redacts. */
  names: readonly string[];
}

/** The result of a mutation. */
export interface Mutated {
  bytes: Buffer;
  /** What was done, where: enough to understand a failure without a diff. */
  detail: string;
}

/** One kind of mutation. */
export interface Mutator {
  name: string;
  /** How often it is drawn, relative to the others. */
  weight: number;
  /** The file kinds it applies to (all when absent). */
  kinds?: readonly FileKind[];
  apply(bytes: Buffer, rng: Rng, ctx: MutationContext, kind: FileKind): Mutated | undefined;
}

// ─── Helpers ─────────────────────────────────────────────────────────────────

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The text of the bytes when they are valid UTF-8 (structure-aware mutations need text). */
function textOf(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** A short, escaped rendering of inserted content for descriptions. */
export function show(value: string | Buffer, max = 48): string {
  const s = typeof value === 'string' ? value : value.toString('latin1');
  const json = JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
  return typeof value === 'string' ? json : `bytes ${value.length > max ? `${value.subarray(0, max).toString('hex')}…` : value.toString('hex')}`;
}

const splice = (bytes: Buffer, at: number, remove: number, insert: Buffer | string): Buffer =>
  Buffer.concat([bytes.subarray(0, at), typeof insert === 'string' ? Buffer.from(insert) : insert, bytes.subarray(at + remove)]);

/** Lines with their line ends, so that joining them gives the text back. */
function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/gu) ?? [];
}

/** A text mutation as a byte mutation: applies only to UTF-8 text. */
function onText(fn: (text: string, rng: Rng, ctx: MutationContext, kind: FileKind) => { text: string; detail: string } | undefined): Mutator['apply'] {
  return (bytes, rng, ctx, kind) => {
    const text = textOf(bytes);
    if (text === undefined) return undefined;
    const out = fn(text, rng, ctx, kind);
    return out && { bytes: Buffer.from(out.text, 'utf8'), detail: out.detail };
  };
}

/** A line mutation: the lines of the text, changed in place. */
function onLines(fn: (lines: string[], rng: Rng, ctx: MutationContext) => string | undefined): Mutator['apply'] {
  return onText((text, rng, ctx) => {
    const lines = linesOf(text);
    if (lines.length === 0) return undefined;
    const detail = fn(lines, rng, ctx);
    return detail === undefined ? undefined : { text: lines.join(''), detail };
  });
}

/** Offsets where a paragraph of the body starts and ends (after the front matter). */
function paragraphs(text: string): [number, number][] {
  const body = bodyStart(text);
  const out: [number, number][] = [];
  const re = /(?:[^\n]+\n?)+/gu;
  re.lastIndex = body;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push([m.index, m.index + m[0].replace(/\n+$/u, '').length]);
  return out;
}

/** Where the body starts: after the closing `---` of the front matter, or 0. */
function bodyStart(text: string): number {
  const m = /^(?:\uFEFF)?---\r?\n[\s\S]*?\n---[ \t]*\r?\n/u.exec(text);
  return m ? m[0].length : 0;
}

/** A position in the text that does not split a UTF-16 surrogate pair. */
function charPosition(text: string, rng: Rng, from = 0, to = text.length): number {
  let at = from + rng.int(to - from + 1);
  const code = text.charCodeAt(at);
  if (code >= 0xdc00 && code <= 0xdfff) at++;
  return at;
}

/** A YAML `key: value` line. */
interface KeyLine {
  start: number;
  end: number;
  indent: string;
  key: string;
  value: string;
}

/** Offsets of the YAML `key:` lines of a text (block mappings and sequence items). */
function keyLines(text: string): KeyLine[] {
  const out: KeyLine[] = [];
  const re = /^([ \t]*(?:- )?)([^\s:#'"][^:\n]*?):(?:[ \t]+([^\n]*))?$/gmu;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ start: m.index, end: m.index + m[0].length, indent: m[1] ?? '', key: m[2] ?? '', value: m[3] ?? '' });
  return out;
}

/** A mutation of one YAML key line, drawn among those `keep` accepts: applies only to text that has one. */
function onKeyLine(fn: (text: string, k: KeyLine, rng: Rng) => { text: string; detail: string }, keep: (k: KeyLine, rng: Rng) => boolean = () => true): Mutator['apply'] {
  return onText((text, rng) => {
    const keys = keyLines(text).filter((k) => keep(k, rng));
    return keys.length === 0 ? undefined : fn(text, rng.pick(keys), rng);
  });
}

/** The text with the value of the key line `k` replaced by `value`. */
function withValue(text: string, k: KeyLine, value: string): string {
  const head = text.slice(k.start, k.end).replace(/:[ \t]*[^\n]*$/u, ':');
  return `${text.slice(0, k.start)}${head} ${value}${text.slice(k.end)}`;
}

// ─── Interesting content ─────────────────────────────────────────────────────

/** Byte sequences that parsers and decoders get wrong: invalid UTF-8, BOMs, line and paragraph separators. */
const BYTES: readonly Buffer[] = [
  [0x00],
  [0xff],
  [0xfe],
  [0xed, 0xa0, 0x80], // a lone high surrogate, encoded as UTF-8 would if it could (CESU-8)
  [0xed, 0xbf, 0xbf], // a lone low surrogate
  [0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80], // a surrogate pair in CESU-8
  [0xc0, 0xaf], // an overlong `/`
  [0xc3], // a truncated two-byte sequence
  [0xe2, 0x82], // a truncated three-byte sequence
  [0xf0, 0x9f, 0x98], // a truncated four-byte sequence
  [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
  [0x80], // a lone continuation byte
  [0xef, 0xbb, 0xbf], // a UTF-8 BOM, mid-file
  [0xff, 0xfe], // UTF-16 LE BOM
  [0xfe, 0xff], // UTF-16 BE BOM
  [0x0d],
  [0x0d, 0x0a],
  [0x0a, 0x0a],
  [0x09],
  [0x0b],
  [0x0c],
  [0x1b, 0x5b, 0x33, 0x31, 0x6d], // an ANSI colour escape
  [0x7f],
].map((b) => Buffer.from(b));

/** Characters and snippets with a meaning in markers, YAML or Markdown, or whose case folding changes length. */
const SNIPPETS: readonly string[] = [
  '{', '}', '[', ']', '#', '!', '>', '<', '\\', ':', '-', '*', '"', "'", '\t', '&', '|', '%', '@', '`', '?', ',', '=',
  '\u2028', '\u2029', '\u0085', '\u00a0', '\u202f', '\u200d', '\ufeff', '\u0301', '\u{1F600}', '\u{10FFFF}',
  'İ', 'ß', 'ﬁ', 'ſ', '\u212a', 'Ω', 'ǅ', 'é', 'e\u0301', '’', '«', '»', '…',
  '{#', '{!', '{>', '{<', ']{#', '{#}', '{!}', '\\[', '\\{', '\\', '<!--', '-->', '---', '...', '**', '**R :**', '**Q :**', 'R :', '[00:12:03]', '[99:99]',
  ': ', '- ', '&a ', '*a', '!!binary ', '!!str ', '!tag ', '? ', '<<: ', '%YAML 1.2\n', '|', '>-', '|9\n', '"\\uD800"', '"\\x00"', "''", '""',
  '\n---\n', '\n...\n', '\n\n', '\r\n\r\n', '\n  ', '\n\t',
];

/** Values that stand in for a YAML scalar. */
const YAML_VALUES: readonly string[] = [
  '', 'null', '~', '[]', '{}', '""', "''", '0', '-1', '1e309', '.nan', '.inf', 'true', 'no', '0x10', '2021-13-45', '12:30:00',
  '[a, [b, [c]]]', '{a: 1}', '{a: 1, a: 2}', '|', '>-', '|-\n  text', "'unclosed", '"unclosed', '"\\uD800"', '"\\uDC00x"', '"\\0\\x00"', '"\\u0000"',
  '&anchor value', '*anchor', '*missing', '!!binary aGVsbG8=', '!!int x', '!!set {a, b}', '!!omap [a: 1]', '!custom x', '!!float 1', '? a',
  '"[·]"', '"#"', '"{#x}"', '"\\t\\n"', "'a: b'", '- item', '[*, =, "*"]', '"\u2028"', '"İ"',
];

/** Keywords that have few or no words, odd wildcards, or case folding that changes length. */
const KEYWORDS: readonly string[] = [
  '*', '=', '=*', "'", '-', 'a*b', '**', "d'", "l'", "'s", "qu'", 'co--op', '-x-', '?', '.', '…', '«', '"',
  'İstanbul', 'STRASSE', 'ﬁnance', 'ſeul', 'e\u0301tat', '\u{1F600}', '123', '1*', 'a', 'e', 'le', 'de la', "l'État", 'x'.repeat(300),
  'seul seul seul seul seul seul seul seul', 'a b c d e f g h i j k l m n o p', '=', '=État', 'état*', '*état', 'ét*at',
];

/** Regular expressions: invalid, catastrophic, Unicode-sensitive, empty-matching. */
const PATTERNS: readonly string[] = [
  '(a+)+$', '(a|a)*b', '\\w*\\w*x', '(\\w+\\s?)+$', '(.*)*y', '([^.]{0,30}){1,30}z', '[', '(', ')', '\\', 'a{2,1}', '(?<=a)b', '(?<!\\w)é',
  '\\p{L}+', '\\P{L}', '(?i)x', '\\1', '(a)\\2', 'a{1,99999}', '(?:)', '', '^', '$', '.*', '\\b', '(?=)', '[^]*', '\\u{1F600}', '(?<n>a)\\k<n>',
  'a**', '.{0,20000}', '(?<x>a)(?<x>b)', '[\\d-z]', '\\cJ', '[\\b]', '(\\s*)*$', '(é|e\u0301)+', 'İ', '\\bà la\\b',
];

/** Plan section values. */
const PLAN_VALUES: readonly string[] = [
  'kind: nope', 'kind: themes', 'kind: matrix', 'kind: cooc', 'kind: saturation', 'kind: profiles', 'kind: methodology', 'kind: text',
  'codes: []', 'codes: [no.such.code]', 'codes: [constat, constat]', 'codes: ["*"]', 'by: nope', 'by: []', 'by: [actor, sphere]', 'by: [actor, actor]',
  'unit: segments', 'unit: nope', 'verbatims: 0', 'verbatims: 50', 'verbatims: 51', 'verbatims: -1', 'verbatims: 1e9', 'verbatims: 0.5',
  'chart: true', 'chart: "yes"', 'origin: manual', 'origin: auto', 'origin: nope', 'text: "{#constat}"', 'text: "# heading\\n| a | b |"', 'title: ""',
  'title: "<script>x</script>"',
];

/** `output:` values of a plan: inside the reports folder, elsewhere in the project, outside it, over a file the project reads, odd. */
const OUTPUTS: readonly string[] = [
  'reports/other.md', 'other.md', 'reports/sub/dir/r.md', '../outside.md', 'reports/', '""', '.', 'x'.repeat(300) + '.md', '"a\\0b.md"',
  'reports/report.plan.yaml', 'reports/restitution.plan.yaml', 'corpus/A1.md', 'corpus/E01.md', 'corpus/panel.yaml', 'codebooks/codebook.yaml', 'codebooks/alliances.yaml', 'verbatim.yaml', '.verbatim/redact.txt',
];

// ─── Byte mutations ──────────────────────────────────────────────────────────

const byteMutators: Mutator[] = [
  {
    name: 'flip-bit',
    weight: 3,
    apply: (bytes, rng) => {
      if (bytes.length === 0) return undefined;
      const at = rng.int(bytes.length);
      const out = Buffer.from(bytes);
      const bit = rng.int(8);
      out[at] = (out[at] as number) ^ (1 << bit);
      return { bytes: out, detail: `byte ${at} bit ${bit}` };
    },
  },
  {
    name: 'set-byte',
    weight: 2,
    apply: (bytes, rng) => {
      if (bytes.length === 0) return undefined;
      const at = rng.int(bytes.length);
      const value = rng.int(256);
      const out = Buffer.from(bytes);
      out[at] = value;
      return { bytes: out, detail: `byte ${at} = 0x${value.toString(16)}` };
    },
  },
  {
    name: 'insert-random-bytes',
    weight: 2,
    apply: (bytes, rng) => {
      const at = rng.int(bytes.length + 1);
      const insert = Buffer.from(Array.from({ length: rng.size(16) }, () => rng.int(256)));
      return { bytes: splice(bytes, at, 0, insert), detail: `at ${at}: ${show(insert)}` };
    },
  },
  {
    name: 'delete-range',
    weight: 3,
    apply: (bytes, rng) => {
      if (bytes.length === 0) return undefined;
      const at = rng.int(bytes.length);
      const n = Math.min(rng.size(1024), bytes.length - at);
      return { bytes: splice(bytes, at, n, ''), detail: `${n} bytes at ${at}` };
    },
  },
  {
    name: 'duplicate-range',
    weight: 2,
    apply: (bytes, rng) => {
      if (bytes.length === 0) return undefined;
      const from = rng.int(bytes.length);
      const n = Math.min(rng.size(2048), bytes.length - from);
      const to = rng.chance(0.5) ? from + n : rng.int(bytes.length + 1);
      return { bytes: splice(bytes, to, 0, Buffer.from(bytes.subarray(from, from + n))), detail: `${n} bytes from ${from} to ${to}` };
    },
  },
  {
    name: 'insert-interesting-bytes',
    weight: 4,
    apply: (bytes, rng) => {
      const at = rng.int(bytes.length + 1);
      const insert = rng.pick(BYTES);
      const replace = rng.chance(0.3) ? Math.min(insert.length, bytes.length - at) : 0;
      return { bytes: splice(bytes, at, replace, insert), detail: `at ${at}${replace ? ` over ${replace}` : ''}: ${show(insert)}` };
    },
  },
  {
    name: 'insert-snippet',
    weight: 5,
    apply: onText((text, rng) => {
      const at = charPosition(text, rng);
      const snippet = rng.pick(SNIPPETS);
      return { text: text.slice(0, at) + snippet + text.slice(at), detail: `at char ${at}: ${show(snippet)}` };
    }),
  },
  {
    name: 'truncate-file',
    weight: 1,
    apply: (bytes, rng) => {
      if (bytes.length === 0) return undefined;
      const at = rng.int(bytes.length);
      return { bytes: Buffer.from(bytes.subarray(0, at)), detail: `at ${at} of ${bytes.length}` };
    },
  },
];

// ─── Line mutations ──────────────────────────────────────────────────────────

const lineMutators: Mutator[] = [
  {
    name: 'delete-line',
    weight: 3,
    apply: onLines((lines, rng) => {
      const i = rng.int(lines.length);
      const n = Math.min(rng.size(8), lines.length - i);
      lines.splice(i, n);
      return `${n} from line ${i + 1}`;
    }),
  },
  {
    name: 'duplicate-line',
    weight: 3,
    apply: onLines((lines, rng) => {
      const i = rng.int(lines.length);
      const to = rng.chance(0.6) ? i + 1 : rng.int(lines.length + 1);
      lines.splice(to, 0, withEnd(lines[i] as string));
      return `line ${i + 1} inserted before line ${to + 1}`;
    }),
  },
  {
    name: 'swap-lines',
    weight: 2,
    apply: onLines((lines, rng) => {
      if (lines.length < 2) return undefined;
      const i = rng.int(lines.length);
      const j = rng.chance(0.5) ? Math.min(lines.length - 1, i + 1) : rng.int(lines.length);
      const a = withEnd(lines[i] as string);
      lines[i] = withEnd(lines[j] as string);
      lines[j] = a;
      return `lines ${i + 1} and ${j + 1}`;
    }),
  },
  {
    name: 'truncate-line',
    weight: 2,
    apply: onLines((lines, rng) => {
      const i = rng.int(lines.length);
      const line = lines[i] as string;
      const at = rng.int(line.replace(/\n$/u, '').length + 1);
      lines[i] = `${line.slice(0, at)}${line.endsWith('\n') ? '\n' : ''}`;
      return `line ${i + 1} at ${at}`;
    }),
  },
  {
    name: 'indent-line',
    weight: 3,
    apply: onLines((lines, rng) => {
      const i = rng.int(lines.length);
      const n = Math.min(rng.size(6), lines.length - i);
      const by = rng.pick(['  ', ' ', '    ', '\t', '        ']);
      for (let k = i; k < i + n; k++) lines[k] = by + (lines[k] as string);
      return `${n} from line ${i + 1} by ${show(by)}`;
    }),
  },
  {
    name: 'dedent-line',
    weight: 3,
    apply: onLines((lines, rng) => {
      const i = rng.int(lines.length);
      const n = Math.min(rng.size(6), lines.length - i);
      const by = rng.between(1, 4);
      for (let k = i; k < i + n; k++) lines[k] = (lines[k] as string).replace(new RegExp(`^[ \\t]{1,${by}}`, 'u'), '');
      return `${n} from line ${i + 1} by up to ${by}`;
    }),
  },
  {
    name: 'repeat-line',
    weight: 1,
    apply: onLines((lines, rng) => {
      const i = rng.int(lines.length);
      const times = rng.size(3000);
      lines.splice(i + 1, 0, ...Array<string>(times).fill(withEnd(lines[i] as string)));
      return `line ${i + 1} ×${times}`;
    }),
  },
  {
    name: 'join-lines',
    weight: 2,
    apply: onLines((lines, rng) => {
      if (lines.length < 2) return undefined;
      const i = rng.int(lines.length - 1);
      lines[i] = (lines[i] as string).replace(/\r?\n$/u, rng.pick(['', ' ', '\r']));
      return `line ${i + 1} with the next`;
    }),
  },
  {
    name: 'crlf',
    weight: 1,
    apply: onText((text, rng) => {
      const all = rng.chance(0.5);
      if (all) return { text: text.replace(/\r?\n/gu, '\r\n'), detail: 'every line end' };
      const at = text.indexOf('\n', rng.int(text.length));
      return at < 0 ? undefined : { text: `${text.slice(0, at)}\r${text.slice(at)}`, detail: `line end at ${at}` };
    }),
  },
];

const withEnd = (line: string): string => (line.endsWith('\n') ? line : `${line}\n`);

// ─── Structure-aware mutations ───────────────────────────────────────────────

const YAML_KINDS: readonly FileKind[] = ['codebook', 'panel', 'plan', 'config', 'transcript'];

const structureMutators: Mutator[] = [
  {
    name: 'front-matter-fence',
    weight: 3,
    kinds: ['transcript'],
    apply: onText((text, rng) => {
      const closing = /\n---[ \t]*\r?\n/u.exec(text);
      const edits: [string, () => string | undefined][] = [
        ['drop the opening fence', () => (text.startsWith('---') ? text.replace(/^---\r?\n/u, '') : undefined)],
        ['drop the closing fence', () => (closing ? text.slice(0, closing.index + 1) + text.slice(closing.index + closing[0].length) : undefined)],
        ['opening fence `----`', () => text.replace(/^---/u, '----')],
        ['opening fence `--- x`', () => text.replace(/^---/u, '--- x')],
        ['closing fence `...`', () => (closing ? `${text.slice(0, closing.index)}\n...\n${text.slice(closing.index + closing[0].length)}` : undefined)],
        ['closing fence `-- -`', () => (closing ? `${text.slice(0, closing.index)}\n-- -\n${text.slice(closing.index + closing[0].length)}` : undefined)],
        ['a second front matter', () => (closing ? text.slice(0, closing.index + closing[0].length) + text.slice(0, closing.index + closing[0].length) + text.slice(closing.index + closing[0].length) : undefined)],
        ['an empty front matter', () => `---\n---\n${text}`],
        ['a fence in the body', () => `${text}\n---\nid: again\n---\n`],
        ['a leading blank line', () => `\n${text}`],
        ['a BOM and CRLF fences', () => `\ufeff${text.replace(/\n/gu, '\r\n')}`],
        ['only the front matter', () => (closing ? text.slice(0, closing.index + closing[0].length) : undefined)],
      ];
      const [what, edit] = rng.pick(edits);
      const out = edit();
      return out === undefined || out === text ? undefined : { text: out, detail: what };
    }),
  },
  {
    name: 'duplicate-key',
    weight: 3,
    kinds: YAML_KINDS,
    apply: onKeyLine((text, k) => {
      const copy = text.slice(k.start, k.end).replace(/^([ \t]*)- /u, '$1  ');
      return { text: `${text.slice(0, k.end)}\n${copy}${text.slice(k.end)}`, detail: `\`${k.key}\` at ${k.start}` };
    }),
  },
  {
    name: 'replace-yaml-value',
    weight: 5,
    kinds: YAML_KINDS,
    apply: onKeyLine(
      (text, k, rng) => {
        const value = rng.pick(YAML_VALUES);
        return { text: withValue(text, k, value), detail: `\`${k.key}\` = ${show(value)}` };
      },
      (k, rng) => k.value !== '' || rng.chance(0.3),
    ),
  },
  {
    name: 'anchor-alias',
    weight: 3,
    kinds: YAML_KINDS,
    apply: onText((text, rng) => {
      const keys = keyLines(text).filter((k) => k.value !== '');
      if (keys.length < 1) return undefined;
      const a = rng.pick(keys);
      const b = rng.pick(keys);
      if (rng.chance(0.2)) {
        // A small alias fan-out: within the limit or just past it.
        const fan = rng.pick([3, 5, 11]);
        const bomb = [`x0: &x0 [lol, lol]`];
        for (let i = 1; i < 4; i++) bomb.push(`x${i}: &x${i} [${Array<string>(fan).fill(`*x${i - 1}`).join(', ')}]`);
        return { text: `${text.replace(/\n*$/u, '\n')}${bomb.join('\n')}\n`, detail: `an alias fan-out of ${fan}` };
      }
      const first = a.start < b.start ? a : b;
      const second = a.start < b.start ? b : a;
      const anchored = `${text.slice(0, first.end - first.value.length)}&fz ${first.value}`;
      const middle = text.slice(first.end, second.end - second.value.length);
      const alias = rng.pick(['*fz', '*fz ', '*nope', '<<: *fz', '[*fz, *fz]']);
      return { text: `${anchored}${middle}${alias}${text.slice(second.end)}`, detail: `&fz on \`${first.key}\`, ${show(alias)} for \`${second.key}\`` };
    }),
  },
  {
    name: 'deep-nesting',
    weight: 1,
    kinds: YAML_KINDS,
    apply: onKeyLine((text, k, rng) => {
      const depth = rng.pick([10, 63, 64, 65, 200]);
      const flow = rng.chance(0.5);
      const value = flow ? `${'['.repeat(depth)}x${']'.repeat(depth)}` : `\n${Array.from({ length: depth }, (_, i) => `${k.indent}${'  '.repeat(i + 1)}k${i}:`).join('\n')} x`;
      return { text: withValue(text, k, value), detail: `\`${k.key}\` nested ${depth} deep (${flow ? 'flow' : 'block'})` };
    }),
  },
  {
    name: 'yaml-document-markers',
    weight: 1,
    kinds: ['codebook', 'panel', 'plan', 'config'],
    apply: onText((text, rng) => {
      const lines = linesOf(text);
      const i = rng.int(lines.length + 1);
      const insert = rng.pick(['---\n', '...\n', '%YAML 1.1\n', '%TAG ! tag:x,2000:\n', '--- |\n', '--- !!map\n', '? key\n: value\n', '# comment\n']);
      lines.splice(i, 0, insert);
      return { text: lines.join(''), detail: `${show(insert)} before line ${i + 1}` };
    }),
  },
  {
    name: 'long-line',
    weight: 2,
    apply: onText((text, rng) => {
      const at = charPosition(text, rng);
      const unit = rng.pick(['a', 'é', 'alliance ', 'l\u2019', '\u{1F600}', '{#', '[', ' ', '-', "d'", 'x.']);
      const times = rng.pick([1000, 20_000, 200_000]);
      return { text: text.slice(0, at) + unit.repeat(times) + text.slice(at), detail: `${show(unit)} ×${times} at char ${at}` };
    }),
  },
  {
    name: 'marker',
    weight: 6,
    kinds: ['transcript'],
    apply: onText((text, rng, ctx) => {
      const code = (): string =>
        rng.weighted([
          [6, rng.pick(ctx.codes.length > 0 ? ctx.codes : ['x'])],
          [1, 'no.such.code'],
          [1, `${rng.pick(ctx.codes.length > 0 ? ctx.codes : ['x'])}x`],
          [1, rng.pick(['', ' ', '.', 'a..b', '-', 'É.tat', '#', '{', 'a b', '\u{1F600}', 'x'.repeat(500)])],
        ]);
      const paras = paragraphs(text);
      const para = paras.length > 0 && rng.chance(0.8) ? rng.pick(paras) : ([0, text.length] as [number, number]);
      const at = charPosition(text, rng, para[0], para[1]);
      const kinds: [string, () => { text: string; what: string }][] = [
        ['add', () => ins(at, `{#${code()}}`)],
        ['add several', () => ins(at, `{${Array.from({ length: rng.size(40) }, () => `#${code()}`).join(' ')}}`)],
        ['reject', () => ins(at, `{!${code()}}`)],
        ['span', () => wrap(at, charPosition(text, rng, at, Math.min(text.length, at + rng.size(400))), '[', `]{#${code()}}`)],
        ['span across paragraphs', () => wrap(at, charPosition(text, rng, at, Math.min(text.length, at + rng.size(5000))), '[', `]{#${code()}}`)],
        ['begin/end', () => {
          const c = code();
          return wrap(at, charPosition(text, rng, at, Math.min(text.length, at + rng.size(8000))), `{>${c}}`, `{<${c}}`);
        }],
        ['end before begin', () => {
          const c = code();
          return wrap(at, charPosition(text, rng, at, Math.min(text.length, at + rng.size(2000))), `{<${c}}`, `{>${c}}`);
        }],
        ['begin only', () => ins(at, `{>${code()}}`)],
        ['end only', () => ins(at, `{<${code()}}`)],
        ['unclosed', () => ins(at, `{#${code()}`)],
        ['closing span only', () => ins(at, `]{#${code()}}`)],
        ['nested spans', () => {
          const c = code();
          const end = charPosition(text, rng, at, Math.min(text.length, at + rng.size(300)));
          const mid = charPosition(text, rng, at, end);
          return { text: `${text.slice(0, at)}[[${text.slice(at, mid)}]{#${c}}${text.slice(mid, end)}]{#${code()}}${text.slice(end)}`, what: `nested spans ${at}-${mid}-${end}` };
        }],
        ['escaped', () => ins(at, rng.pick(['\\[', '\\{', '\\{#x}', '\\]{#x}', '\\\\{#x}']))],
        ['alone in a paragraph', () => ins(para[1], `\n\n{#${code()}}`)],
        ['before the first paragraph', () => ins(bodyStart(text), `{#${code()}}\n\n`)],
      ];
      function ins(pos: number, s: string): { text: string; what: string } {
        return { text: text.slice(0, pos) + s + text.slice(pos), what: `${show(s)} at char ${pos}` };
      }
      function wrap(from: number, to: number, open: string, close: string): { text: string; what: string } {
        return { text: text.slice(0, from) + open + text.slice(from, to) + close + text.slice(to), what: `${show(open)}…${show(close)} around chars ${from}-${to}` };
      }
      const [what, make] = rng.pick(kinds);
      const out = make();
      return { text: out.text, detail: `${what}: ${out.what}` };
    }),
  },
  {
    name: 'speaker',
    weight: 2,
    kinds: ['transcript'],
    apply: onText((text, rng) => {
      const paras = paragraphs(text);
      if (paras.length === 0) return undefined;
      const [start] = rng.pick(paras);
      const label = rng.pick(['**Q :** ', '**R :** ', 'R: ', 'Q : ', '**X :** ', '**R** : ', '**R :**', '**R : ', '[00:12:03] ', '[00:12:03.250] **R :** ', '**R :** [12:03] ', '[99:99:99] ', '# ', '<!-- note -->', '> ', '**:** ', ':', '**Q2 :** ']);
      const replace = rng.chance(0.4) ? (/^(?:\*\*[^*\n]{1,12}\*\*\s*:?\s*|[A-Z]\s?:\s)/u.exec(text.slice(start))?.[0].length ?? 0) : 0;
      return { text: text.slice(0, start) + label + text.slice(start + replace), detail: `${show(label)} at ${start}${replace ? ` over ${replace}` : ''}` };
    }),
  },
  {
    name: 'front-matter-field',
    weight: 4,
    kinds: ['transcript'],
    apply: onText((text, rng, ctx) => {
      const closing = /\n---[ \t]*\r?\n/u.exec(text);
      if (!text.startsWith('---') || !closing) return undefined;
      const attribute = ctx.attributes.length > 0 ? rng.pick(ctx.attributes) : (['x', ['y']] as const);
      const field = rng.pick([
        `id: ${rng.pick(ctx.ids.length > 0 ? ctx.ids : ['E01'])}`,
        `id: ""`,
        'id: [a, b]',
        'id: E01:3',
        'id: ../x',
        `label: ${rng.pick(ctx.names.length > 0 ? ctx.names : ['x'])}`,
        'label: ""',
        `attributes: {${attribute[0]}: nope}`,
        `attributes: {${attribute[0]}: [${attribute[1].join(', ')}]}`,
        'attributes: {nope: x}',
        'attributes: []',
        'date: 2021-02-30',
        'date: 21-06-14',
        'date: 2021-06-14T10:00:00Z',
        'language: xx',
        'language: en',
        'speakers: {Q: respondent, R: interviewer}',
        'speakers: {Q: boss}',
        'speakers: {"": respondent}',
        'speakers: {"**": respondent}',
        'speakers: {R: respondent, "R :": interviewer}',
        'speakers: []',
        'redact: [""]',
        'redact: [" "]',
        'redact: ["e"]',
        'redact: [".*"]',
        'redact: ["[·]"]',
        'redact: ["\\n"]',
        'redact: ["{#"]',
        'redact: ["l\'État"]',
        'redact: [alliance, alliances, Alliance]',
        `redact: [${Array.from({ length: 200 }, (_, i) => `n${i}`).join(', ')}]`,
        'redact: not-a-list',
        'notes: [a]',
        'duration: {}',
        'unknown_key: 1',
      ]);
      const at = rng.chance(0.5) ? 4 : closing.index + 1;
      return { text: `${text.slice(0, at)}${field}\n${text.slice(at)}`, detail: `${show(field)} at ${at}` };
    }),
  },
  {
    name: 'redacted-name',
    weight: 2,
    kinds: ['transcript'],
    apply: onText((text, rng, ctx) => {
      if (ctx.names.length === 0) return undefined;
      const name = rng.pick(ctx.names);
      const variant = rng.pick([name, name.toUpperCase(), name.toLowerCase(), name.replace(' ', '\n'), name.replace(' ', '  '), name.replace(' ', '\u00a0'), `[${name}]{#${rng.pick(ctx.codes.length > 0 ? ctx.codes : ['x'])}}`]);
      const at = charPosition(text, rng);
      return { text: text.slice(0, at) + variant + text.slice(at), detail: `${show(variant)} at char ${at}` };
    }),
  },
  {
    name: 'keyword',
    weight: 4,
    kinds: ['codebook'],
    apply: onText((text, rng) => {
      const lists = [...text.matchAll(/^([ \t]*)(keywords|unless): \[/gmu)];
      if (lists.length === 0) return undefined;
      const m = rng.pick(lists);
      const keyword = rng.pick(KEYWORDS);
      const at = (m.index ?? 0) + m[0].length;
      return { text: `${text.slice(0, at)}${JSON.stringify(keyword)}, ${text.slice(at)}`, detail: `${m[2]} ${show(keyword)} at ${at}` };
    }),
  },
  {
    name: 'pattern',
    weight: 3,
    kinds: ['codebook'],
    apply: onText((text, rng) => {
      const codes = [...text.matchAll(/^([ \t]*)(?:- )?id: [^\n]*\n/gmu)];
      if (codes.length === 0) return undefined;
      const m = rng.pick(codes);
      const indent = `${m[1] ?? ''}${m[0].trimStart().startsWith('- ') ? '  ' : ''}`;
      const pattern = rng.pick(PATTERNS);
      const at = (m.index ?? 0) + m[0].length;
      return { text: `${text.slice(0, at)}${indent}patterns: [${JSON.stringify(pattern)}]\n${text.slice(at)}`, detail: `${show(pattern)} at ${at}` };
    }),
  },
  {
    name: 'code-tree',
    weight: 2,
    kinds: ['codebook'],
    apply: onText((text, rng) => {
      const blocks = [...text.matchAll(/^([ \t]*)- id: [^\n]*\n(?:\1 [^\n]*\n|\s*\n)*/gmu)];
      if (blocks.length === 0) return undefined;
      const m = rng.pick(blocks);
      const start = m.index ?? 0;
      const block = m[0];
      const edits: [string, () => string][] = [
        ['duplicate a code', () => text.slice(0, start + block.length) + block + text.slice(start + block.length)],
        ['delete a code', () => text.slice(0, start) + text.slice(start + block.length)],
        ['a code as its own child', () => `${text.slice(0, start + block.length)}${m[1]}  children:\n${block.replace(/^/gmu, '    ')}${text.slice(start + block.length)}`],
        ['children: []', () => `${text.slice(0, start + block.length)}${m[1]}  children: []\n${text.slice(start + block.length)}`],
        ['children: null', () => `${text.slice(0, start + block.length)}${m[1]}  children:\n${text.slice(start + block.length)}`],
        ['id with a dot', () => text.slice(0, start) + block.replace(/- id: ([^\n]*)/u, '- id: $1.sub') + text.slice(start + block.length)],
        ['no id', () => text.slice(0, start) + block.replace(/- id: [^\n]*/u, '- idx: x') + text.slice(start + block.length)],
      ];
      const [what, edit] = rng.pick(edits);
      return { text: edit(), detail: `${what} at ${start}` };
    }),
  },
  {
    name: 'panel-entry',
    weight: 2,
    kinds: ['panel'],
    apply: onText((text, rng, ctx) => {
      const attribute = ctx.attributes.length > 0 ? rng.pick(ctx.attributes)[0] : 'x';
      const id = rng.pick(ctx.ids.length > 0 ? ctx.ids : ['E01']);
      const entry = rng.pick([
        `respondents:\n  ${id}: {${attribute}: nope}\n`,
        `respondents:\n  ${id}: {${attribute}: ${ctx.attributes.find(([a]) => a === attribute)?.[1][0] ?? 'x'}}\n  nobody: {}\n`,
        `respondents: []\n`,
        `  ${attribute}:\n    label: again\n`,
        `  extra:\n    values: [a, b]\n`,
        `  extra:\n    values: {}\n`,
        `  extra:\n    label: null\n    values: {a: null, b: ""}\n`,
      ]);
      return { text: `${text.replace(/\n*$/u, '\n')}${entry}`, detail: show(entry) };
    }),
  },
  {
    name: 'plan-entry',
    weight: 4,
    kinds: ['plan'],
    apply: onText((text, rng, ctx) => {
      const roll = rng.int(4);
      if (roll === 0) {
        const output = rng.pick(OUTPUTS);
        return { text: `output: ${output}\n${text}`, detail: `output: ${output}` };
      }
      const value = rng.pick(PLAN_VALUES).replace('actor', ctx.attributes[0]?.[0] ?? 'actor');
      if (roll === 1) {
        const section = `  - ${value.startsWith('kind') ? value : `kind: themes\n    ${value}`}\n`;
        return { text: `${text.replace(/\n*$/u, '\n')}${section}`, detail: `section ${show(section)}` };
      }
      const sections = [...text.matchAll(/^ {2}- kind: [^\n]*\n/gmu)];
      if (sections.length === 0) return undefined;
      const m = rng.pick(sections);
      const at = (m.index ?? 0) + m[0].length;
      return { text: `${text.slice(0, at)}    ${value}\n${text.slice(at)}`, detail: `${show(value)} at ${at}` };
    }),
  },
];

/** Every mutation of a file, with its weight. */
export const MUTATORS: readonly Mutator[] = [...byteMutators, ...lineMutators, ...structureMutators];

/**
 * Applies one mutation drawn for a file of this kind (a few draws when the
 * first do not apply); undefined when none applied.
 */
export function mutate(bytes: Buffer, kind: FileKind, rng: Rng, ctx: MutationContext): { name: string; result: Mutated } | undefined {
  const usable = MUTATORS.filter((m) => !m.kinds || m.kinds.includes(kind));
  for (let attempt = 0; attempt < 8; attempt++) {
    const mutator = rng.weighted(usable.map((m) => [m.weight, m] as const));
    const result = mutator.apply(bytes, rng, ctx, kind);
    if (result && !result.bytes.equals(bytes)) return { name: mutator.name, result };
  }
  return undefined;
}
