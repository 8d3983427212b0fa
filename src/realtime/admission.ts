import { Logger } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { Clock } from '../common/clock';
import { AppError, ErrorCode } from '../common/app-error';
import { AuthService } from '../auth/auth.service';
import { AuthFailedError, Principal, principalMatches } from '../auth/principal';
import { ClusterState } from './cluster/cluster-state';
import type { ConnectionDirectory } from './cluster/connection-directory';
import { CloseCode } from './codec';
import type { Connection } from './connection';
import { ConnectionRegistry } from './connections';
import { Liveness } from './liveness';
import { OutboundWriter } from './outbound-writer';
import { Presence } from './presence';

const MINUTE = 60_000;

/**
 * Who may hold a socket: the per-address limits (new sockets a minute per
 * gateway, open sockets in all), counted across the cluster; the handshake
 * token, checked in parallel but admitted in arrival order per gateway (so
 * "3 per user" refuses the newest); the gateway's roles and the per-user
 * limit, also cluster-wide. Admitted sockets are handed to Nest.
 */
export class Admission {
  private readonly turns = new Map<string, Promise<void>>();

  constructor(
    private readonly auth: AuthService,
    private readonly registry: ConnectionRegistry,
    private readonly cluster: ClusterState,
    private readonly writer: OutboundWriter,
    private readonly liveness: Liveness,
    private readonly presence: Presence,
    private readonly directory: ConnectionDirectory,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly maxSocketsPerIp: number,
  ) {}

  /** A socket just upgraded. Every socket is counted against its address until `closed`. */
  start(conn: Connection, req: IncomingMessage, token: string | null): void {
    const gw = conn.gateway;
    const addressOk = this.checkAddress(conn);
    if (!token && gw.auth !== 'required') {
      void addressOk.then((ok) => ok && this.accept(conn, req));
      return;
    }
    const checked = this.auth.authenticate(token);
    checked.catch(noop);
    const previous = this.turns.get(gw.name) ?? Promise.resolve();
    const turn = previous.then(() => addressOk).then((ok) => (ok ? checked : null));
    this.turns.set(gw.name, turn.then(noop, noop));
    turn.then(
      (principal) => {
        if (!principal || !conn.open) return;
        conn.principal = principal;
        this.accept(conn, req);
      },
      (err) => {
        if (!conn.open) return;
        if (err instanceof AuthFailedError) return this.writer.refuse(conn, err.code, err.message, CloseCode.UNAUTHENTICATED, err.details, 'unauthenticated');
        this.logger.error({ msg: 'handshake authentication failed', err: String(err), stack: err?.stack });
        this.writer.refuse(conn, ErrorCode.INTERNAL, 'The server could not check the token', CloseCode.INTERNAL, undefined, 'error');
      },
    );
  }

  closed(conn: Connection): void {
    void this.cluster.addAddressSocket(conn.ip, -1).catch(noop);
    if (conn.principal) this.auth.retain(conn.principal);
  }

  /** The per-address limits; refuses and returns false when one is passed. */
  private async checkAddress(conn: Connection): Promise<boolean> {
    const gw = conn.gateway;
    let recent = 0;
    let open = 0;
    try {
      [recent, open] = await Promise.all([this.cluster.hit(`${gw.name}|${conn.ip}`, MINUTE, this.clock.now()), this.cluster.addAddressSocket(conn.ip, 1)]);
    } catch (err) {
      // The cluster state answers from this instance's view when Redis is down; anything else must not lock everyone out.
      this.logger.warn({ msg: 'address limits unavailable', err: String(err) });
    }
    if (!conn.open) return false;
    if (recent > gw.limits.connectionsPerMinutePerIp) {
      this.writer.refuse(conn, ErrorCode.TOO_MANY_CONNECTIONS, 'Too many new connections from this address; try again later', CloseCode.RATE_LIMITED, undefined, 'rate_limited');
      return false;
    }
    if (open > this.maxSocketsPerIp) {
      this.writer.refuse(conn, ErrorCode.TOO_MANY_CONNECTIONS, `At most ${this.maxSocketsPerIp} open connections per address`, CloseCode.RATE_LIMITED, undefined, 'rate_limited');
      return false;
    }
    return true;
  }

  /** Hands an admitted socket to Nest: handleConnection runs, then handlers are bound. */
  private accept(conn: Connection, req: IncomingMessage): void {
    if (!conn.open || (conn.principal && !this.admitPrincipal(conn))) return;
    // Registered at once, so a second socket of the same user arriving meanwhile counts this one.
    this.registry.add(conn);
    const limit = conn.gateway.limits.maxConnectionsPerUser;
    const p = conn.principal;
    if (!limit || !p || p.kind !== 'user') return this.open(conn, req);
    // The per-user limit also counts sockets on every other instance.
    this.cluster.userSockets(conn.gateway.name, p.id).then(
      (n) => {
        if (!conn.open) return;
        if (n >= limit) return this.refuseTooMany(conn, limit);
        this.open(conn, req);
      },
      () => conn.open && this.open(conn, req),
    );
  }

  private open(conn: Connection, req: IncomingMessage): void {
    this.presence.opened(conn);
    this.directory.admitted(conn);
    if (conn.gateway.auth === 'in-band' && !conn.principal) {
      conn.authDeadline = this.clock.now() + conn.gateway.limits.authTimeoutMs;
      this.liveness.watch(conn);
    }
    if (conn.gateway.limits.idleTimeoutMs) this.liveness.watch(conn);
    conn.gateway.server.emit('connection', conn.ws, req);
  }

  private refuseTooMany(conn: Connection, limit: number): void {
    this.writer.refuse(conn, ErrorCode.TOO_MANY_CONNECTIONS, `At most ${limit} open connections per user`, CloseCode.RATE_LIMITED, undefined, 'rate_limited');
  }

  /** Role and per-user limits for a newly known principal; refuses and returns false when not met. */
  private admitPrincipal(conn: Connection): boolean {
    const p = conn.principal!;
    const gw = conn.gateway;
    if (gw.roles && !principalMatches(p, gw.roles)) {
      this.writer.refuse(conn, ErrorCode.FORBIDDEN, 'Your role may not use this gateway', CloseCode.FORBIDDEN, undefined, 'forbidden');
      return false;
    }
    if (gw.limits.maxConnectionsPerUser && p.kind === 'user' && this.registry.byUser(gw.name, p.id).size >= gw.limits.maxConnectionsPerUser) {
      this.refuseTooMany(conn, gw.limits.maxConnectionsPerUser);
      return false;
    }
    if (p.expiresAt) {
      conn.tokenExpiresAt = p.expiresAt;
      this.liveness.watch(conn);
    }
    return true;
  }

  /**
   * In-band authentication (the queue's `AUTH`). Returns the principal, or
   * null when the socket was refused for its role or a limit.
   * Throws AuthFailedError for a bad token.
   */
  async authenticate(conn: Connection, token: string): Promise<Principal | null> {
    const principal = await this.auth.authenticate(token);
    if (!conn.open) return null;
    if (conn.principal) {
      if (conn.principal.kind === principal.kind && conn.principal.id === principal.id) return conn.principal;
      throw new AppError(ErrorCode.FORBIDDEN, 'This connection is already authenticated as someone else');
    }
    conn.principal = principal;
    if (!this.admitPrincipal(conn)) return null;
    const limit = conn.gateway.limits.maxConnectionsPerUser;
    if (limit && principal.kind === 'user' && (await this.cluster.userSockets(conn.gateway.name, principal.id).catch(() => 0)) >= limit) {
      this.refuseTooMany(conn, limit);
      return null;
    }
    conn.authDeadline = 0;
    this.registry.indexPrincipal(conn);
    this.presence.opened(conn);
    this.directory.admitted(conn);
    return principal;
  }
}

function noop(): void {}
