import { Logger } from '@nestjs/common';
import { ErrorCode } from '../common/app-error';
import { CloseCode } from './codec';
import type { Connection } from './connection';
import { RealtimeMetrics } from './realtime-metrics';
import { Encoded, FrameBatch } from './wire';

const TEXT = { binary: false } as const;

/**
 * Everything the core writes to sockets: frames encoded once per broadcast,
 * the protocol's error frames, closes, and the slow-consumer guard.
 */
export class OutboundWriter {
  constructor(
    private readonly metrics: RealtimeMetrics,
    private readonly maxBuffered: number,
    private readonly logger: Logger,
    /** The app's injected clock, for protocols whose error frames carry a time. */
    private readonly now: () => number,
  ) {}

  send(conn: Connection, frame: object): boolean {
    return this.sendEncoded(conn, Encoded.of(frame));
  }

  /** One encoding, many writes. Returns how many sockets it was written to. */
  broadcast(targets: Iterable<Connection>, frame: object): number {
    return this.broadcastEncoded(targets, Encoded.of(frame));
  }

  /** The same bytes to every target, counted once in the metrics. */
  broadcastEncoded(targets: Iterable<Connection>, encoded: Encoded): number {
    const started = process.hrtime.bigint();
    let n = 0;
    let gateway: string | null = null;
    for (const conn of targets) {
      if (this.write(conn, encoded)) n++;
      gateway ??= conn.gateway.name;
    }
    if (gateway) {
      const labels = { gateway };
      this.metrics.broadcasts.inc(labels);
      this.metrics.framesOut.inc(labels, n);
      this.metrics.fanout.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    }
    return n;
  }

  sendEncoded(conn: Connection, encoded: Encoded): boolean {
    const sent = this.write(conn, encoded);
    if (sent) this.metrics.framesOut.inc({ gateway: conn.gateway.name });
    return sent;
  }

  /**
   * A frame for this socket, then a batch of frames shared with others, in
   * one write where the socket allows it (ws.send for each otherwise).
   * Returns how many frames were sent.
   */
  sendBatch(conn: Connection, first: Encoded, batch: FrameBatch): number {
    const ws = conn.ws;
    if (ws.readyState !== 1) return 0;
    const raw = conn.raw;
    if (raw) raw.write(batch.frames.length ? Buffer.concat([first.wire, batch.wire]) : first.wire);
    else for (const e of [first, ...batch.frames]) ws.send(e.payload, TEXT);
    if ((raw ? raw.writableLength : ws.bufferedAmount) > this.maxBuffered) this.dropSlowConsumer(conn);
    const n = 1 + batch.frames.length;
    this.metrics.framesOut.inc({ gateway: conn.gateway.name }, n);
    return n;
  }

  /**
   * Pre-framed bytes straight to the TCP socket when the connection has one
   * (see ws-internals), else through ws.send. A socket whose unsent bytes pass
   * WS_MAX_BUFFERED_BYTES is closed with 1013.
   */
  private write(conn: Connection, encoded: Encoded): boolean {
    const ws = conn.ws;
    if (ws.readyState !== 1) return false;
    const raw = conn.raw;
    if (raw) raw.write(encoded.wire);
    else ws.send(encoded.payload, TEXT);
    if ((raw ? raw.writableLength : ws.bufferedAmount) > this.maxBuffered) this.dropSlowConsumer(conn);
    return true;
  }

  private dropSlowConsumer(conn: Connection): void {
    if (conn.closeReason === null) this.metrics.closes.inc({ gateway: conn.gateway.name, reason: 'slow_consumer' });
    conn.closeReason ??= 'slow_consumer';
    this.logger.warn({ msg: 'closing a slow consumer', gateway: conn.gateway.name, connection_id: conn.id, buffered: conn.ws.bufferedAmount });
    conn.ws.close(CloseCode.TRY_AGAIN_LATER, 'Slow consumer');
    const ws = conn.ws;
    setTimeout(() => ws.terminate(), 1000).unref();
  }

  sendError(conn: Connection, code: ErrorCode, message: string, details?: Record<string, unknown>): void {
    this.send(conn, conn.gateway.codec.error(code, message, details, this.now()));
  }

  close(conn: Connection, code: number, reason: string, why = reason): void {
    if (conn.closeReason === null) this.metrics.closes.inc({ gateway: conn.gateway.name, reason: why });
    conn.closeReason ??= why;
    if (conn.ws.readyState === 0 || conn.ws.readyState === 1) conn.ws.close(code, fitCloseReason(reason));
  }

  /** The protocol's error frame, then close. */
  refuse(conn: Connection, code: ErrorCode, message: string, closeCode: number, details?: Record<string, unknown>, why?: string): void {
    if (!conn.open) return;
    if (!conn.ready) this.metrics.refused.inc({ gateway: conn.gateway.name, reason: why ?? code.toLowerCase() });
    this.sendError(conn, code, message, details);
    this.close(conn, closeCode, message, why ?? code.toLowerCase());
  }
}

/** A close frame's reason holds at most 123 bytes of UTF-8: cut on a character boundary (a message may quote what a client sent). */
export function fitCloseReason(reason: string): string {
  if (Buffer.byteLength(reason) <= 123) return reason;
  let fitted = '';
  for (const ch of reason) {
    if (Buffer.byteLength(fitted + ch) > 123) break;
    fitted += ch;
  }
  return fitted;
}
