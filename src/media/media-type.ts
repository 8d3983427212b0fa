/**
 * What an uploaded file is, by its first bytes. A file's name and the type its
 * uploader claims are never trusted: a script renamed to `.jpg` is not an image.
 */
export interface MediaType {
  mime: string;
  ext: string;
}

/** The images every upload route accepts (chat pictures, faces, staff photos). */
export const IMAGE_TYPES = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
} as const;

export const AUDIO_TYPES = {
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  flac: 'audio/flac',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  webm: 'audio/webm',
  aac: 'audio/aac',
} as const;

export const IMAGE_NAMES = 'JPEG, PNG, WebP or GIF';
export const AUDIO_NAMES = 'WAV, MP3, OGG, FLAC, M4A/AAC or WebM';

const type = (ext: keyof typeof IMAGE_TYPES | keyof typeof AUDIO_TYPES): MediaType => ({ ext, mime: mimeOfExt(ext)! });
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function sniffImage(b: Buffer): MediaType | null {
  const ascii = (from: number, to: number) => b.toString('latin1', from, to);
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return type('jpg');
  if (b.length >= 8 && b.subarray(0, 8).equals(PNG)) return type('png');
  if (b.length >= 6 && (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a')) return type('gif');
  if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return type('webp');
  return null;
}

export function sniffAudio(b: Buffer): MediaType | null {
  const ascii = (from: number, to: number) => b.toString('latin1', from, to);
  if (b.length < 12) return null;
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return type('wav');
  if (ascii(0, 4) === 'OggS') return type('ogg');
  if (ascii(0, 4) === 'fLaC') return type('flac');
  if (ascii(0, 3) === 'ID3') return type('mp3');
  if (ascii(4, 8) === 'ftyp' && /^(M4A |M4B |mp42|mp41|isom|dash)$/.test(ascii(8, 12))) return type('m4a');
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return type('webm');
  // ADTS AAC before MPEG audio: both start with a 12-bit sync word.
  if (b[0] === 0xff && (b[1] & 0xf6) === 0xf0) return type('aac');
  if (b[0] === 0xff && (b[1] & 0xe0) === 0xe0 && (b[1] & 0x06) !== 0) return type('mp3');
  return null;
}

/** The type a stored file is served with, from the extension its content decided when it was stored. */
export function mimeOfExt(ext: string): string | null {
  return (IMAGE_TYPES as Record<string, string>)[ext] ?? (AUDIO_TYPES as Record<string, string>)[ext] ?? null;
}
