import { CloseCode } from './codec';
import type { Connection } from './connection';
import { OutboundWriter } from './outbound-writer';

/**
 * Graceful stop: once started, new upgrades are refused (the router asks
 * `started`), every socket is closed with 1001, and those that do not answer
 * within the grace period are terminated.
 */
export class Shutdown {
  private closing: Promise<void> | null = null;
  private allClosed: (() => void) | null = null;

  constructor(
    private readonly sockets: ReadonlyMap<string, Connection>,
    private readonly writer: OutboundWriter,
    private readonly graceMs: number,
  ) {}

  get started(): boolean {
    return this.closing !== null;
  }

  /** `before` stops timers; `after` closes the gateways' servers. */
  run(before: () => void, after: () => void): Promise<void> {
    this.closing ??= (async () => {
      before();
      if (this.sockets.size) {
        const done = new Promise<void>((resolve) => (this.allClosed = resolve));
        for (const conn of this.sockets.values()) this.writer.close(conn, CloseCode.GOING_AWAY, 'Server shutting down', 'shutdown');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([done, new Promise((r) => (timer = setTimeout(r, this.graceMs)))]);
        clearTimeout(timer);
        for (const conn of this.sockets.values()) conn.ws.terminate();
      }
      after();
    })();
    return this.closing;
  }

  /** Called after each socket left the table. */
  socketGone(): void {
    if (this.allClosed && this.sockets.size === 0) this.allClosed();
  }
}
