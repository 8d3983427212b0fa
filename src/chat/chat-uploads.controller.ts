import { Controller, Get, Param, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated } from '../auth/authenticated.decorator';
import { ROLES } from '../auth/principal';
import { notFound } from '../common/app-error';
import { sendMedia } from '../media/send-media';
import { ChatUploadsService } from './chat-uploads.service';
import { UploadedImageDto, UploadImageDto } from './dto/upload.dto';

/**
 * Images for `image` messages. Upload needs a user's token; the files are
 * served without one (an <img> cannot send a header), under names of 122
 * random bits that only the conversation's messages reveal.
 */
@ApiTags('chat')
@Controller('api/chat/uploads')
export class ChatUploadsController {
  constructor(private readonly uploads: ChatUploadsService) {}

  /** The size cap comes from CHAT_MAX_UPLOAD_BYTES through the module's multer options. */
  @Post()
  @Authenticated({ roles: ROLES })
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadImageDto })
  @ApiCreatedResponse({ type: UploadedImageDto })
  upload(@UploadedFile() file: Express.Multer.File | undefined): Promise<UploadedImageDto> {
    return this.uploads.upload(file);
  }

  @Get(':file')
  @ApiProduces('image/jpeg', 'image/png', 'image/webp', 'image/gif')
  @ApiOkResponse({ description: 'The image bytes' })
  async file(@Param('file') name: string, @Res() res: Response): Promise<void> {
    const image = await this.uploads.open(name);
    if (!image) throw notFound('Image');
    sendMedia(res, image, { cacheControl: 'public, max-age=31536000, immutable' });
  }
}
