import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiNotModifiedResponse, ApiOkResponse, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { notFound } from '../common/app-error';
import { MediaStorage } from './media-storage';

/**
 * Serves stored media. Public on purpose: `<img src>` in a back office cannot
 * send a token. Names are 128-bit random and never listed; only names the
 * storage generated are served, so no path can reach outside MEDIA_DIR.
 */
@ApiTags('media')
@Controller('media')
export class MediaController {
  constructor(private readonly media: MediaStorage) {}

  @Get(':folder/:file')
  @ApiParam({ name: 'folder', example: 'client_images' })
  @ApiParam({ name: 'file', example: '3f2a9c0e5b7d41a8b6c2e1f0a9d8c7b6.jpg' })
  @ApiProduces('image/jpeg', 'image/png', 'image/webp')
  @ApiOkResponse({ description: 'The image; immutable, cache it forever', schema: { type: 'string', format: 'binary' } })
  @ApiNotModifiedResponse({ description: 'If-None-Match matched the ETag' })
  @ApiNotFoundResponse({ description: 'No such file' })
  async serve(@Param('folder') folder: string, @Param('file') file: string, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() res: Response): Promise<void> {
    const media = await this.media.open(`${folder}/${file}`);
    if (!media) throw notFound('Media file');
    // A generated name never gets other bytes, so caches may keep it for good.
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.setHeader('ETag', media.etag);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === media.etag || t.trim() === '*')) {
      media.stream.destroy();
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Type', media.mimeType);
    res.setHeader('Content-Length', String(media.size));
    media.stream.on('error', () => res.destroy());
    media.stream.pipe(res);
  }
}
