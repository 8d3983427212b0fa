import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { imageTypeOfExt } from './image-type';
import { checkImage, MediaStorage, OpenedMedia, StoredMedia } from './media-storage';
import { MediaConfig } from './media.config';

const FOLDER = /^[a-z0-9_]{1,40}$/;
/** Exactly the names `saveImage` generates; anything else (`..`, slashes, other types) is not ours. */
const STORED_PATH = /^([a-z0-9_]{1,40})\/([0-9a-f]{32})\.(jpg|png|webp)$/;

/** Files under MEDIA_DIR, served by this app under `${PUBLIC_URL}/media/`. */
@Injectable()
export class LocalMediaStorage extends MediaStorage {
  private readonly root: string;
  private readonly maxBytes: number;
  private readonly baseUrl: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super();
    this.root = resolve(config.mediaDir);
    this.maxBytes = MediaConfig.read(config).MEDIA_MAX_IMAGE_BYTES;
    this.baseUrl = `${config.http.publicUrl}/media/`;
  }

  async saveImage(bytes: Buffer, folder: string): Promise<StoredMedia> {
    if (!FOLDER.test(folder)) throw new Error(`bad media folder "${folder}"`);
    const type = checkImage(bytes, this.maxBytes);
    const path = `${folder}/${randomBytes(16).toString('hex')}.${type.ext}`;
    const target = join(this.root, path);
    await mkdir(join(this.root, folder), { recursive: true });
    // Written aside and renamed, so a reader never sees half a file under its final name.
    const temp = `${target}.${process.pid}.part`;
    await writeFile(temp, bytes, { flag: 'wx' });
    await rename(temp, target);
    return { path, mimeType: type.mime, size: bytes.length };
  }

  publicUrl(path: string): string {
    return this.baseUrl + path;
  }

  async open(path: string): Promise<OpenedMedia | null> {
    const m = STORED_PATH.exec(path);
    if (!m) return null;
    const file = join(this.root, path);
    try {
      const s = await stat(file);
      if (!s.isFile()) return null;
      return { stream: createReadStream(file), size: s.size, mimeType: imageTypeOfExt(m[3])!.mime, etag: `"${m[2]}"` };
    } catch {
      return null;
    }
  }

  async delete(path: string): Promise<void> {
    if (!STORED_PATH.test(path)) return;
    try {
      await unlink(join(this.root, path));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}
