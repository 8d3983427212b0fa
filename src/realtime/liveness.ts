import { Clock } from '../common/clock';
import { ErrorCode } from '../common/app-error';
import { AUTH_FAILURE_MESSAGES } from '../auth/principal';
import { CloseCode } from './codec';
import type { Connection } from './connection';
import { OutboundWriter } from './outbound-writer';
import { RealtimeMetrics } from './realtime-metrics';

const SWEEP_MS = 250;

/**
 * Which sockets are still there and still allowed: protocol pings (a peer
 * that misses one is terminated) and the deadlines of watched sockets —
 * token expiry, in-band authentication timeout, idle timeout — checked
 * against the injected clock, also at once when the clock is moved.
 */
export class Liveness {
  private readonly timed = new Set<Connection>();
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private readonly onClockChange = () => this.sweep();

  constructor(
    private readonly sockets: ReadonlyMap<string, Connection>,
    private readonly clock: Clock,
    private readonly writer: OutboundWriter,
    private readonly metrics: RealtimeMetrics,
    private readonly heartbeatMs: number,
  ) {}

  start(): void {
    this.clock.changed.on('change', this.onClockChange);
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.heartbeatMs);
    this.heartbeatTimer.unref();
    this.sweepTimer = setInterval(() => this.sweep(), SWEEP_MS);
    this.sweepTimer.unref();
  }

  stop(): void {
    this.clock.changed.off('change', this.onClockChange);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.heartbeatTimer = this.sweepTimer = null;
  }

  /** Checks the connection's deadlines (set on it) from now on. */
  watch(conn: Connection): void {
    this.timed.add(conn);
  }

  forget(conn: Connection): void {
    this.timed.delete(conn);
  }

  pong(conn: Connection): void {
    conn.alive = true;
    conn.lastSeen = this.clock.now();
  }

  private heartbeat(): void {
    for (const conn of this.sockets.values()) {
      if (!conn.alive) {
        if (conn.closeReason === null) this.metrics.closes.inc({ gateway: conn.gateway.name, reason: 'heartbeat_timeout' });
        conn.closeReason ??= 'timeout';
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      try {
        conn.ws.ping();
      } catch {
        /* closing */
      }
    }
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const conn of this.timed) {
      if (!conn.open) {
        this.timed.delete(conn);
        continue;
      }
      if (conn.authDeadline && !conn.principal && now >= conn.authDeadline) {
        this.timed.delete(conn);
        this.writer.refuse(conn, ErrorCode.AUTH_TIMEOUT, 'Authentication timed out', CloseCode.AUTH_TIMEOUT, undefined, 'timeout');
      } else if (conn.tokenExpiresAt && now >= conn.tokenExpiresAt) {
        this.timed.delete(conn);
        this.writer.refuse(conn, ErrorCode.UNAUTHENTICATED, AUTH_FAILURE_MESSAGES.expired, CloseCode.UNAUTHENTICATED, { reason: 'expired' }, 'expired');
      } else if (conn.gateway.limits.idleTimeoutMs && now - conn.lastSeen >= conn.gateway.limits.idleTimeoutMs) {
        this.timed.delete(conn);
        this.writer.close(conn, CloseCode.NORMAL, 'Idle timeout', 'timeout');
      }
    }
  }
}
