import { Logger } from '@nestjs/common';
import type { Connection } from '../connection';
import { ClusterState } from './cluster-state';

/** The cluster-state directory the core lists device and client sockets in (gateway names never start with `@`). */
export const CONNECTIONS_DIRECTORY = '@connections';

/** One listed socket, as every instance reads it. */
export interface ListedConnection {
  connection_id: string;
  gateway: string;
  instance: string;
  connected_at: string;
  ip: string;
  device_id: string | null;
  device_name: string | null;
  device_kind: string | null;
  user_id: string | null;
  user_name: string | null;
  client_id: string | null;
  /** What the gateway adds: the queue's client_type and counter, the bells player id. */
  [detail: string]: unknown;
}

/**
 * Which devices and clients are connected now, and since when, across the
 * cluster: a socket is listed once it is admitted with a device token, claims
 * a client id, or its gateway describes it (a bell player); it leaves the list
 * when it closes, or with its instance. Sockets of users that are neither
 * (consoles, apps) are not listed, so a hall of anonymous screens costs nothing.
 * Writes of one socket go one at a time, the newest view last.
 */
export class ConnectionDirectory {
  private readonly writing = new Map<Connection, boolean>();

  constructor(
    private readonly cluster: ClusterState,
    private readonly instance: string,
    private readonly logger: Logger,
  ) {}

  /** The socket's principal is known (handshake or in-band authentication). */
  admitted(conn: Connection): void {
    if (conn.principal?.kind === 'device') this.update(conn, {});
  }

  /** The socket took a client id (newest wins; see RealtimeService.claimClientId). */
  claimed(conn: Connection): void {
    this.update(conn, {});
  }

  /** Gateway details shown beside the socket (snake_case keys). */
  describe(conn: Connection, details: Record<string, unknown>): void {
    this.update(conn, details);
  }

  closed(conn: Connection): void {
    if (!conn.listing || this.writing.has(conn)) return;
    void this.cluster.removeClient(CONNECTIONS_DIRECTORY, conn.id).catch(() => undefined);
  }

  async list(): Promise<ListedConnection[]> {
    const all = (await this.cluster.clients(CONNECTIONS_DIRECTORY)) as ListedConnection[];
    return all.sort((a, b) => a.connected_at.localeCompare(b.connected_at) || a.connection_id.localeCompare(b.connection_id));
  }

  private update(conn: Connection, details: Record<string, unknown>): void {
    if (!conn.open) return;
    // The gateway's details so far; the listing itself is composed when it is written (one object per write, not per change).
    conn.listing = conn.listing ? Object.assign(conn.listing, details) : { ...details };
    if (this.writing.has(conn)) return void this.writing.set(conn, true);
    // Written once the event loop turns, so the changes one registration makes (client id, then details) go out as one write.
    this.writing.set(conn, false);
    setImmediate(() => this.write(conn));
  }

  /** One write in flight per socket; a change meanwhile is written after it; a socket that closed meanwhile is removed. */
  private write(conn: Connection): void {
    if (!conn.open) {
      this.writing.delete(conn);
      return this.closed(conn);
    }
    this.writing.set(conn, false);
    const p = conn.principal;
    const listed: ListedConnection = {
      connection_id: conn.id,
      gateway: conn.gateway.name,
      instance: this.instance,
      connected_at: new Date(conn.connectedAt).toISOString(),
      ip: conn.ip,
      device_id: p?.kind === 'device' ? p.id : null,
      device_name: p?.kind === 'device' ? p.name : null,
      device_kind: p?.kind === 'device' ? p.deviceKind : null,
      user_id: p?.kind === 'user' ? p.id : null,
      user_name: p?.kind === 'user' ? p.name : null,
      client_id: conn.clientId,
      ...conn.listing,
    };
    void this.cluster
      .putClient(CONNECTIONS_DIRECTORY, conn.id, listed)
      .catch((err) => this.logger.debug({ msg: 'could not list a connection', err: String(err) }))
      .then(() => {
        const again = this.writing.get(conn);
        this.writing.delete(conn);
        if (!conn.open) return this.closed(conn);
        if (again) this.write(conn);
      });
  }
}
