import { Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { ClusterState } from './cluster/cluster-state';
import type { Connection } from './connection';

/** A user's first socket on a presence gateway opened somewhere in the cluster, or the last one closed. */
export interface PresenceChange {
  gateway: string;
  user_id: string;
  status: 'online' | 'offline';
  at: string;
  /** Of the socket that opened or closed; null when the user vanished with a dead instance. */
  ip: string | null;
  user_agent: string | null;
}

/**
 * Cluster-wide socket counts per user on gateways declared with
 * `presence: true`: the first socket anywhere means online, the last one
 * closing (or vanishing with a dead instance) offline.
 */
export class Presence {
  private readonly handlers = new Map<string, Array<(e: PresenceChange) => void>>();

  constructor(
    private readonly cluster: ClusterState,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    cluster.onUserGone((gateway, userId) => this.emit({ gateway, user_id: userId, status: 'offline', at: this.clock.date().toISOString(), ip: null, user_agent: null }));
  }

  on(gateway: string, handler: (e: PresenceChange) => void): void {
    const list = this.handlers.get(gateway) ?? [];
    list.push(handler);
    this.handlers.set(gateway, list);
  }

  /** Counts an admitted user's socket (once). */
  opened(conn: Connection): void {
    const p = conn.principal;
    if (!conn.gateway.presence || !p || p.kind !== 'user' || conn.presenceCounted) return;
    conn.presenceCounted = true;
    void this.cluster.addUserSocket(conn.gateway.name, p.id, 1).then((n) => {
      if (n === 1) this.publish(conn, 'online');
    });
  }

  closed(conn: Connection): void {
    if (!conn.presenceCounted) return;
    conn.presenceCounted = false;
    void this.cluster.addUserSocket(conn.gateway.name, conn.principal!.id, -1).then((n) => {
      if (n === 0) this.publish(conn, 'offline');
    });
  }

  private publish(conn: Connection, status: 'online' | 'offline'): void {
    this.emit({ gateway: conn.gateway.name, user_id: conn.principal!.id, status, at: this.clock.date().toISOString(), ip: conn.ip, user_agent: conn.userAgent });
  }

  private emit(e: PresenceChange): void {
    for (const h of this.handlers.get(e.gateway) ?? []) {
      try {
        h(e);
      } catch (err) {
        this.logger.error({ msg: 'presence handler failed', gateway: e.gateway, err: String(err) });
      }
    }
  }
}
