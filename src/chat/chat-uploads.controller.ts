import { Controller, Get, Param, Post, Res, UploadedFile } from '@nestjs/common';
import { FileUpload } from '../common/file-upload';
import { ChatConfig } from './chat.config';
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

  @Post()
  @Authenticated({ roles: ROLES })
  @FileUpload({ field: 'file', maxBytes: (c) => ChatConfig.read(c).CHAT_MAX_UPLOAD_BYTES, what: 'image' })
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
