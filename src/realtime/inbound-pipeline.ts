import { Logger } from '@nestjs/common';
import { isObservable, lastValueFrom } from 'rxjs';
import { Clock } from '../common/clock';
import { AppError, ErrorCode } from '../common/app-error';
import { JsonLimits, jsonLimitViolation } from '../common/json-limits';
import { CloseCode } from './codec';
import type { Connection } from './connection';
import { OutboundWriter } from './outbound-writer';
import { RealtimeMetrics } from './realtime-metrics';

export type Handler = { message: string; callback: (data: unknown, event: string) => unknown };

/**
 * Inbound frames: the per-socket rate limit, then one message at a time per
 * socket, in arrival order also across async handlers, through parse, the
 * JSON depth and width limits, the codec and the gateway's handler; whatever
 * a handler throws becomes the protocol's error frame.
 */
export class InboundPipeline {
  private readonly messageTables: Array<readonly string[]> = [];

  constructor(
    private readonly clock: Clock,
    private readonly metrics: RealtimeMetrics,
    private readonly writer: OutboundWriter,
    private readonly logger: Logger,
    private readonly jsonLimits: JsonLimits,
  ) {}

  /** Once Nest has the gateway's handlers for this socket: messages that arrived meanwhile start flowing. */
  bind(conn: Connection, handlers: Handler[]): void {
    // Nest makes a list of {message, callback} per socket; only the callbacks are
    // per socket, so the names are kept once per gateway (per handler set).
    let messages = this.messageTables.find((t) => t.length === handlers.length && t.every((m, i) => m === handlers[i].message));
    if (!messages) this.messageTables.push((messages = Object.freeze(handlers.map((h) => h.message))));
    conn.messages = messages;
    conn.callbacks = handlers.map((h) => h.callback);
    conn.ready = true;
    // Admitted (limits, token, roles) and handed to the gateway: the wait a reconnect storm makes longer.
    this.metrics.admissionWait.observe({ gateway: conn.gateway.name }, (this.clock.now() - conn.connectedAt) / 1000);
    this.pump(conn);
  }

  receive(conn: Connection, data: Buffer): void {
    this.metrics.framesIn.inc({ gateway: conn.gateway.name });
    const now = this.clock.now();
    conn.lastSeen = now;
    if (now - conn.msgWindowStart >= 60_000) {
      conn.msgWindowStart = now;
      conn.msgCount = 0;
    }
    const limit = conn.gateway.limits.messagesPerMinute;
    const n = ++conn.msgCount;
    if (n > 2 * limit) {
      return this.writer.refuse(conn, ErrorCode.RATE_LIMITED, 'Message rate limit exceeded; closing', CloseCode.RATE_LIMITED, { retry_after_ms: conn.msgWindowStart + 60_000 - now }, 'rate_limited');
    }
    if (n > limit) {
      return this.writer.sendError(conn, ErrorCode.RATE_LIMITED, `More than ${limit} messages a minute; this message was dropped`, { retry_after_ms: conn.msgWindowStart + 60_000 - now });
    }
    (conn.inbox ??= []).push(data);
    this.pump(conn);
  }

  private pump(conn: Connection): void {
    // A closing socket's leftover inbox is dropped: draining it would find nothing to do and re-pump forever.
    if (conn.busy || !conn.ready || !conn.open || !conn.inbox?.length) return;
    conn.busy = true;
    void this.drain(conn);
  }

  private async drain(conn: Connection): Promise<void> {
    try {
      while (conn.inbox?.length && conn.open) {
        if (conn.gate) {
          const gate = conn.gate;
          await gate;
          if (conn.gate === gate) conn.gate = null;
          continue;
        }
        await this.dispatch(conn, conn.inbox.shift()!);
      }
    } finally {
      conn.busy = false;
      // An emptied inbox keeps its grown capacity; most sockets never need it again.
      if (!conn.inbox?.length) conn.inbox = null;
    }
    this.pump(conn);
  }

  private async dispatch(conn: Connection, raw: Buffer | string): Promise<void> {
    let frame: unknown;
    try {
      frame = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
    } catch {
      return this.writer.sendError(conn, ErrorCode.VALIDATION_FAILED, 'Message is not valid JSON');
    }
    if (!frame || typeof frame !== 'object' || Array.isArray(frame)) {
      return this.writer.sendError(conn, ErrorCode.VALIDATION_FAILED, 'Message must be a JSON object');
    }
    // Before the codec, validation and class-transformer: they recurse, and would spend far more on a deep or huge frame.
    const excess = jsonLimitViolation(frame, this.jsonLimits);
    if (excess) return this.writer.sendError(conn, ErrorCode.VALIDATION_FAILED, `Message refused: it ${excess}`);
    const decoded = conn.gateway.codec.decode(frame as Record<string, unknown>);
    if (!decoded) return this.writer.sendError(conn, ErrorCode.VALIDATION_FAILED, 'Message type is missing or not recognised');
    const index = conn.messages.indexOf(decoded.event);
    const callback = index < 0 ? undefined : conn.callbacks?.[index];
    if (!callback) return this.writer.sendError(conn, ErrorCode.VALIDATION_FAILED, `Unknown message type "${decoded.event.slice(0, 60)}"`);
    try {
      let result = await callback(decoded.data, decoded.event);
      if (isObservable(result)) result = await lastValueFrom(result, { defaultValue: undefined });
      if (result !== undefined && result !== null && conn.open) this.writer.send(conn, result);
    } catch (err) {
      this.reportError(conn, err);
    }
  }

  /** Turns anything a handler threw into the protocol's error frame; an AppError with a close code also ends the socket. */
  reportError(conn: Connection, err: unknown): void {
    if (err instanceof AppError) {
      if (err.close) this.writer.refuse(conn, err.code, err.message, err.close, err.details);
      else this.writer.sendError(conn, err.code, err.message, err.details);
      return;
    }
    this.logger.error({ msg: 'realtime handler failed', gateway: conn.gateway.name, err: String(err), stack: (err as Error)?.stack });
    this.writer.sendError(conn, ErrorCode.INTERNAL, 'The server could not handle this message');
  }
}
