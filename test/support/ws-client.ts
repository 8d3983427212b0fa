import WebSocket from 'ws';
import { FrameCheck, frameCheckFor } from './frame-schemas';

export type Frame = Record<string, any>;

export interface ConnectOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** An HTTP status instead of an upgrade. */
export class UpgradeRefused extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with HTTP ${status}`);
  }
}

/**
 * A real `ws` client that keeps every frame it receives, so a test can await
 * the next frame that matches, with a timeout on every wait.
 */
export class TestSocket {
  readonly frames: Frame[] = [];
  private consumed = 0;
  private waiters: Array<() => void> = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  closeInfo: { code: number; reason: string } | null = null;
  /** Frames that did not match the gateway's documented schema; any of them fails the next wait. */
  readonly violations: string[] = [];

  private constructor(
    readonly ws: WebSocket,
    check: FrameCheck | null = null,
  ) {
    ws.on('message', (data) => {
      let frame: Frame;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        frame = { __raw: data.toString() };
      }
      const violation = check ? ('__raw' in frame ? 'frame is not JSON' : check(frame)) : null;
      if (violation) this.violations.push(violation);
      this.frames.push(frame);
      this.wake();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        resolve(this.closeInfo);
        this.wake();
      }),
    );
    ws.on('error', () => undefined);
  }

  static open(url: string, options: ConnectOptions = {}): Promise<TestSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: options.headers });
      const socket = new TestSocket(ws, frameCheckFor(url));
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`timed out opening ${url}`));
      }, options.timeoutMs ?? 5000);
      ws.once('open', () => {
        clearTimeout(timer);
        resolve(socket);
      });
      ws.once('unexpected-response', (_req, res) => {
        clearTimeout(timer);
        reject(new UpgradeRefused(res.statusCode ?? 0));
        ws.terminate();
      });
      ws.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' || Buffer.isBuffer(message) ? (message as string) : JSON.stringify(message));
  }

  /**
   * The next frame (after those already taken) that matches; frames skipped
   * over stay available to later calls.
   */
  async next(match: (f: Frame) => boolean = () => true, timeoutMs = 5000, what = 'a matching frame'): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.assertFramesDocumented();
      for (let i = this.consumed; i < this.frames.length; i++) {
        const f = this.frames[i];
        if (match(f)) {
          this.frames.splice(i, 1);
          return f;
        }
      }
      if (this.closeInfo) throw new Error(`socket closed (${this.closeInfo.code} ${this.closeInfo.reason}) while waiting for ${what}; got ${JSON.stringify(this.frames.slice(-5))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.frames.slice(-5))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Cuts the TCP connection without a close frame, as a network drop would (the server sees it when it next writes or pings). */
  drop(): void {
    (this.ws as unknown as { _socket?: { destroy(): void } })._socket?.destroy();
  }

  /** Frames received so far that match, without consuming them. */
  seen(match: (f: Frame) => boolean): Frame[] {
    this.assertFramesDocumented();
    return this.frames.filter(match);
  }

  async waitClose(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    let t: NodeJS.Timeout;
    this.assertFramesDocumented();
    return Promise.race([
      this.closed,
      new Promise<never>((_, reject) => (t = setTimeout(() => reject(new Error(`socket did not close within ${timeoutMs} ms; frames ${JSON.stringify(this.frames.slice(-5))}`)), timeoutMs))),
    ])
      .then((closed) => {
        this.assertFramesDocumented();
        return closed;
      })
      .finally(() => clearTimeout(t));
  }

  /** Every frame received must match the AsyncAPI document (docs cannot drift from the wire). */
  assertFramesDocumented(): void {
    if (this.violations.length) throw new Error(`undocumented frame: ${this.violations[0]}`);
  }

  close(code = 1000): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code);
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }
}
