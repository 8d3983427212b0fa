import { ApiProperty } from '@nestjs/swagger';

export class UploadImageDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'JPEG, PNG, WebP or GIF (recognised by its bytes), at most CHAT_MAX_UPLOAD_BYTES' })
  file: unknown;
}

export class UploadedImageDto {
  /**
   * Send it as the content of a message with type "image"
   * @example "http://localhost:3000/api/chat/uploads/0b9c…e1.png"
   */
  url: string;
  /** @example "image/png" */
  content_type: string;
  size: number;
}
