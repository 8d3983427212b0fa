import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { isObservable, lastValueFrom } from 'rxjs';
import { WebSocketServer, type WebSocket } from 'ws';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Clock } from '../common/clock';
import { AppError, ErrorCode } from '../common/app-error';
import { WindowCounter } from '../common/window-counter';
import { AuthService } from '../auth/auth.service';
import { bearerFrom } from '../auth/auth.guard';
import { AUTH_FAILURE_MESSAGES, AuthFailedError, Principal, principalMatches } from '../auth/principal';
import { Broadcaster } from './broadcaster';
import { CloseCode, CoreErrorCode, RealtimeException } from './codec';
import { Connection, connectionOf } from './connection';
import { ConnectionRegistry } from './connections';
import { compilePath, GatewayRuntime, RealtimeGatewayOptions } from './gateway-runtime';
import { Encoded, rawSocketOf } from './wire';
import { RealtimeMetrics } from './realtime-metrics';
import { ClusterState } from './cluster/cluster-state';

type Handler = { message: string; callback: (data: unknown, event: string) => unknown };

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

const TEXT = { binary: false } as const;
const SWEEP_MS = 250;
const NONE: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** randomUUID() returns a string built of 13 pieces (about 500 bytes); a flat copy is about 56 bytes for as long as the socket lives. */
function flatString(s: string): string {
  return Buffer.from(s, 'latin1').toString('latin1');
}

/**
 * The shared realtime core: routes upgrades to gateways by path, authenticates
 * handshakes, enforces the limits of PROTOCOLS.md §3, feeds each socket's
 * messages to its gateway's handlers one at a time and in order, and writes
 * frames — encoded once per broadcast — to sockets. It knows no domain.
 */
@Injectable()
export class RealtimeService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Realtime');
  private readonly gateways: GatewayRuntime[] = [];
  private readonly sockets = new Map<string, Connection>();
  private readonly presenceHandlers = new Map<string, Array<(e: PresenceChange) => void>>();
  private readonly admissions = new Map<string, Promise<void>>();
  private readonly messageTables: Array<readonly string[]> = [];
  private readonly timed = new Set<Connection>();
  private readonly connectionRate: WindowCounter;
  private httpServer: HttpServer | null = null;
  private readonly upgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => this.handleUpgrade(req, socket, head);
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private closing: Promise<void> | null = null;
  private allClosed: (() => void) | null = null;
  private readonly onClockChange = () => this.sweep();
  private readonly wsMessage: (this: WebSocket, data: Buffer, isBinary: boolean) => void;
  private readonly wsPong: (this: WebSocket) => void;
  private readonly wsError: (this: WebSocket, err: Error) => void;
  private readonly wsClose: (this: WebSocket, code: number) => void;
  private readonly maxBuffered: number;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
    readonly registry: ConnectionRegistry,
    private readonly broadcaster: Broadcaster,
    private readonly clock: Clock,
    readonly metrics: RealtimeMetrics,
    readonly cluster: ClusterState,
  ) {
    this.connectionRate = new WindowCounter(60_000, () => clock.now());
    this.maxBuffered = config.ws.maxBufferedBytes;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const core = this;
    this.wsMessage = function (data, isBinary) {
      core.onMessage(connectionOf(this), data, isBinary);
    };
    this.wsPong = function () {
      const conn = connectionOf(this);
      conn.alive = true;
      conn.lastSeen = core.clock.now();
    };
    this.wsError = function (err) {
      const conn = connectionOf(this);
      core.logger.debug({ msg: 'socket error', gateway: conn.gateway.name, connection_id: conn.id, err: String(err) });
    };
    this.wsClose = function (code) {
      core.onClose(connectionOf(this), code);
    };
  }

  onModuleInit(): void {
    this.metrics.registry.gauge('switchboard_ws_open_sockets', 'Open sockets, by gateway and instance', () =>
      this.gateways.map((g) => [{ gateway: g.name, instance: this.metrics.instance }, this.registry.count(g.name)]),
    );
    const revoke = (conn: Connection) => this.refuse(conn, CoreErrorCode.UNAUTHENTICATED, AUTH_FAILURE_MESSAGES.revoked, CloseCode.UNAUTHENTICATED, { reason: 'revoked' }, 'revoked');
    // A user disabled or deleted, a device revoked: its sockets close, on every instance.
    this.broadcaster.on('realtime.principal_revoked', ({ kind, id }) => [...this.registry.ofPrincipal(kind, id)].forEach(revoke));
    // A login signed out (or a refresh token replayed): the sockets opened with its access tokens close.
    this.broadcaster.on('auth.tokens_revoked', ({ family_id }) => {
      for (const conn of [...this.registry.everyConnection()]) {
        const p = conn.principal;
        if (p?.kind === 'user' && p.familyId === family_id) revoke(conn);
      }
    });
    this.broadcaster.on('realtime.close_connection', ({ connection_id, code, reason, why }) => {
      const conn = this.sockets.get(connection_id);
      if (conn) this.close(conn, code, reason, why);
    });
    this.cluster.onUserGone((gateway, userId) => this.emitPresence({ gateway, user_id: userId, status: 'offline', at: this.clock.date().toISOString(), ip: null, user_agent: null }));
    this.clock.changed.on('change', this.onClockChange);
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.config.ws.heartbeatMs);
    this.heartbeatTimer.unref();
    this.sweepTimer = setInterval(() => this.sweep(), SWEEP_MS);
    this.sweepTimer.unref();
  }

  onModuleDestroy(): void {
    this.stopTimers();
    this.clock.changed.off('change', this.onClockChange);
  }

  // ── gateways and upgrades ────────────────────────────────────────────────

  registerGateway(options: RealtimeGatewayOptions): GatewayRuntime {
    if (!options?.name || !options.codec) throw new Error('Gateways must be declared with @RealtimeGateway({ name, path, codec, auth })');
    const path = this.config.ws.paths[options.name.toLowerCase()] ?? options.path;
    const existing = this.gateways.find((g) => g.name === options.name);
    if (existing) return existing;
    const { pattern, paramNames } = compilePath(path);
    const v = (name: string | undefined, fallback: number) => (name && this.config.vars[name] !== undefined ? Number(this.config.vars[name]) : fallback);
    const server = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: this.config.ws.maxFrameBytes,
      perMessageDeflate: this.config.ws.perMessageDeflate,
    });
    const runtime: GatewayRuntime = {
      name: options.name,
      path,
      pattern,
      paramNames,
      codec: options.codec,
      auth: options.auth,
      roles: options.roles ?? null,
      presence: options.presence ?? false,
      server,
      limits: {
        authTimeoutMs: v(options.authTimeoutVar, 10_000),
        connectionsPerMinutePerIp: v(options.connectionsPerMinutePerIpVar, this.config.ws.connectionsPerMinutePerIp),
        maxConnectionsPerUser: v(options.maxConnectionsPerUserVar, 0),
        messagesPerMinute: v(options.messagesPerMinuteVar, this.config.ws.messagesPerMinute),
        idleTimeoutMs: v(options.idleTimeoutVar, 0),
      },
    };
    this.gateways.push(runtime);
    this.logger.log({ msg: `gateway ${runtime.name} at ${path}`, gateway: runtime.name, path });
    return runtime;
  }

  gatewayPaths(): Array<{ name: string; path: string }> {
    return this.gateways.map((g) => ({ name: g.name, path: g.path }));
  }

  listen(httpServer: HttpServer): void {
    if (this.httpServer) return;
    this.httpServer = httpServer;
    httpServer.on('upgrade', this.upgradeListener);
  }

  unlisten(): void {
    this.httpServer?.off('upgrade', this.upgradeListener);
    this.httpServer = null;
  }

  private handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', destroySelf);
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    let match: RegExpExecArray | null = null;
    const gw = this.gateways.find((g) => (match = g.pattern.exec(pathname)) !== null);
    if (!gw || !match) return this.rejectUpgrade(socket, 404, 'Not Found', 'unknown', 'not_found');
    if (this.closing) return this.rejectUpgrade(socket, 503, 'Service Unavailable', gw.name, 'shutting_down');
    const origin = req.headers.origin;
    const allowed = this.config.http.allowedOrigins;
    if (origin && allowed.length && !allowed.includes(origin)) return this.rejectUpgrade(socket, 403, 'Forbidden', gw.name, 'origin');
    // Most sockets have neither: they share one empty object.
    let params: Record<string, string> = NONE;
    if (gw.paramNames.length) {
      params = {};
      gw.paramNames.forEach((name, i) => (params[name] = safeDecode(match![i + 1])));
    }
    let query: Record<string, string> = NONE;
    if (q >= 0 && q < url.length - 1) {
      query = {};
      for (const [k, val] of new URLSearchParams(url.slice(q + 1))) if (!(k in query)) query[k] = val;
    }
    gw.server.handleUpgrade(req, socket, head, (ws) => {
      // ws has its own error listener on the socket from here on.
      socket.off('error', destroySelf);
      this.onOpen(gw, ws, req, params, query);
    });
  }

  private onOpen(gw: GatewayRuntime, ws: WebSocket, req: IncomingMessage, params: Record<string, string>, query: Record<string, string>): void {
    const ua = req.headers['user-agent'];
    const conn = new Connection(flatString(randomUUID()), ws, gw, this.clientIp(req), typeof ua === 'string' ? ua.slice(0, 300) : '', params, query, this.clock.now());
    conn.raw = rawSocketOf(ws);
    this.sockets.set(conn.id, conn);
    // Shared listeners (ws calls them with `this` = the socket): no closure per connection,
    // and none that could keep the upgrade request alive.
    ws.on('message', this.wsMessage);
    ws.on('pong', this.wsPong);
    ws.on('error', this.wsError);
    ws.on('close', this.wsClose);

    if (this.connectionRate.hit(`${gw.name}|${conn.ip}`) > gw.limits.connectionsPerMinutePerIp) {
      return this.refuse(conn, CoreErrorCode.TOO_MANY_CONNECTIONS, 'Too many new connections from this address; try again later', CloseCode.RATE_LIMITED, undefined, 'rate_limited');
    }
    const token = bearerFrom(req.headers.authorization) ?? query.token ?? null;
    if (!token && gw.auth !== 'required') return this.accept(conn, req);
    // Tokens are checked in parallel, but sockets are admitted in the order they
    // arrived (per gateway), so limits such as "3 per user" refuse the newest.
    const checked = this.auth.authenticate(token);
    const previous = this.admissions.get(gw.name) ?? Promise.resolve();
    const turn = previous.then(() => checked);
    this.admissions.set(gw.name, turn.then(noop, noop));
    turn.then(
      (principal) => {
        if (!conn.open) return;
        conn.principal = principal;
        this.accept(conn, req);
      },
      (err) => {
        if (!conn.open) return;
        if (err instanceof AuthFailedError) {
          this.refuse(conn, CoreErrorCode.UNAUTHENTICATED, err.message, CloseCode.UNAUTHENTICATED, { reason: err.reason }, 'unauthenticated');
        } else {
          this.logger.error({ msg: 'handshake authentication failed', err: String(err), stack: err?.stack });
          this.refuse(conn, CoreErrorCode.INTERNAL, 'The server could not check the token', 1011, undefined, 'error');
        }
      },
    );
  }

  /** Hands an admitted socket to Nest: handleConnection runs, then handlers are bound. */
  private accept(conn: Connection, req: IncomingMessage): void {
    if (conn.principal && !this.admit(conn)) return;
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
    this.countPresence(conn);
    if (conn.gateway.auth === 'in-band' && !conn.principal) {
      conn.authDeadline = this.clock.now() + conn.gateway.limits.authTimeoutMs;
      this.timed.add(conn);
    }
    if (conn.gateway.limits.idleTimeoutMs) this.timed.add(conn);
    conn.gateway.server.emit('connection', conn.ws, req);
  }

  private refuseTooMany(conn: Connection, limit: number): void {
    this.refuse(conn, CoreErrorCode.TOO_MANY_CONNECTIONS, `At most ${limit} open connections per user`, CloseCode.RATE_LIMITED, undefined, 'rate_limited');
  }

  /** Cluster-wide socket counts per user; the first socket anywhere means online, the last one closing offline. */
  private countPresence(conn: Connection): void {
    const p = conn.principal;
    if (!conn.gateway.presence || !p || p.kind !== 'user' || conn.presenceCounted) return;
    conn.presenceCounted = true;
    void this.cluster.addUserSocket(conn.gateway.name, p.id, 1).then((n) => {
      if (n === 1) this.publishPresence(conn, 'online');
    });
  }

  private publishPresence(conn: Connection, status: 'online' | 'offline'): void {
    this.emitPresence({ gateway: conn.gateway.name, user_id: conn.principal!.id, status, at: this.clock.date().toISOString(), ip: conn.ip, user_agent: conn.userAgent });
  }

  /**
   * Presence transitions of a gateway declared with `presence: true`. Each
   * transition is reported once in the cluster, on the instance where it was
   * seen (a socket opened or closed there, or a dead instance was cleaned up
   * there); the gateway enriches it and publishes its own domain event.
   */
  onPresence(gateway: string, handler: (e: PresenceChange) => void): void {
    const list = this.presenceHandlers.get(gateway) ?? [];
    list.push(handler);
    this.presenceHandlers.set(gateway, list);
  }

  private emitPresence(e: PresenceChange): void {
    for (const h of this.presenceHandlers.get(e.gateway) ?? []) {
      try {
        h(e);
      } catch (err) {
        this.logger.error({ msg: 'presence handler failed', gateway: e.gateway, err: String(err) });
      }
    }
  }

  /** Role and per-user limits for a newly known principal; refuses and returns false when not met. */
  private admit(conn: Connection): boolean {
    const p = conn.principal!;
    const gw = conn.gateway;
    if (gw.roles && !principalMatches(p, gw.roles)) {
      this.refuse(conn, CoreErrorCode.FORBIDDEN, 'Your role may not use this gateway', CloseCode.FORBIDDEN, undefined, 'forbidden');
      return false;
    }
    if (gw.limits.maxConnectionsPerUser && p.kind === 'user' && this.registry.byUser(gw.name, p.id).size >= gw.limits.maxConnectionsPerUser) {
      this.refuseTooMany(conn, gw.limits.maxConnectionsPerUser);
      return false;
    }
    if (p.expiresAt) {
      conn.tokenExpiresAt = p.expiresAt;
      this.timed.add(conn);
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
      throw new RealtimeException(CoreErrorCode.FORBIDDEN, 'This connection is already authenticated as someone else');
    }
    conn.principal = principal;
    if (!this.admit(conn)) return null;
    const limit = conn.gateway.limits.maxConnectionsPerUser;
    if (limit && principal.kind === 'user' && (await this.cluster.userSockets(conn.gateway.name, principal.id).catch(() => 0)) >= limit) {
      this.refuseTooMany(conn, limit);
      return null;
    }
    conn.authDeadline = 0;
    this.registry.indexPrincipal(conn);
    this.countPresence(conn);
    return principal;
  }

  /**
   * Gives the connection a client id; newest wins: whoever held it before, on
   * this instance or another, is closed with 4409.
   */
  async claimClientId(conn: Connection, clientId: string): Promise<void> {
    const localPrevious = this.registry.claimClientId(conn, clientId);
    const previous = await this.cluster.claimClientId(conn.gateway.name, clientId, conn.id);
    for (const id of new Set([localPrevious?.id, previous].filter((x): x is string => !!x && x !== conn.id))) {
      this.closeConnection(id, CloseCode.REPLACED, 'Replaced by a newer connection with the same client id', 'replaced');
    }
  }

  /** Closes a connection wherever it lives (this instance or another). */
  closeConnection(connectionId: string, code: number, reason: string, why = reason): void {
    const local = this.sockets.get(connectionId);
    if (local) return this.close(local, code, reason, why);
    this.broadcaster.publish('realtime.close_connection', { connection_id: connectionId, code, reason, why });
  }

  /** The connection behind a socket Nest hands to a gateway. */
  connectionOf<S extends object = object>(client: unknown): Connection<S> {
    return connectionOf<S>(client);
  }

  /** Called by the adapter once Nest has the gateway's handlers for this socket. */
  bind(conn: Connection, handlers: Handler[]): void {
    // Nest makes a list of {message, callback} per socket; only the callbacks are
    // per socket, so the names are kept once per gateway (per handler set).
    let messages = this.messageTables.find((t) => t.length === handlers.length && t.every((m, i) => m === handlers[i].message));
    if (!messages) this.messageTables.push((messages = Object.freeze(handlers.map((h) => h.message))));
    conn.messages = messages;
    conn.callbacks = handlers.map((h) => h.callback);
    conn.ready = true;
    this.pump(conn);
  }

  // ── inbound messages ─────────────────────────────────────────────────────

  private onMessage(conn: Connection, data: Buffer, _isBinary: boolean): void {
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
      return this.refuse(conn, CoreErrorCode.RATE_LIMITED, 'Message rate limit exceeded; closing', CloseCode.RATE_LIMITED, { retry_after_ms: conn.msgWindowStart + 60_000 - now }, 'rate_limited');
    }
    if (n > limit) {
      return this.sendError(conn, CoreErrorCode.RATE_LIMITED, `More than ${limit} messages a minute; this message was dropped`, { retry_after_ms: conn.msgWindowStart + 60_000 - now });
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

  /** One message at a time per socket, in arrival order, also across async handlers. */
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
      return this.sendError(conn, CoreErrorCode.INVALID_MESSAGE, 'Message is not valid JSON');
    }
    if (!frame || typeof frame !== 'object' || Array.isArray(frame)) {
      return this.sendError(conn, CoreErrorCode.INVALID_MESSAGE, 'Message must be a JSON object');
    }
    const decoded = conn.gateway.codec.decode(frame as Record<string, unknown>);
    if (!decoded) return this.sendError(conn, CoreErrorCode.INVALID_MESSAGE, 'Message type is missing or not recognised');
    const index = conn.messages.indexOf(decoded.event);
    const callback = index < 0 ? undefined : conn.callbacks?.[index];
    if (!callback) return this.sendError(conn, CoreErrorCode.INVALID_MESSAGE, `Unknown message type "${decoded.event.slice(0, 60)}"`);
    try {
      let result = await callback(decoded.data, decoded.event);
      if (isObservable(result)) result = await lastValueFrom(result, { defaultValue: undefined });
      if (result !== undefined && result !== null && conn.open) this.send(conn, result as object);
    } catch (err) {
      this.reportError(conn, err);
    }
  }

  /** Turns anything a handler threw into the protocol's error frame. */
  reportError(conn: Connection, err: unknown): void {
    if (err instanceof RealtimeException) {
      if (err.close) this.refuse(conn, err.code, err.message, err.close, err.details);
      else this.sendError(conn, err.code, err.message, err.details);
      return;
    }
    if (err instanceof AuthFailedError) {
      return this.refuse(conn, CoreErrorCode.UNAUTHENTICATED, err.message, CloseCode.UNAUTHENTICATED, { reason: err.reason }, 'unauthenticated');
    }
    if (err instanceof AppError) return this.sendError(conn, coreCodeOf(err.code), err.message, err.details?.errors ? { errors: err.details.errors } : undefined);
    this.logger.error({ msg: 'realtime handler failed', gateway: conn.gateway.name, err: String(err), stack: (err as Error)?.stack });
    this.sendError(conn, CoreErrorCode.INTERNAL, 'The server could not handle this message');
  }

  // ── outbound ─────────────────────────────────────────────────────────────

  /** Encodes a frame once; the same bytes may go to any number of sockets. */
  encode(frame: object): Encoded {
    return Encoded.of(frame);
  }

  send(conn: Connection, frame: object): boolean {
    return this.sendEncoded(conn, Encoded.of(frame));
  }

  /** One encoding, many writes. Returns how many sockets it was written to. */
  broadcast(targets: Iterable<Connection>, frame: object): number {
    const started = process.hrtime.bigint();
    const encoded = Encoded.of(frame);
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

  /**
   * Writes pre-framed bytes straight to the TCP socket (ws's sender would
   * frame and copy again per socket); falls back to ws.send when the socket
   * compresses. A socket whose unsent bytes pass WS_MAX_BUFFERED_BYTES is
   * closed with 1013.
   */
  sendEncoded(conn: Connection, encoded: Encoded): boolean {
    const sent = this.write(conn, encoded);
    if (sent) this.metrics.framesOut.inc({ gateway: conn.gateway.name });
    return sent;
  }

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

  sendError(conn: Connection, code: string, message: string, details?: Record<string, unknown>): void {
    this.send(conn, conn.gateway.codec.error(code, message, details));
  }

  close(conn: Connection, code: number, reason: string, why = reason): void {
    if (conn.closeReason === null) this.metrics.closes.inc({ gateway: conn.gateway.name, reason: why });
    conn.closeReason ??= why;
    if (conn.ws.readyState === 0 || conn.ws.readyState === 1) conn.ws.close(code, reason.slice(0, 120));
  }

  /** The protocol's error frame, then close. */
  refuse(conn: Connection, code: string, message: string, closeCode: number, details?: Record<string, unknown>, why?: string): void {
    if (!conn.open) return;
    if (!conn.ready) this.metrics.refused.inc({ gateway: conn.gateway.name, reason: why ?? code.toLowerCase() });
    this.sendError(conn, code, message, details);
    this.close(conn, closeCode, message, why ?? code.toLowerCase());
  }

  // ── liveness, deadlines, shutdown ────────────────────────────────────────

  private onClose(conn: Connection, code: number): void {
    conn.closeCode = code;
    conn.ready = false;
    conn.inbox = null;
    this.sockets.delete(conn.id);
    this.timed.delete(conn);
    this.registry.remove(conn);
    if (conn.presenceCounted) {
      conn.presenceCounted = false;
      void this.cluster.addUserSocket(conn.gateway.name, conn.principal!.id, -1).then((n) => {
        if (n === 0) this.publishPresence(conn, 'offline');
      });
    }
    if (conn.clientId) void this.cluster.releaseClientId(conn.gateway.name, conn.clientId, conn.id);
    const disconnected = conn.disconnected;
    conn.disconnected = null;
    try {
      disconnected?.(code);
    } catch (err) {
      this.logger.error({ msg: 'disconnect handler failed', gateway: conn.gateway.name, err: String(err) });
    }
    if (this.allClosed && this.sockets.size === 0) this.allClosed();
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

  /** Token expiry, in-band auth timeout and idle timeout, against the injected clock. */
  private sweep(): void {
    const now = this.clock.now();
    for (const conn of this.timed) {
      if (!conn.open) {
        this.timed.delete(conn);
        continue;
      }
      if (conn.authDeadline && !conn.principal && now >= conn.authDeadline) {
        this.timed.delete(conn);
        this.refuse(conn, CoreErrorCode.AUTH_TIMEOUT, 'Authentication timed out', CloseCode.AUTH_TIMEOUT, undefined, 'timeout');
      } else if (conn.tokenExpiresAt && now >= conn.tokenExpiresAt) {
        this.timed.delete(conn);
        this.refuse(conn, CoreErrorCode.UNAUTHENTICATED, AUTH_FAILURE_MESSAGES.expired, CloseCode.UNAUTHENTICATED, { reason: 'expired' }, 'expired');
      } else if (conn.gateway.limits.idleTimeoutMs && now - conn.lastSeen >= conn.gateway.limits.idleTimeoutMs) {
        this.timed.delete(conn);
        this.close(conn, CloseCode.NORMAL, 'Idle timeout', 'timeout');
      }
    }
  }

  private stopTimers(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.heartbeatTimer = this.sweepTimer = null;
  }

  /** Stops new upgrades, closes every socket with 1001 and waits (bounded) for them to go. */
  shutdown(): Promise<void> {
    this.closing ??= (async () => {
      this.stopTimers();
      if (this.sockets.size) {
        const done = new Promise<void>((resolve) => (this.allClosed = resolve));
        for (const conn of this.sockets.values()) this.close(conn, CloseCode.GOING_AWAY, 'Server shutting down', 'shutdown');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([done, new Promise((r) => (timer = setTimeout(r, this.config.ws.shutdownGraceMs)))]);
        clearTimeout(timer);
        for (const conn of this.sockets.values()) conn.ws.terminate();
      }
      for (const gw of this.gateways) gw.server.close();
    })();
    return this.closing;
  }

  get shuttingDown(): boolean {
    return this.closing !== null;
  }

  openSockets(): number {
    return this.sockets.size;
  }

  private rejectUpgrade(socket: Duplex, status: number, text: string, gateway: string, reason: string): void {
    this.metrics.refused.inc({ gateway, reason });
    writeRejection(socket, status, text);
  }

  private clientIp(req: IncomingMessage): string {
    if (this.config.http.trustProxy) {
      const fwd = req.headers['x-forwarded-for'];
      const first = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(',')[0]?.trim();
      if (first) return first;
    }
    return (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
  }
}

/** Domain services throw AppError for REST and sockets alike; a gateway speaks core codes. */
function coreCodeOf(code: ErrorCode): string {
  switch (code) {
    case ErrorCode.VALIDATION_FAILED:
    case ErrorCode.PAYLOAD_TOO_LARGE:
    case ErrorCode.UNSUPPORTED_MEDIA_TYPE:
      return CoreErrorCode.INVALID_MESSAGE;
    case ErrorCode.UNAUTHENTICATED:
      return CoreErrorCode.UNAUTHENTICATED;
    case ErrorCode.FORBIDDEN:
      return CoreErrorCode.FORBIDDEN;
    case ErrorCode.NOT_FOUND:
      return CoreErrorCode.NOT_FOUND;
    case ErrorCode.RATE_LIMITED:
      return CoreErrorCode.RATE_LIMITED;
    case ErrorCode.CONFLICT:
      return 'CONFLICT';
    case ErrorCode.UNAVAILABLE:
    case ErrorCode.INTERNAL:
      return CoreErrorCode.INTERNAL;
    default: {
      const unmapped: never = code;
      return String(unmapped);
    }
  }
}

function noop(): void {}

function destroySelf(this: Duplex): void {
  this.destroy();
}

function writeRejection(socket: Duplex, status: number, text: string): void {
  if (!socket.writable) return void socket.destroy();
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
