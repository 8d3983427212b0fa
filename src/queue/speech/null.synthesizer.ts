import { SpeechSynthesizer } from './speech-synthesizer';

/** No speech engine: announcements carry `audio_url: null`. */
export class NullSynthesizer extends SpeechSynthesizer {
  readonly engine = 'none';
  readonly available = false;

  async synthesize(): Promise<void> {
    throw new Error('no speech engine is available');
  }
}
