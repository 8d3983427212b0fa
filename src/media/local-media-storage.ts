import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { MEDIA_PATH, MediaStorage, OpenedMedia } from './media-storage';
import { mimeOfExt } from './media-type';
import { MediaConfig } from './media.config';

/** Files under MEDIA_DIR. */
@Injectable()
export class LocalMediaStorage extends MediaStorage {
  private readonly root: string;
  readonly maxImageBytes: number;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
    this.root = resolve(config.mediaDir);
    this.maxImageBytes = MediaConfig.read(config).MEDIA_MAX_IMAGE_BYTES;
  }

  async save(folder: string, bytes: Buffer, ext: string, name = randomBytes(16).toString('hex')): Promise<string> {
    const path = `${folder}/${name}.${ext}`;
    await this.saveWith(path, (temp) => writeFile(temp, bytes, { flag: 'wx' }));
    return path;
  }

  async saveWith(path: string, write: (tempFile: string) => Promise<void>): Promise<void> {
    const target = this.fileOf(path);
    if (!target) throw new Error(`not a media path: "${path}"`);
    await mkdir(dirname(target), { recursive: true });
    // Written aside and renamed, so a reader never sees half a file under its final name.
    const temp = join(dirname(target), `.${randomBytes(6).toString('hex')}.part`);
    try {
      await write(temp);
      await rename(temp, target);
    } catch (err) {
      await unlink(temp).catch(() => undefined);
      throw err;
    }
  }

  async open(path: string): Promise<OpenedMedia | null> {
    const file = this.fileOf(path);
    if (!file) return null;
    try {
      const s = await stat(file);
      if (!s.isFile()) return null;
      const [, , name, ext] = MEDIA_PATH.exec(path)!;
      return { stream: createReadStream(file), size: s.size, mimeType: mimeOfExt(ext) ?? 'application/octet-stream', etag: `"${name}"` };
    } catch {
      return null;
    }
  }

  async exists(path: string): Promise<boolean> {
    const file = this.fileOf(path);
    return !!file && (await stat(file).then((s) => s.isFile()).catch(() => false));
  }

  async delete(path: string): Promise<void> {
    const file = this.fileOf(path);
    if (!file) return;
    try {
      await unlink(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  publicUrl(path: string): string {
    // Read per call: with PUBLIC_URL unset it is known only once the server listens.
    return `${this.config.http.publicUrl}/media/${path}`;
  }

  private fileOf(path: string): string | null {
    return MEDIA_PATH.test(path) ? join(this.root, path) : null;
  }
}
