import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Clock } from '../common/clock';
import { ErrorCode } from '../common/app-error';
import { AuthService } from '../auth/auth.service';
import { bearerFrom } from '../auth/auth.guard';
import { AUTH_FAILURE_MESSAGES, Principal } from '../auth/principal';
import { Admission } from './admission';
import { Broadcaster } from './broadcaster';
import { ClusterState } from './cluster/cluster-state';
import { ConnectionDirectory, ListedConnection } from './cluster/connection-directory';
import { InstanceDirectory, InstanceRecord } from './cluster/instance-directory';
import { CloseCode } from './codec';
import { Connection, connectionOf } from './connection';
import { ConnectionRegistry } from './connections';
import { GatewayRuntime, RealtimeGatewayOptions } from './gateway-runtime';
import { Handler, InboundPipeline } from './inbound-pipeline';
import { Liveness } from './liveness';
import { OutboundWriter } from './outbound-writer';
import { Presence, PresenceChange } from './presence';
import { RealtimeMetrics } from './realtime-metrics';
import { Shutdown } from './shutdown';
import { UpgradeRouter } from './upgrade-router';
import { Encoded, FrameBatch } from './wire';
import { rawSocketOf } from './ws-internals';
import { parseRecover, Recovery } from './replay/recovery';
import type { ReplayLog } from './replay/replay-log';
import { REPLAY_LOG } from './replay/replay-log.token';

export type { PresenceChange } from './presence';

/** randomUUID() returns a string built of 13 pieces (about 500 bytes); a flat copy is about 56 bytes for as long as the socket lives. */
function flatString(s: string): string {
  return Buffer.from(s, 'latin1').toString('latin1');
}

/**
 * The shared realtime core, as gateways see it. It knows no domain; the work
 * is done by its parts, each in its own file:
 * UpgradeRouter (paths → gateways), Admission (address limits, handshake
 * auth in order, roles, per-user limits), InboundPipeline (ordered dispatch,
 * message rate, JSON limits, error frames), OutboundWriter (encode once,
 * write, slow consumers), Liveness (pings and deadlines), Presence and
 * Shutdown. This class owns the table of open sockets and wires the parts.
 */
@Injectable()
export class RealtimeService implements OnModuleInit, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger('Realtime');
  private readonly sockets = new Map<string, Connection>();
  private readonly router: UpgradeRouter;
  private readonly writer: OutboundWriter;
  private readonly liveness: Liveness;
  private readonly presence: Presence;
  private readonly directory: ConnectionDirectory;
  private readonly instanceDirectory: InstanceDirectory;
  private readonly admission: Admission;
  private readonly inbound: InboundPipeline;
  private readonly stopping: Shutdown;
  private readonly recovery: Recovery;
  // Shared listeners (ws calls them with `this` = the socket): no closure per
  // connection, and none that could keep the upgrade request alive.
  private readonly wsMessage: (this: WebSocket, data: Buffer, isBinary: boolean) => void;
  private readonly wsPong: (this: WebSocket) => void;
  private readonly wsError: (this: WebSocket, err: Error) => void;
  private readonly wsClose: (this: WebSocket, code: number) => void;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    auth: AuthService,
    readonly registry: ConnectionRegistry,
    private readonly broadcaster: Broadcaster,
    private readonly clock: Clock,
    readonly metrics: RealtimeMetrics,
    readonly cluster: ClusterState,
    @Inject(REPLAY_LOG) private readonly replayLog: ReplayLog | null,
  ) {
    this.writer = new OutboundWriter(metrics, config.ws.maxBufferedBytes, this.logger, () => clock.now());
    this.liveness = new Liveness(this.sockets, clock, this.writer, metrics, config.ws.heartbeatMs);
    this.presence = new Presence(cluster, clock, this.logger);
    this.directory = new ConnectionDirectory(cluster, metrics.instance, this.logger);
    this.admission = new Admission(auth, registry, cluster, this.writer, this.liveness, this.presence, this.directory, clock, this.logger, config.ws.maxSocketsPerIp);
    this.inbound = new InboundPipeline(clock, metrics, this.writer, this.logger, { maxDepth: config.ws.maxJsonDepth, maxArrayLength: config.ws.maxJsonArrayLength });
    this.recovery = new Recovery(
      replayLog,
      this.writer,
      metrics,
      () => clock.now(),
      () => broadcaster.currentEvent(),
      metrics.instance,
    );
    this.stopping = new Shutdown(this.sockets, this.writer, config.ws.shutdownGraceMs);
    this.router = new UpgradeRouter(
      config,
      metrics,
      this.logger,
      () => this.stopping.started,
      (gw, ws, req, ip, params, query) => this.onOpen(gw, ws, req, ip, params, query),
    );
    this.instanceDirectory = new InstanceDirectory(
      cluster,
      {
        instance: metrics.instance,
        gateways: () => this.router.gateways.map((g) => g.name),
        sockets: (gateway) => registry.count(gateway),
        framesIn: metrics.framesIn,
        framesOut: metrics.framesOut,
        broadcasts: metrics.broadcasts,
        now: () => clock.now(),
      },
      config.cluster.heartbeatMs,
      this.logger,
    );
    const { inbound, liveness, logger } = this;
    this.wsMessage = function (data) {
      inbound.receive(connectionOf(this), data);
    };
    this.wsPong = function () {
      liveness.pong(connectionOf(this));
    };
    this.wsError = function (err) {
      const conn = connectionOf(this);
      logger.debug({ msg: 'socket error', gateway: conn.gateway.name, connection_id: conn.id, err: String(err) });
    };
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const core = this;
    this.wsClose = function (code) {
      core.onClose(connectionOf(this), code);
    };
  }

  onModuleInit(): void {
    this.metrics.registry.gauge('switchboard_ws_open_sockets', 'Open sockets, by gateway and instance', ['gateway', 'instance'], () =>
      this.router.gateways.map((g) => [{ gateway: g.name, instance: this.metrics.instance }, this.registry.count(g.name)]),
    );
    const revoke = (conn: Connection) => this.writer.refuse(conn, ErrorCode.UNAUTHENTICATED, AUTH_FAILURE_MESSAGES.revoked, CloseCode.UNAUTHENTICATED, { reason: 'revoked' }, 'revoked');
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
      if (conn) this.writer.close(conn, code, reason, why);
    });
    this.metrics.registry.gauge('switchboard_replay_log_frames', 'Frames held by the in-memory replay log, by gateway', ['gateway'], () =>
      [...this.recovery.size()].map(([gateway, s]) => [{ gateway }, s.frames]),
    );
    this.metrics.registry.gauge('switchboard_replay_log_bytes', 'Bytes of frame JSON held by the in-memory replay log, by gateway', ['gateway'], () =>
      [...this.recovery.size()].map(([gateway, s]) => [{ gateway }, s.bytes]),
    );
    this.liveness.start();
    this.instanceDirectory.start();
  }

  onModuleDestroy(): void {
    this.liveness.stop();
    this.instanceDirectory.stop();
  }

  /** Last: requests still in flight while sockets drain may publish. */
  async onApplicationShutdown(): Promise<void> {
    await this.replayLog?.close();
  }

  // ── gateways and upgrades ────────────────────────────────────────────────

  registerGateway(options: RealtimeGatewayOptions): GatewayRuntime {
    return this.router.register(options);
  }

  gatewayPaths(): Array<{ name: string; path: string }> {
    return this.router.gateways.map((g) => ({ name: g.name, path: g.path }));
  }

  listen(httpServer: HttpServer): void {
    this.router.listen(httpServer);
  }

  unlisten(): void {
    this.router.unlisten();
  }

  private onOpen(gw: GatewayRuntime, ws: WebSocket, req: IncomingMessage, ip: string, params: Record<string, string>, query: Record<string, string>): void {
    const ua = req.headers['user-agent'];
    const conn = new Connection(flatString(randomUUID()), ws, gw, ip, typeof ua === 'string' ? ua.slice(0, 300) : '', params, query, this.clock.now());
    conn.raw = rawSocketOf(ws);
    this.sockets.set(conn.id, conn);
    ws.on('message', this.wsMessage);
    ws.on('pong', this.wsPong);
    ws.on('error', this.wsError);
    ws.on('close', this.wsClose);
    const recover = parseRecover(query);
    if (typeof recover === 'string') return this.writer.refuse(conn, ErrorCode.BAD_HANDSHAKE, `Bad reliable-delivery parameters: ${recover}`, CloseCode.BAD_HANDSHAKE, undefined, 'bad_recover');
    conn.recover = recover;
    this.admission.start(conn, req, bearerFrom(req.headers.authorization) ?? query.token ?? null);
  }

  private onClose(conn: Connection, code: number): void {
    conn.closeCode = code;
    conn.ready = false;
    conn.inbox = null;
    this.sockets.delete(conn.id);
    this.liveness.forget(conn);
    this.registry.remove(conn);
    this.admission.closed(conn);
    this.presence.closed(conn);
    this.directory.closed(conn);
    if (conn.clientId) void this.cluster.releaseClientId(conn.gateway.name, conn.clientId, conn.id);
    const disconnected = conn.disconnected;
    conn.disconnected = null;
    try {
      disconnected?.(code);
    } catch (err) {
      this.logger.error({ msg: 'disconnect handler failed', gateway: conn.gateway.name, err: String(err) });
    }
    this.stopping.socketGone();
  }

  // ── what gateways call ───────────────────────────────────────────────────

  /**
   * Presence transitions of a gateway declared with `presence: true`. Each
   * transition is reported once in the cluster, on the instance where it was
   * seen (a socket opened or closed there, or a dead instance was cleaned up
   * there); the gateway enriches it and publishes its own domain event.
   */
  onPresence(gateway: string, handler: (e: PresenceChange) => void): void {
    this.presence.on(gateway, handler);
  }

  /**
   * In-band authentication (the queue's `AUTH`). Returns the principal, or
   * null when the socket was refused for its role or a limit.
   * Throws AuthFailedError for a bad token.
   */
  authenticate(conn: Connection, token: string): Promise<Principal | null> {
    return this.admission.authenticate(conn, token);
  }

  /**
   * Gives the connection a client id; newest wins: whoever held it before, on
   * this instance or another, is closed with 4409.
   */
  async claimClientId(conn: Connection, clientId: string): Promise<void> {
    const localPrevious = this.registry.claimClientId(conn, clientId);
    const previous = await this.cluster.claimClientId(conn.gateway.name, clientId, conn.id);
    this.directory.claimed(conn);
    for (const id of new Set([localPrevious?.id, previous].filter((x): x is string => !!x && x !== conn.id))) {
      this.closeConnection(id, CloseCode.REPLACED, 'Replaced by a newer connection with the same client id', 'replaced');
    }
  }

  /** Gateway details (snake_case) shown beside the socket in the cluster-wide list of connected devices and clients; lists it if it was not. */
  describeConnection(conn: Connection, details: Record<string, unknown>): void {
    this.directory.describe(conn, details);
  }

  /** The devices and clients connected now on every instance, oldest first (see ConnectionDirectory). */
  listedConnections(): Promise<ListedConnection[]> {
    return this.directory.list();
  }

  /** Every live instance of the cluster with its sockets and traffic per gateway (this one alone without Redis). */
  instances(): Promise<InstanceRecord[]> {
    return this.instanceDirectory.list();
  }

  /** Closes a connection wherever it lives (this instance or another). */
  closeConnection(connectionId: string, code: number, reason: string, why = reason): void {
    const local = this.sockets.get(connectionId);
    if (local) return this.writer.close(local, code, reason, why);
    this.broadcaster.publish('realtime.close_connection', { connection_id: connectionId, code, reason, why });
  }

  /** The connection behind a socket Nest hands to a gateway. */
  connectionOf<S extends object = object>(client: unknown): Connection<S> {
    return connectionOf<S>(client);
  }

  /** Called by the adapter once Nest has the gateway's handlers for this socket. */
  bind(conn: Connection, handlers: Handler[]): void {
    this.inbound.bind(conn, handlers);
  }

  /** Turns anything a handler threw into the protocol's error frame. */
  reportError(conn: Connection, err: unknown): void {
    this.inbound.reportError(conn, err);
  }

  /** Encodes a frame once; the same bytes may go to any number of sockets. */
  encode(frame: object): Encoded {
    return Encoded.of(frame);
  }

  send(conn: Connection, frame: object): boolean {
    return this.writer.send(conn, frame);
  }

  /** One encoding, many writes. Returns how many sockets it was written to. */
  broadcast(targets: Iterable<Connection>, frame: object): number {
    return this.writer.broadcast(targets, frame);
  }

  /**
   * A frame for an audience: written like broadcast() to sockets that did not
   * opt in to reliable delivery; kept in `stream`'s replay log (even when
   * nobody is connected) and written with its position to those that did
   * (`recoverFrame` when the gateway renders a richer frame for them). Every
   * socket of a stream must get every frame of it: a stream names an
   * audience, not a filter (docs/recovery.md). `event` names the domain event
   * rendered, when it is rendered after an await (see Broadcaster.currentEvent).
   */
  publish(gateway: string, stream: string, targets: Iterable<Connection>, frame: object, recoverFrame?: object, event?: string | null): number {
    return this.recovery.publish(gateway, stream, targets, frame, recoverFrame, event);
  }

  /**
   * Call when a socket joins an audience it may see now: a socket that opted
   * in gets what it missed in `stream` since the position it presented, or
   * where the stream stands (a `_stream` frame either way).
   */
  follow(conn: Connection, stream: string): void {
    this.recovery.follow(conn, stream);
  }

  /** The event being delivered now (see Broadcaster.currentEvent): take it before an await, pass it to publish(). */
  currentEvent(): string | null {
    return this.broadcaster.currentEvent();
  }

  sendEncoded(conn: Connection, encoded: Encoded): boolean {
    return this.writer.sendEncoded(conn, encoded);
  }

  /** A frame for this socket, then frames shared with many (a welcome snapshot), in one write. */
  sendBatch(conn: Connection, first: object, batch: FrameBatch): number {
    return this.writer.sendBatch(conn, Encoded.of(first), batch);
  }

  sendError(conn: Connection, code: ErrorCode, message: string, details?: Record<string, unknown>): void {
    this.writer.sendError(conn, code, message, details);
  }

  close(conn: Connection, code: number, reason: string, why = reason): void {
    this.writer.close(conn, code, reason, why);
  }

  /** The protocol's error frame, then close. */
  refuse(conn: Connection, code: ErrorCode, message: string, closeCode: number, details?: Record<string, unknown>, why?: string): void {
    this.writer.refuse(conn, code, message, closeCode, details, why);
  }

  // ── shutdown ─────────────────────────────────────────────────────────────

  /** Stops new upgrades, closes every socket with 1001 and waits (bounded) for them to go. */
  shutdown(): Promise<void> {
    return this.stopping.run(
      () => this.liveness.stop(),
      () => this.router.gateways.forEach((gw) => gw.server.close()),
    );
  }

  get shuttingDown(): boolean {
    return this.stopping.started;
  }

  openSockets(): number {
    return this.sockets.size;
  }
}
