import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { MediaStorage, OpenedMedia } from '../../media/media-storage';
import { QueueAlertsService } from '../queue-alerts.service';
import { SpeechSynthesizer } from './speech-synthesizer';
import { QueueConfig } from '../queue.config';

export const AUDIO_FILE = /^[a-f0-9]{64}\.wav$/;
const FOLDER = 'queue-audio';

/**
 * Spoken announcements: the WAV for a text is made once by the speech engine
 * and kept in the media store (folder queue-audio), named by sha256(voice + text), then
 * served publicly at /api/queue/audio/<file> (a TV's <audio> sends no token).
 * No engine, or a failure: null, never a link that would not play.
 */
@Injectable()
export class QueueSpeechService {
  private readonly logger = new Logger('QueueSpeech');
  private readonly voice: string;
  private readonly inFlight = new Map<string, Promise<string | null>>();

  constructor(
    private readonly synthesizer: SpeechSynthesizer,
    private readonly alerts: QueueAlertsService,
    private readonly media: MediaStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.voice = QueueConfig.read(config).QUEUE_TTS_VOICE;
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
    // PUBLIC_URL read per call: unset, it is known only once the server listens.
    return made ? `${this.config.http.publicUrl}/api/queue/audio/${made}` : null;
  }

  /** A cached file for the audio route, or null. */
  open(name: string): Promise<OpenedMedia | null> {
    return AUDIO_FILE.test(name) ? this.media.open(`${FOLDER}/${name}`) : Promise.resolve(null);
  }

  private async make(file: string, text: string, counterId: number | null): Promise<string | null> {
    const path = `${FOLDER}/${file}`;
    if (await this.media.exists(path)) return file;
    try {
      await this.media.saveWith(path, (temp) => this.synthesizer.synthesize(text, this.voice, temp));
      this.alerts.systemRecovered('speech synthesis');
      return file;
    } catch (err) {
      this.logger.warn({ msg: 'speech synthesis failed; audio_url is null', engine: this.synthesizer.engine, err: String(err) });
      this.alerts.systemError('speech synthesis', counterId, err);
      return null;
    }
  }
}
