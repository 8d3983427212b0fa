import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated } from '../auth/authenticated.decorator';
import { Clock } from '../common/clock';
import { AppError, badRequest, ErrorCode, notFound } from '../common/app-error';
import { MediaStorage } from '../media/media-storage';
import { sendMedia } from '../media/send-media';
import { AttendanceImageUrls, PRIVATE_FOLDERS } from './attendance-image-urls';

/**
 * Faces and photos behind signed URLs. Serving is open (an <img> sends no
 * token) but needs a valid, unexpired signature; signing needs a back-office
 * login. `sign` is declared first so `sign` is never read as a folder.
 */
@ApiTags('attendance')
@Controller('api/attendance/images')
export class AttendanceImagesController {
  constructor(
    private readonly urls: AttendanceImageUrls,
    private readonly media: MediaStorage,
    private readonly clock: Clock,
  ) {}

  @Get('sign')
  @Authenticated({ roles: ['admin', 'manager'] })
  @ApiOkResponse({ description: 'A fresh signed URL for an image URL the server gave out earlier (expired or not)' })
  sign(@Query('url') url: string | undefined): { url: string; expires_at: string } {
    const path = typeof url === 'string' ? this.urls.pathOf(url) : null;
    if (!path) throw badRequest('url must be an attendance image URL this server gave out', { field: 'url' });
    const signed = this.urls.url(path)!;
    return { url: signed, expires_at: new Date(Number(new URL(signed).searchParams.get('expires')) * 1000).toISOString() };
  }

  @Get(':folder/:file')
  @ApiProduces('image/jpeg', 'image/png', 'image/webp', 'image/gif')
  @ApiOkResponse({ description: 'The image', schema: { type: 'string', format: 'binary' } })
  @ApiForbiddenResponse({ description: 'Signature missing, wrong or expired' })
  @ApiNotFoundResponse({ description: 'No such image (deleted, or its retention ended)' })
  async serve(
    @Param('folder') folder: string,
    @Param('file') file: string,
    @Query('expires') expires: string | undefined,
    @Query('signature') signature: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const path = `${folder}/${file}`;
    const verdict = (PRIVATE_FOLDERS as readonly string[]).includes(folder) ? this.urls.verify(path, expires, signature) : 'invalid';
    if (verdict === 'expired') throw new AppError(ErrorCode.FORBIDDEN, 'This image link has expired: ask for a fresh one (GET /api/attendance/images/sign?url=…)');
    if (verdict !== 'ok') throw new AppError(ErrorCode.FORBIDDEN, 'This image link is not valid');
    const media = await this.media.open(path);
    if (!media) throw notFound('Image');
    // Private: a shared cache must not keep a face past the link's expiry.
    sendMedia(res, media, { cacheControl: `private, max-age=${Math.max(0, Number(expires) - Math.floor(this.clock.now() / 1000))}`, ifNoneMatch });
  }
}
