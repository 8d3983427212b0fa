import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, badRequest, ErrorCode } from '../common/app-error';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { IMAGE_TYPES, sniffImage } from './image-type';
import { ChatConfig } from './chat.config';

/** Generated names only: a random UUID and the extension its bytes decided. */
const FILE_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(jpg|png|webp|gif)$/;
export const UPLOADS_ROUTE = '/api/chat/uploads/';

/**
 * Images for `image` messages, stored under MEDIA_DIR/chat by generated
 * name. The url is the message's content; a message may only carry a url of
 * a file that is really here.
 */
@Injectable()
export class ChatUploadsService {
  readonly dir: string;
  private readonly maxBytes: number;
  private readonly base: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.dir = join(config.mediaDir, 'chat');
    this.maxBytes = ChatConfig.read(config).CHAT_MAX_UPLOAD_BYTES;
    this.base = config.http.publicUrl.replace(/\/+$/, '') + UPLOADS_ROUTE;
  }

  async upload(file: { buffer: Buffer; size: number } | undefined): Promise<{ url: string; content_type: string; size: number }> {
    if (!file || !file.buffer?.length) throw badRequest('Send the image as the multipart field "file"');
    if (file.size > this.maxBytes) throw new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `The image is larger than ${this.maxBytes} bytes`);
    const type = sniffImage(file.buffer);
    if (!type) throw new AppError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'The file is not an image: send JPEG, PNG, WebP or GIF');
    const name = `${randomUUID()}.${type.ext}`;
    await mkdir(this.dir, { recursive: true });
    const tmp = join(this.dir, `.${name}.tmp`);
    await writeFile(tmp, file.buffer);
    await rename(tmp, join(this.dir, name));
    return { url: this.base + name, content_type: type.mime, size: file.buffer.length };
  }

  /** The stored file a url points to, when it is one of ours and exists. */
  async fileOfUrl(url: string): Promise<string | null> {
    if (!url.startsWith(this.base)) return null;
    return this.file(url.slice(this.base.length));
  }

  /** The path of a stored upload by name, or null. */
  async file(name: string): Promise<string | null> {
    if (!FILE_NAME.test(name)) return null;
    const path = join(this.dir, name);
    return (await stat(path).then((s) => s.isFile()).catch(() => false)) ? path : null;
  }

  mimeOf(name: string): string {
    return IMAGE_TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
  }
}
