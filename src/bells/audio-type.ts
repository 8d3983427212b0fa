/** What an uploaded file is, by its first bytes (the name and the client's type are not trusted). */
export interface AudioType {
  mime: string;
  ext: string;
}

export function sniffAudio(b: Buffer): AudioType | null {
  const ascii = (from: number, to: number) => b.subarray(from, to).toString('latin1');
  if (b.length < 12) return null;
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return { mime: 'audio/wav', ext: 'wav' };
  if (ascii(0, 4) === 'OggS') return { mime: 'audio/ogg', ext: 'ogg' };
  if (ascii(0, 4) === 'fLaC') return { mime: 'audio/flac', ext: 'flac' };
  if (ascii(0, 3) === 'ID3') return { mime: 'audio/mpeg', ext: 'mp3' };
  if (ascii(4, 8) === 'ftyp' && /^(M4A |M4B |mp42|mp41|isom|dash)$/.test(ascii(8, 12))) return { mime: 'audio/mp4', ext: 'm4a' };
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return { mime: 'audio/webm', ext: 'webm' };
  // ADTS AAC before MPEG audio: both start with a 12-bit sync word.
  if (b[0] === 0xff && (b[1] & 0xf6) === 0xf0) return { mime: 'audio/aac', ext: 'aac' };
  if (b[0] === 0xff && (b[1] & 0xe0) === 0xe0 && (b[1] & 0x06) !== 0) return { mime: 'audio/mpeg', ext: 'mp3' };
  return null;
}
