import type { Response } from 'express';
import type { OpenedMedia } from './media-storage';

export interface SendMediaOptions {
  cacheControl: string;
  /** The request's If-None-Match; a match is answered 304. */
  ifNoneMatch?: string;
  /** Overrides the stored file's name-derived ETag (bells use the sound's checksum). */
  etag?: string;
  contentDisposition?: string;
}

/** Streams a stored file with its type, length and validator; every media route serves files this way. */
export function sendMedia(res: Response, media: OpenedMedia, options: SendMediaOptions): void {
  const etag = options.etag ?? media.etag;
  res.setHeader('Cache-Control', options.cacheControl);
  res.setHeader('ETag', etag);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  const inm = options.ifNoneMatch;
  if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*')) {
    media.stream.destroy();
    res.status(304).end();
    return;
  }
  res.setHeader('Content-Type', media.mimeType);
  res.setHeader('Content-Length', String(media.size));
  if (options.contentDisposition) res.setHeader('Content-Disposition', options.contentDisposition);
  media.stream.on('error', () => res.destroy());
  media.stream.pipe(res);
}
