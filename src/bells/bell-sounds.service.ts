import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { AppError, badRequest, conflict, ErrorCode, notFound } from '../common/app-error';
import { plainText } from '../common/plain-text';
import { MediaStorage, OpenedMedia } from '../media/media-storage';
import { AUDIO_NAMES, sniffAudio } from '../media/media-type';
import { Broadcaster } from '../realtime/broadcaster';
import { SoundDto } from './dto/sound.dto';
import { BellScheduleItem } from './entities/bell-schedule-item.entity';
import { BellSound } from './entities/bell-sound.entity';
import { BellsLog } from './bells-log.service';
import { BellsConfig } from './bells.config';

const FOLDER = 'bells';

/** Sounds: kept in the media store (folder `bells`, named by the sound's id), described in bell_sounds. */
@Injectable()
export class BellSoundsService {
  private readonly maxBytes: number;

  constructor(
    @InjectRepository(BellSound) private readonly sounds: Repository<BellSound>,
    @InjectRepository(BellScheduleItem) private readonly items: Repository<BellScheduleItem>,
    private readonly broadcaster: Broadcaster,
    private readonly log: BellsLog,
    private readonly media: MediaStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.maxBytes = BellsConfig.read(config).BELLS_MAX_SOUND_BYTES;
  }

  toDto(s: BellSound): SoundDto {
    return {
      id: s.id,
      name: s.name,
      checksum: s.checksum,
      size: s.size,
      mime_type: s.mimeType,
      url: `${this.config.http.publicUrl}/api/bells/sounds/${s.id}/file`,
      created_at: s.createdAt.toISOString(),
      updated_at: s.updatedAt.toISOString(),
    };
  }

  async upload(file: { buffer: Buffer; originalname?: string; size: number } | undefined, name: string | undefined): Promise<BellSound> {
    if (!file || !file.buffer?.length) throw badRequest('Send the audio as the multipart field "file"');
    if (file.size > this.maxBytes) throw new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `The sound is larger than ${this.maxBytes} bytes`);
    const type = sniffAudio(file.buffer);
    if (!type) throw badRequest(`The file is not audio: send ${AUDIO_NAMES}`);
    const displayName = plainText(name || (file.originalname ?? '').replace(/\.[^.]+$/, '') || 'Sound', 200);
    const id = randomUUID();
    const fileName = `${id}.${type.ext}`;
    await this.media.save(FOLDER, file.buffer, type.ext, id);
    const saved = await this.sounds.save(
      this.sounds.create({ id, name: displayName, fileName, mimeType: type.mime, size: file.buffer.length, checksum: createHash('sha256').update(file.buffer).digest('hex') }),
    );
    this.broadcaster.publish('bells.sounds_changed', {});
    this.log.info('sounds', `Sound "${saved.name}" added`);
    return saved;
  }

  list(): Promise<BellSound[]> {
    return this.sounds.find({ order: { createdAt: 'ASC' } });
  }

  async get(id: string): Promise<BellSound> {
    const s = await this.sounds.findOne({ where: { id } });
    if (!s) throw notFound('Sound');
    return s;
  }

  async rename(id: string, name: string): Promise<BellSound> {
    const s = await this.get(id);
    s.name = plainText(name, 200);
    if (!s.name) throw badRequest('name must contain text');
    const saved = await this.sounds.save(s);
    this.broadcaster.publish('bells.sounds_changed', {});
    return saved;
  }

  async remove(id: string): Promise<void> {
    const s = await this.get(id);
    const used = await this.items.count({ where: { soundId: id } });
    if (used) throw conflict(`The sound is used by ${used} schedule item(s); change or delete them first`);
    await this.sounds.delete({ id });
    await this.media.deleteQuietly([`${FOLDER}/${s.fileName}`]);
    this.broadcaster.publish('bells.sounds_changed', {});
    this.log.info('sounds', `Sound "${s.name}" deleted`);
  }

  /** The stored bytes, or null when the file is gone. */
  open(s: BellSound): Promise<OpenedMedia | null> {
    return this.media.open(`${FOLDER}/${s.fileName}`);
  }
}
