/** An image type recognised from its first bytes. */
export interface ImageType {
  mime: 'image/jpeg' | 'image/png' | 'image/webp';
  ext: 'jpg' | 'png' | 'webp';
}

export const IMAGE_TYPES: readonly ImageType[] = [
  { mime: 'image/jpeg', ext: 'jpg' },
  { mime: 'image/png', ext: 'png' },
  { mime: 'image/webp', ext: 'webp' },
];

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The type of an image by its magic bytes. A file's name and the type its
 * uploader claims are never trusted: a script renamed to `.jpg` is not an image.
 */
export function sniffImage(bytes: Buffer): ImageType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return IMAGE_TYPES[0];
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG)) return IMAGE_TYPES[1];
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return IMAGE_TYPES[2];
  return null;
}

export function imageTypeOfExt(ext: string): ImageType | null {
  return IMAGE_TYPES.find((t) => t.ext === ext) ?? null;
}
