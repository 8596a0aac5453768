/** What a logo is: a PNG or a JPEG, and its size in pixels, read from its header. */
export interface ImageInfo {
  type: 'png' | 'jpg';
  width: number;
  height: number;
}

/** The largest logo a plan may name (it goes into every deck and document). */
export const MAX_LOGO_BYTES = 5 * 1024 * 1024;

/**
 * The type and size of a PNG (its IHDR) or a JPEG (its first SOF marker), or
 * undefined for anything else or an image too damaged to tell.
 */
export function imageInfo(bytes: Uint8Array): ImageInfo | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 24 && png.every((b, i) => bytes[i] === b) && String.fromCharCode(...bytes.subarray(12, 16)) === 'IHDR') {
    const width = view.getUint32(16);
    const height = view.getUint32(20);
    return width > 0 && height > 0 ? { type: 'png', width, height } : undefined;
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let at = 2;
    while (at + 9 < bytes.length) {
      if (bytes[at] !== 0xff) return undefined;
      const marker = bytes[at + 1] as number;
      if (marker === 0xff) {
        at += 1;
        continue;
      }
      const length = view.getUint16(at + 2);
      // SOF0–SOF15, but not DHT (C4), JPG (C8) or DAC (CC).
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        const height = view.getUint16(at + 5);
        const width = view.getUint16(at + 7);
        return width > 0 && height > 0 ? { type: 'jpg', width, height } : undefined;
      }
      if (length < 2) return undefined;
      at += 2 + length;
    }
  }
  return undefined;
}
