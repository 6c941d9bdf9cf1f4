// What a picture's bytes are, by their signature: the media proxy serves only bytes that are an image browsers show.

/** The media type of raster image bytes (JPEG, PNG, GIF, WebP, AVIF, BMP, ICO), or null when they are none of these. */
export function sniffImage(bytes: Uint8Array): string | null {
  const at = (offset: number, ...signature: number[]) => signature.every((byte, i) => bytes[offset + i] === byte);
  const text = (offset: number, s: string) => at(offset, ...[...s].map((c) => c.charCodeAt(0)));
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (text(0, 'GIF87a') || text(0, 'GIF89a')) return 'image/gif';
  if (text(0, 'RIFF') && text(8, 'WEBP')) return 'image/webp';
  if (isAvif(bytes)) return 'image/avif';
  if (text(0, 'BM') && bytes.length >= 26) return 'image/bmp';
  if (at(0, 0x00, 0x00, 0x01, 0x00) && bytes.length >= 22) return 'image/x-icon';
  return null;
}

const AVIF_BRANDS = new Set(['avif', 'avis']);

// An ISO-BMFF file opens with its ftyp box: size, "ftyp", the major brand, a version, then compatible brands.
// HEIC and MP4 share the layout; only an AVIF brand makes it a picture every browser shows.
function isAvif(bytes: Uint8Array): boolean {
  if (bytes.length < 16 || ascii(bytes, 4, 8) !== 'ftyp') return false;
  const size = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  const end = Math.min(size, bytes.length, 256);
  if (AVIF_BRANDS.has(ascii(bytes, 8, 12))) return true;
  for (let offset = 16; offset + 4 <= end; offset += 4) if (AVIF_BRANDS.has(ascii(bytes, offset, offset + 4))) return true;
  return false;
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}
