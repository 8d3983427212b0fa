/**
 * A speech engine: writes a WAV file speaking `text` in `voice`. The queue
 * depends on this interface only; espeak-ng is one implementation, and with
 * none installed the null engine makes every audio_url null.
 */
export abstract class SpeechSynthesizer {
  /** Short engine name for logs and docs (`espeak-ng`, `none`). */
  abstract readonly engine: string;
  /** Whether synthesize() can work at all; false means audio_url is null. */
  abstract readonly available: boolean;
  /** Writes `outFile` (WAV); rejects when the engine fails. */
  abstract synthesize(text: string, voice: string, outFile: string): Promise<void>;
}
