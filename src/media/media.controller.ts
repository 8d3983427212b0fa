import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiNotModifiedResponse, ApiOkResponse, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { notFound } from '../common/app-error';
import { MediaStorage } from './media-storage';
import { sendMedia } from './send-media';

const PUBLIC_IMAGE = /^[a-z0-9_]{1,40}\/[0-9a-f]{32}\.(jpg|png|webp|gif)$/;

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
  @ApiProduces('image/jpeg', 'image/png', 'image/webp', 'image/gif')
  @ApiOkResponse({ description: 'The image; immutable, cache it forever', schema: { type: 'string', format: 'binary' } })
  @ApiNotModifiedResponse({ description: 'If-None-Match matched the ETag' })
  @ApiNotFoundResponse({ description: 'No such file' })
  async serve(@Param('folder') folder: string, @Param('file') file: string, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() res: Response): Promise<void> {
    const path = `${folder}/${file}`;
    // Only generated image names are public here; sounds, chat pictures, speech and faces (signed URLs) have their own routes.
    const media = PUBLIC_IMAGE.test(path) && !this.media.isPrivate(path) ? await this.media.open(path) : null;
    if (!media) throw notFound('Media file');
    // A generated name never gets other bytes, so caches may keep it for good.
    sendMedia(res, media, { cacheControl: 'public, max-age=31536000, immutable', ifNoneMatch });
  }
}
