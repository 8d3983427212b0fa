import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { QueueAlertsService } from '../queue-alerts.service';
import { SpeechSynthesizer } from './speech-synthesizer';
import { QueueConfig } from '../queue.config';

export const AUDIO_FILE = /^[a-f0-9]{64}\.wav$/;

/**
 * Spoken announcements: the WAV for a text is made once by the speech engine
 * and kept under MEDIA_DIR/queue-audio, named by sha256(voice + text), then
 * served publicly at /api/queue/audio/<file> (a TV's <audio> sends no token).
 * No engine, or a failure: null, never a link that would not play.
 */
@Injectable()
export class QueueSpeechService {
  private readonly logger = new Logger('QueueSpeech');
  readonly dir: string;
  private readonly voice: string;
  private readonly baseUrl: string;
  private readonly inFlight = new Map<string, Promise<string | null>>();

  constructor(
    private readonly synthesizer: SpeechSynthesizer,
    private readonly alerts: QueueAlertsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.dir = join(config.mediaDir, 'queue-audio');
    this.voice = QueueConfig.read(config).QUEUE_TTS_VOICE;
    this.baseUrl = `${config.http.publicUrl}/api/queue/audio/`;
  }

  get engine(): string {
    return this.synthesizer.available ? this.synthesizer.engine : 'none';
  }

  /** Absolute URL of the spoken text, or null. */
  async audioUrl(text: string, counterId: number | null): Promise<string | null> {
    if (!this.synthesizer.available && this.synthesizer.engine === 'none') return null;
    const file = `${createHash('sha256').update(`${this.voice}\n${text}`).digest('hex')}.wav`;
    let pending = this.inFlight.get(file);
    if (!pending) {
      pending = this.make(file, text, counterId).finally(() => this.inFlight.delete(file));
      this.inFlight.set(file, pending);
    }
    const made = await pending;
    return made ? this.baseUrl + made : null;
  }

  /** Path of a cached file for the audio route, or null. */
  async file(name: string): Promise<string | null> {
    if (!AUDIO_FILE.test(name)) return null;
    const path = join(this.dir, name);
    try {
      return (await stat(path)).isFile() ? path : null;
    } catch {
      return null;
    }
  }

  private async make(file: string, text: string, counterId: number | null): Promise<string | null> {
    const path = join(this.dir, file);
    if (await this.file(file)) return file;
    // Written aside and renamed, so a half-written file is never served.
    const tmp = join(this.dir, `.${file}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await mkdir(this.dir, { recursive: true });
      await this.synthesizer.synthesize(text, this.voice, tmp);
      await rename(tmp, path);
      this.alerts.systemRecovered('speech synthesis');
      return file;
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      this.logger.warn({ msg: 'speech synthesis failed; audio_url is null', engine: this.synthesizer.engine, err: String(err) });
      this.alerts.systemError('speech synthesis', counterId, err);
      return null;
    }
  }
}
