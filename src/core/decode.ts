/**
 * Turns file bytes into text without ever producing mojibake: UTF-8 (BOM
 * accepted), UTF-16 and UTF-32 with a BOM, and Windows-1252/Latin-1 when the
 * bytes are plausibly that; anything else is refused with the offset of the
 * first bad byte.
 */

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be' | 'windows-1252';

export interface Decoded {
  /** The text, BOM removed; undefined when refused. */
  text?: string;
  /** The encoding read (or, for a refused UTF-16 or UTF-32 file, the one it claims). */
  encoding?: Encoding;
  /** Why the bytes were refused, or why a legacy decoding was chosen. */
  problem?: { kind: 'binary' | 'invalid' | 'legacy'; offset: number; message: string };
  /** For a refused text file: the text before the bad byte, to point at its line. */
  before?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Decodes bytes; see the module comment for the policy. */
export function decode(bytes: Uint8Array): Decoded {
  // UTF-32's byte order marks first: the little-endian one starts like UTF-16's.
  if (bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0) return utf32(bytes, true);
  if (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff) return utf32(bytes, false);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16(bytes, 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16(bytes, 'utf-16be');
  // A zero byte in the first 8 KB marks a binary file, as git decides (text never has one there).
  const nul = bytes.subarray(0, 8192).indexOf(0);
  if (nul >= 0) {
    return { problem: { kind: 'binary', offset: nul, message: `This is not a text file (a zero byte at offset ${nul}); export it as UTF-8 text, or use \`verbatim import\`.` }, before: '' };
  }
  try {
    return { text: utf8.decode(bytes), encoding: 'utf-8' };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    if (plausibleWindows1252(bytes)) {
      return {
        text: decodeWindows1252(bytes),
        encoding: 'windows-1252',
        problem: { kind: 'legacy', offset, message: `The file is not UTF-8 (byte ${offset} is 0x${hex(bytes[offset])}); it was read as Windows-1252. Convert it to UTF-8 (for example \`iconv -f WINDOWS-1252 -t UTF-8\`).` },
      };
    }
    // ED A0…ED BF: a UTF-16 surrogate written as UTF-8, as CESU-8 (and Java's modified UTF-8) write characters outside the BMP.
    const surrogate = bytes[offset] === 0xed && (bytes[offset + 1] ?? 0) >= 0xa0 && (bytes[offset + 1] ?? 0) <= 0xbf;
    const why = surrogate ? ' (it begins a UTF-16 surrogate, as CESU-8 writes characters outside the Basic Multilingual Plane)' : '';
    return { problem: { kind: 'invalid', offset, message: `The file is not UTF-8 text: byte ${offset} (0x${hex(bytes[offset])}) is invalid${why}. Convert it to UTF-8.` }, before: utf8.decode(bytes.subarray(0, offset)) };
  }
}

function utf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): Decoded {
  try {
    const text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
    return { text, encoding, problem: { kind: 'legacy', offset: 0, message: `The file is ${encoding.toUpperCase()}; it was read, but convert it to UTF-8 so that other tools agree on offsets.` } };
  } catch {
    const offset = firstInvalidUtf16(bytes, encoding === 'utf-16le');
    return {
      encoding,
      problem: { kind: 'invalid', offset, message: `The file starts like ${encoding.toUpperCase()} but is not valid ${encoding.toUpperCase()}: byte ${offset} begins no character. Convert it to UTF-8.` },
      before: new TextDecoder(encoding).decode(bytes.subarray(0, offset)),
    };
  }
}

/**
 * UTF-32 with its byte order mark, which no TextDecoder reads: four bytes per
 * character, each a code point up to U+10FFFF that is not a surrogate.
 */
function utf32(bytes: Uint8Array, little: boolean): Decoded {
  const encoding = little ? 'utf-32le' : 'utf-32be';
  const name = encoding.toUpperCase();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: string[] = [];
  let points: number[] = [];
  let offset = 4;
  for (; offset + 4 <= bytes.length; offset += 4) {
    const cp = view.getUint32(offset, little);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) break;
    points.push(cp);
    // A bounded spread: a few thousand arguments at a time, far below the stack's limit.
    if (points.length === 4096) {
      chunks.push(String.fromCodePoint(...points));
      points = [];
    }
  }
  chunks.push(String.fromCodePoint(...points));
  const text = chunks.join('');
  if (offset < bytes.length) {
    return { encoding, problem: { kind: 'invalid', offset, message: `The file starts like ${name} but is not valid ${name}: byte ${offset} begins no character. Convert it to UTF-8.` }, before: text };
  }
  return { text, encoding, problem: { kind: 'legacy', offset: 0, message: `The file is ${name}; it was read, but convert it to UTF-8 so that other tools agree on offsets.` } };
}

/** The offset of the first code unit of `bytes` that is not part of valid UTF-16 (a lone surrogate, or a last odd byte). */
function firstInvalidUtf16(bytes: Uint8Array, little: boolean): number {
  const unit = (i: number): number => (little ? (bytes[i] as number) | ((bytes[i + 1] as number) << 8) : ((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  let i = 0;
  for (; i + 1 < bytes.length; i += 2) {
    const u = unit(i);
    if (u >= 0xdc00 && u <= 0xdfff) return i;
    if (u >= 0xd800 && u <= 0xdbff) {
      if (i + 3 >= bytes.length) return i;
      const low = unit(i + 2);
      if (low < 0xdc00 || low > 0xdfff) return i;
      i += 2;
    }
  }
  return i;
}

/**
 * Windows-1252 → text. Not `new TextDecoder('windows-1252')`: some Node
 * versions (20.x among them) decode it as Latin-1, turning 0x80–0x9F (’ “ ” … € œ)
 * into invisible C1 controls, i.e. mojibake.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = bytes.subarray(i, i + 8192);
    const codes = new Array<number>(chunk.length);
    for (let k = 0; k < chunk.length; k++) {
      const b = chunk[k] as number;
      codes[k] = b >= 0x80 && b <= 0x9f ? (CP1252_HIGH[b - 0x80] as number) : b;
    }
    out += String.fromCharCode(...codes);
  }
  return out;
}

/** 0x80–0x9F in Windows-1252; the five undefined bytes map to themselves, as the WHATWG Encoding Standard says. */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

function hex(b: number | undefined): string {
  return (b ?? 0).toString(16).toUpperCase().padStart(2, '0');
}

/**
 * The length of the well-formed UTF-8 sequence at `i` (1 for ASCII), or 0
 * when the bytes there begin none. Well-formed as the Unicode standard (table
 * 3-7) and TextDecoder say: no overlong forms (`E0 80`, `F0 80`), no
 * surrogates (`ED A0`, as CESU-8 writes characters outside the BMP), nothing
 * past U+10FFFF (`F4 90`).
 */
function sequenceAt(bytes: Uint8Array, i: number): number {
  const b = bytes[i] as number;
  if (b < 0x80) return 1;
  let n: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) n = 1;
  else if (b >= 0xe0 && b <= 0xef) {
    n = 2;
    if (b === 0xe0) lo = 0xa0;
    else if (b === 0xed) hi = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    n = 3;
    if (b === 0xf0) lo = 0x90;
    else if (b === 0xf4) hi = 0x8f;
  } else return 0;
  // Only the second byte has a narrower range; the others are any continuation byte.
  const second = bytes[i + 1];
  if (second === undefined || second < lo || second > hi) return 0;
  for (let k = 2; k <= n; k++) {
    const c = bytes[i + k];
    if (c === undefined || (c & 0xc0) !== 0x80) return 0;
  }
  return n + 1;
}

/** Offset of the first byte that breaks UTF-8 (the lead byte of the bad sequence), or the length when there is none. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const n = sequenceAt(bytes, i);
    if (n === 0) return i;
    i += n;
  }
  return bytes.length;
}

/**
 * Windows-1252 is plausible when the high bytes are mostly Latin letters and
 * typographic punctuation, and none is one of the five undefined positions or
 * a C1 control. Text in another legacy encoding (Mac Roman, CP850…) usually
 * fails this, and is then refused rather than misread.
 */
function plausibleWindows1252(bytes: Uint8Array): boolean {
  // As many well-formed UTF-8 sequences as stray high bytes: a file mixing
  // encodings (UTF-8 text with a pasted Windows-1252 quote). Either decoding
  // would garble part of it, so it is refused. (Real Windows-1252 text forms a
  // UTF-8 sequence only by chance, e.g. `é` + no-break space + `»`.)
  if (mixedUtf8(bytes)) return false;
  const undefinedBytes = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);
  let high = 0;
  let letters = 0;
  for (const b of bytes) {
    if (b < 0x80) continue;
    high++;
    if (undefinedBytes.has(b)) return false;
    // À-ÿ except × and ÷, plus Œ œ Š š Ž ž Ÿ
    if ((b >= 0xc0 && b !== 0xd7 && b !== 0xf7) || [0x8c, 0x9c, 0x8a, 0x9a, 0x8e, 0x9e, 0x9f].includes(b)) letters++;
    // typographic quotes, dashes, ellipsis, nbsp, euro, guillemets, degree
    else if ([0x80, 0x85, 0x91, 0x92, 0x93, 0x94, 0x96, 0x97, 0xa0, 0xab, 0xbb, 0xb0, 0xa9, 0xae].includes(b)) letters++;
  }
  return high > 0 && letters / high >= 0.9;
}

/**
 * True when multi-byte sequences shaped like UTF-8 (a lead byte and its
 * continuation bytes, well-formed or not: CESU-8's surrogates count) are at
 * least as many as the high bytes outside them.
 */
function mixedUtf8(bytes: Uint8Array): boolean {
  let sequences = 0;
  let stray = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b < 0x80) continue;
    const n = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0;
    let ok = n > 0;
    for (let k = 1; ok && k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) ok = false;
    }
    if (ok) {
      sequences++;
      i += n;
    } else stray++;
  }
  return sequences > 0 && sequences >= stray;
}

/**
 * The text with every lone CR (the line end of old Mac files) turned into LF.
 * One character for one, so offsets, lines and columns stay those of the file;
 * the YAML parser, which does not take a lone CR for a line end, then reads
 * the front matter and the YAML files of such projects.
 */
export function loneCrAsLf(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}
