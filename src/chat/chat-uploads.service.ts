import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { badRequest, ErrorCode } from '../common/app-error';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { MediaStorage, OpenedMedia } from '../media/media-storage';
import { ChatConfig } from './chat.config';

const FOLDER = 'chat';
/** Generated names only: a random UUID and the extension its bytes decided. */
const FILE_NAME = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(jpg|png|webp|gif)$/;
export const UPLOADS_ROUTE = '/api/chat/uploads/';

/**
 * Images for `image` messages, kept in the media store (folder `chat`) by
 * generated name. The url is the message's content; a message may only carry
 * a url of a file that is really here.
 */
@Injectable()
export class ChatUploadsService {
  private readonly maxBytes: number;
  constructor(
    private readonly media: MediaStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.maxBytes = ChatConfig.read(config).CHAT_MAX_UPLOAD_BYTES;
  }

  /** Read per call: with PUBLIC_URL unset it is known only once the server listens. */
  private get base(): string {
    return this.config.http.publicUrl.replace(/\/+$/, '') + UPLOADS_ROUTE;
  }

  async upload(file: { buffer: Buffer; size: number } | undefined): Promise<{ url: string; content_type: string; size: number }> {
    if (!file || !file.buffer?.length) throw badRequest('Send the image as the multipart field "file"');
    const stored = await this.media.saveImage(file.buffer, FOLDER, { maxBytes: this.maxBytes, notImage: ErrorCode.UNSUPPORTED_MEDIA_TYPE, name: randomUUID() });
    return { url: this.base + stored.path.slice(FOLDER.length + 1), content_type: stored.mimeType, size: stored.size };
  }

  /** Whether a url is one of ours and its file exists. */
  async isStoredUrl(url: string): Promise<boolean> {
    const name = url.startsWith(this.base) ? url.slice(this.base.length) : '';
    return FILE_NAME.test(name) && this.media.exists(`${FOLDER}/${name}`);
  }

  /** A stored upload by name, or null. */
  async open(name: string): Promise<OpenedMedia | null> {
    return FILE_NAME.test(name) ? this.media.open(`${FOLDER}/${name}`) : null;
  }
}
