import { spawn } from 'node:child_process';
import { SpeechSynthesizer } from './speech-synthesizer';

/** Runs `cmd args…` and resolves with its exit code and stderr (null code: it could not start). */
function run(cmd: string, args: string[], input: string | null, timeoutMs: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    let stderr = '';
    let settled = false;
    const done = (code: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ code, stderr: stderr.slice(0, 500) });
    };
    const child = spawn(cmd, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      stderr += `timed out after ${timeoutMs} ms`;
      done(null);
    }, timeoutMs);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => {
      stderr += String(err);
      done(null);
    });
    child.on('close', (code) => done(code));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

/**
 * espeak-ng (its Vietnamese voice `vi` by default). The text goes in on stdin,
 * never on the command line, so it cannot be read as an option.
 */
export class EspeakSynthesizer extends SpeechSynthesizer {
  readonly engine = 'espeak-ng';

  private constructor(
    readonly available: boolean,
    private readonly timeoutMs: number,
    private readonly binary: string,
  ) {
    super();
  }

  /** Checks once, at start, whether the binary runs (`espeak-ng --version`). */
  static async detect(timeoutMs: number, binary = 'espeak-ng'): Promise<EspeakSynthesizer> {
    const r = await run(binary, ['--version'], null, Math.min(timeoutMs, 5000));
    return new EspeakSynthesizer(r.code === 0, timeoutMs, binary);
  }

  async synthesize(text: string, voice: string, outFile: string): Promise<void> {
    if (!this.available) throw new Error('espeak-ng is not installed');
    const r = await run(this.binary, ['-v', voice, '-w', outFile, '--stdin'], text, this.timeoutMs);
    if (r.code !== 0) throw new Error(`espeak-ng failed (${r.code ?? 'no exit code'}): ${r.stderr.trim()}`);
  }
}
