/** Reading UTF-8 bytes in place, one character at a time (the bytes are known to be valid UTF-8). */

/** The UTF-16 code unit of the character at `i`, and its length in bytes, packed as `unit * 4 + length`; -1 for a 4-byte sequence. */
export function charAt(bytes: Uint8Array, i: number): number {
  const b = bytes[i] as number;
  if (b < 0x80) return b * 4 + 1;
  if (b < 0xe0) return (((b & 0x1f) << 6) | ((bytes[i + 1] as number) & 0x3f)) * 4 + 2;
  if (b < 0xf0) return (((b & 0x0f) << 12) | (((bytes[i + 1] as number) & 0x3f) << 6) | ((bytes[i + 2] as number) & 0x3f)) * 4 + 3;
  return -1;
}
