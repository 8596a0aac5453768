/**
 * Turns file bytes into text without ever producing mojibake: UTF-8 (BOM
 * accepted), UTF-16 with a BOM, and Windows-1252/Latin-1 when the bytes are
 * plausibly that; anything else is refused with the offset of the first bad byte.
 */

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface Decoded {
  /** The text, BOM removed; undefined when refused. */
  text?: string;
  /** The encoding read (or, for a refused UTF-16 file, the one it claims). */
  encoding?: Encoding;
  /** Why the bytes were refused, or why a legacy decoding was chosen. */
  problem?: { kind: 'binary' | 'invalid' | 'legacy'; offset: number; message: string };
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Decodes bytes; see the module comment for the policy. */
export function decode(bytes: Uint8Array): Decoded {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16(bytes, 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16(bytes, 'utf-16be');
  // A zero byte in the first 8 KB marks a binary file, as git decides (text never has one there).
  const nul = bytes.subarray(0, 8192).indexOf(0);
  if (nul >= 0) {
    return { problem: { kind: 'binary', offset: nul, message: `This is not a text file (a zero byte at offset ${nul}); export it as UTF-8 text, or use \`verbatim import\`.` } };
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
    return { problem: { kind: 'invalid', offset, message: `The file is not UTF-8 text: byte ${offset} (0x${hex(bytes[offset])}) is invalid. Convert it to UTF-8.` } };
  }
}

function utf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): Decoded {
  try {
    const text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
    return { text, encoding, problem: { kind: 'legacy', offset: 0, message: `The file is ${encoding.toUpperCase()}; it was read, but convert it to UTF-8 so that other tools agree on offsets.` } };
  } catch {
    const offset = firstInvalidUtf16(bytes, encoding === 'utf-16le');
    // The encoding is kept with the refusal, so that the reader can point at the bad byte's line.
    return { encoding, problem: { kind: 'invalid', offset, message: `The file starts like ${encoding.toUpperCase()} but is not valid ${encoding.toUpperCase()}: byte ${offset} begins no character. Convert it to UTF-8.` } };
  }
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

/** Offset of the first byte that breaks UTF-8. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    let n: number;
    if (b < 0x80) n = 0;
    else if (b >= 0xc2 && b <= 0xdf) n = 1;
    else if (b >= 0xe0 && b <= 0xef) n = 2;
    else if (b >= 0xf0 && b <= 0xf4) n = 3;
    else return i;
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += n + 1;
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

/** True when well-formed multi-byte UTF-8 sequences are at least as many as the high bytes outside them. */
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
