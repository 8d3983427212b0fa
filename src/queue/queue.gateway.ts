import { Inject, Logger, OnModuleDestroy, OnModuleInit, UseInterceptors } from '@nestjs/common';
import { MessageBody, OnGatewayConnection, OnGatewayDisconnect, SubscribeMessage } from '@nestjs/websockets';
import type { Principal } from '../auth/principal';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Clock } from '../common/clock';
import { plainText } from '../common/plain-text';
import { Broadcaster } from '../realtime/broadcaster';
import { AppError, ErrorCode } from '../common/app-error';
import { CloseCode } from '../realtime/codec';
import { Connection } from '../realtime/connection';
import { ConnectionRegistry } from '../realtime/connections';
import { Conn, RealtimeGateway, WsRoles } from '../realtime/realtime-gateway.decorator';
import { RealtimeService } from '../realtime/realtime.service';
import { AnnouncementsService } from './announcements.service';
import { CountersService } from './counters.service';
import { AnnouncementDto } from './dto/announcement.dto';
import { AuthMessageDto, CallTicketMessageDto, CounterStatusChangeMessageDto, PingMessageDto, RegisterClientDto, TicketCreatedMessageDto } from './dto/ws.dto';
import { QueueAccessService } from './queue-access.service';
import { QueueAlertsService } from './queue-alerts.service';
import { queueCodec, setQueueCodecClock, UNKNOWN_MESSAGE } from './queue.codec';
import { QueueFailureInterceptor } from './queue-failure.interceptor';
import { CounterState, QueueSnapshotsService } from './queue-snapshots.service';
import type { CounterStatusView, QueueClientEvent, QueueSnapshot } from './queue.events';
import { TicketsService } from './tickets.service';
import { Leadership } from '../database/leadership';
import { QueueConfig } from './queue.config';

const GATEWAY = 'queue';
const CLIENT_TYPES = ['kiosk', 'tv', 'officer', 'admin'] as const;
type ClientType = (typeof CLIENT_TYPES)[number];

/** Rooms: every registered socket, and one per client type. */
const REGISTERED = 'registered';

export interface QueueConnectionState {
  clientType?: ClientType;
  counterId?: number | null;
  location?: string | null;
}
type QueueConnection = Connection<QueueConnectionState>;

/** The one client type each principal may register as (PROTOCOLS.md §9). */
function clientTypeFor(p: Principal): ClientType | null {
  if (p.kind === 'device') return p.deviceKind === 'kiosk' ? 'kiosk' : p.deviceKind === 'display' ? 'tv' : null;
  if (p.role === 'officer') return 'officer';
  if (p.role === 'leader' || p.role === 'admin') return 'admin';
  return null;
}

/**
 * `/ws/queue` (seed 002): in-band AUTH, REGISTER_CLIENT, and the frames of the
 * counter queue. Services publish domain events; this gateway picks the
 * audience (rooms) and renders each frame once for all of them.
 */
@RealtimeGateway({ name: GATEWAY, path: '/ws/queue', codec: queueCodec, auth: 'in-band', authTimeoutVar: QueueConfig.key('QUEUE_AUTH_TIMEOUT_MS') })
@UseInterceptors(QueueFailureInterceptor)
export class QueueGateway implements OnModuleInit, OnModuleDestroy, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger('QueueGateway');
  /** Newest counter version rendered per counter, to drop a snapshot that arrives after a newer one. */
  private readonly queueVersion = new Map<number, number>();
  private readonly statusVersion = new Map<number, number>();
  private readonly unsubscribe: Array<() => void> = [];
  /** This instance's sockets by connection id (to reply to the sender of TICKET_CREATED). */
  private readonly open = new Map<string, Connection>();
  private statsTimer: NodeJS.Timeout | null = null;
  private statsSoonTimer: NodeJS.Timeout | null = null;
  private readonly statsIntervalMs: number;
  private readonly statsDebounceMs: number;

  constructor(
    private readonly realtime: RealtimeService,
    private readonly registry: ConnectionRegistry,
    private readonly broadcaster: Broadcaster,
    private readonly tickets: TicketsService,
    private readonly counters: CountersService,
    private readonly announcements: AnnouncementsService,
    private readonly snapshots: QueueSnapshotsService,
    private readonly access: QueueAccessService,
    private readonly alerts: QueueAlertsService,
    private readonly clock: Clock,
    private readonly leadership: Leadership,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.statsIntervalMs = QueueConfig.read(config).QUEUE_STATS_INTERVAL_MS;
    this.statsDebounceMs = QueueConfig.read(config).QUEUE_STATS_DEBOUNCE_MS;
  }

  onModuleInit(): void {
    setQueueCodecClock(() => this.clock.now());
    const room = (name: string) => this.registry.room(GATEWAY, name);
    this.unsubscribe.push(
      this.broadcaster.on('queue.ticket_created', ({ source_connection_id, ...payload }) => {
        const targets = new Set<Connection>([...room('tv'), ...room('admin')]);
        const source = source_connection_id ? this.connectionById(source_connection_id) : null;
        if (source) targets.add(source);
        this.realtime.broadcast(targets, { type: 'TICKET_CREATED', payload });
        this.statsSoon();
      }),
      this.broadcaster.on('queue.queue_changed', (s) => {
        if (s.version < (this.queueVersion.get(s.counter_id) ?? -1)) return;
        this.queueVersion.set(s.counter_id, s.version);
        this.realtime.broadcast(room(REGISTERED), this.queueFrame(s));
        this.statsSoon();
      }),
      this.broadcaster.on('queue.counter_status_changed', (v) => {
        if (v.version < (this.statusVersion.get(v.counter_id) ?? -1)) return;
        this.statusVersion.set(v.counter_id, v.version);
        this.realtime.broadcast(room(REGISTERED), this.statusFrame(v));
        this.statsSoon();
      }),
      this.broadcaster.on('queue.ticket_announced', ({ ticket_id: _id, recall: _recall, ...payload }) => {
        this.realtime.broadcast([...room('tv'), ...room('admin')], { type: 'TICKET_ANNOUNCEMENT', payload });
      }),
      this.broadcaster.on('queue.announcement', (a) => {
        const targets = a.target_displays.length
          ? a.target_displays.map((id) => this.registry.byClientId(GATEWAY, id)).filter((c): c is Connection => !!c && (c.state as QueueConnectionState).clientType === 'tv')
          : room('tv');
        this.realtime.broadcast(targets, { type: 'ANNOUNCEMENT', payload: a });
      }),
      this.broadcaster.on('queue.alert', (payload) => this.realtime.broadcast(room('admin'), { type: 'SYSTEM_ALERT', payload })),
      this.broadcaster.on('queue.client_connected', (payload) => this.realtime.broadcast(room('admin'), { type: 'CLIENT_CONNECTED', payload })),
      this.broadcaster.on('queue.client_disconnected', (payload) => this.realtime.broadcast(room('admin'), { type: 'CLIENT_DISCONNECTED', payload })),
      this.broadcaster.on('queue.stats', (payload) => this.realtime.broadcast(room('admin'), { type: 'STATS_UPDATE', payload })),
    );
    this.statsTimer = setInterval(() => void this.pushStats(), this.statsIntervalMs);
    this.statsTimer.unref();
  }

  onModuleDestroy(): void {
    for (const off of this.unsubscribe) off();
    if (this.statsTimer) clearInterval(this.statsTimer);
    if (this.statsSoonTimer) clearTimeout(this.statsSoonTimer);
    this.statsTimer = this.statsSoonTimer = null;
  }

  handleConnection(client: unknown): void {
    const conn = this.realtime.connectionOf(client);
    this.open.set(conn.id, conn);
  }

  handleDisconnect(client: unknown): void {
    const conn = this.realtime.connectionOf<QueueConnectionState>(client);
    this.open.delete(conn.id);
    const { clientType, counterId } = conn.state;
    if (!clientType || !conn.clientId) return;
    void this.realtime.cluster.removeClient(GATEWAY, conn.id);
    if (clientType === 'officer' && counterId) this.broadcaster.publish('queue.officer_presence', { counter_id: counterId, connection_id: conn.id, online: false });
    // A replaced client is still connected, through its newer socket.
    if (conn.closeReason === 'replaced') return;
    const reason: QueueClientEvent['reason'] =
      conn.closeReason === 'timeout' ? 'timeout' : conn.closeReason === null && (conn.closeCode === 1000 || conn.closeCode === 1001) ? 'manual_disconnect' : 'network_error';
    this.broadcaster.publish('queue.client_disconnected', { client_id: conn.clientId, client_type: clientType, reason, timestamp: this.now() });
  }

  // ── client → server ──────────────────────────────────────────────────────

  /**
   * In-band authentication. The claims beside the token are compared with the
   * token's principal and never trusted: any mismatch closes with 4401.
   * Success has no reply (the seed defines none).
   */
  @SubscribeMessage('AUTH')
  async auth(@Conn() conn: QueueConnection, @MessageBody() body: AuthMessageDto): Promise<void> {
    const token = typeof body.token === 'string' && body.token.length <= 8192 ? body.token.trim().replace(/^Bearer\s+/i, '') : '';
    const principal = await this.realtime.authenticate(conn as Connection, token);
    if (!principal) return;
    const mismatch = await this.claimMismatch(principal, body);
    if (mismatch) throw new AppError(ErrorCode.UNAUTHENTICATED, `Authentication failed: ${mismatch}`, undefined, CloseCode.UNAUTHENTICATED);
  }

  @SubscribeMessage('REGISTER_CLIENT')
  @WsRoles()
  async register(@Conn() conn: QueueConnection, @MessageBody() body: RegisterClientDto): Promise<void> {
    const p = conn.principal!;
    if (!(CLIENT_TYPES as readonly string[]).includes(body.client_type)) {
      throw new AppError(ErrorCode.BAD_HANDSHAKE, `Unknown client_type "${plainText(body.client_type, 50)}"; one of ${CLIENT_TYPES.join(', ')}`, undefined, CloseCode.BAD_HANDSHAKE);
    }
    const type = body.client_type as ClientType;
    if (clientTypeFor(p) !== type) throw new AppError(ErrorCode.FORBIDDEN, `This principal may not register as ${type}`, undefined, CloseCode.FORBIDDEN);
    const clientId = plainText(body.client_id, 100);
    if (!clientId) throw new AppError(ErrorCode.VALIDATION_FAILED, 'client_id must contain text');
    if (conn.state.clientType) {
      if (conn.state.clientType === type && conn.clientId === clientId) return this.welcome(conn);
      throw new AppError(ErrorCode.VALIDATION_FAILED, 'This connection is already registered as another client');
    }
    let counterId: number | null = p.kind === 'device' ? p.counterId : null;
    if (type === 'officer') {
      counterId = await this.access.counterOfOfficer(p.id);
      if (counterId === null) throw new AppError(ErrorCode.FORBIDDEN, 'No counter is assigned to this officer', undefined, CloseCode.FORBIDDEN);
    }
    if (!conn.open) return;

    // Newest connection wins, on this instance or another: the older one closes with 4409.
    await this.realtime.claimClientId(conn as Connection, clientId);
    conn.state.clientType = type;
    conn.state.counterId = counterId;
    conn.state.location = body.location === undefined ? null : plainText(body.location, 200) || null;
    await this.realtime.cluster.putClient(GATEWAY, conn.id, { client_id: clientId, client_type: type, counter_id: counterId });
    if (!conn.open) return void this.realtime.cluster.removeClient(GATEWAY, conn.id);
    // Announced before this socket joins the admin room: admins hear of others, not of themselves.
    this.broadcaster.publish('queue.client_connected', { client_id: clientId, client_type: type, timestamp: this.now() });
    this.registry.join(conn as Connection, REGISTERED);
    this.registry.join(conn as Connection, type);
    if (type === 'officer') {
      this.registry.join(conn as Connection, `officer:${counterId}`);
      this.broadcaster.publish('queue.officer_presence', { counter_id: counterId!, connection_id: conn.id, online: true });
    }
    await this.welcome(conn);
  }

  @SubscribeMessage('TICKET_CREATED')
  @WsRoles('device:kiosk', 'leader', 'admin')
  async ticketCreated(@Conn() conn: QueueConnection, @MessageBody() body: TicketCreatedMessageDto): Promise<void> {
    await this.tickets.issue(conn.principal!, body.counter_id, body.procedure_name, { connectionId: conn.id });
  }

  @SubscribeMessage('CALL_TICKET')
  @WsRoles('officer', 'leader', 'admin')
  async callTicket(@Conn() conn: QueueConnection, @MessageBody() body: CallTicketMessageDto): Promise<void> {
    await this.tickets.call(conn.principal!, body.counter_id, body.ticket_number);
  }

  @SubscribeMessage('COUNTER_STATUS_CHANGE')
  @WsRoles('officer', 'leader', 'admin')
  async counterStatusChange(@Conn() conn: QueueConnection, @MessageBody() body: CounterStatusChangeMessageDto): Promise<void> {
    await this.counters.setStatus(body.counter_id, { status: body.status, reason: body.reason }, conn.principal!);
  }

  @SubscribeMessage('ANNOUNCEMENT')
  @WsRoles('leader', 'admin')
  announcement(@MessageBody() body: AnnouncementDto): void {
    this.announcements.send(body);
  }

  /** Answered before authentication too; the timestamp echoes the client's. */
  @SubscribeMessage('PING')
  ping(@MessageBody() body: PingMessageDto) {
    return { type: 'PONG', payload: { timestamp: body?.timestamp ?? null, server_time: this.now() } };
  }

  @SubscribeMessage(UNKNOWN_MESSAGE)
  @WsRoles()
  unknown(@MessageBody() body: { type: string | null }): never {
    throw new AppError(ErrorCode.VALIDATION_FAILED, body?.type ? `Unknown message type "${plainText(body.type, 60)}"` : 'Message type is missing');
  }

  // ── helpers ──────────────────────────────────────────────────────────────

  /**
   * CONNECTION_ACK, then at once the QUEUE_UPDATE and COUNTER_STATUS_UPDATE of
   * every counter the client shows (an officer: its own; others: all), so a
   * display that reconnects after a power cut is right immediately. A counter
   * whose newer state was broadcast meanwhile (the socket already had it) is
   * skipped.
   */
  private async welcome(conn: QueueConnection): Promise<void> {
    if (!conn.open) return;
    this.realtime.send(conn as Connection, {
      type: 'CONNECTION_ACK',
      payload: { client_id: conn.clientId, server_time: this.now(), connected_clients: await this.realtime.cluster.countClients(GATEWAY) },
    });
    const states: CounterState[] = conn.state.clientType === 'officer' ? await this.snapshots.states(conn.state.counterId!) : await this.snapshots.states();
    if (!conn.open) return;
    for (const s of states) {
      if (s.queue.version >= (this.queueVersion.get(s.queue.counter_id) ?? -1)) this.realtime.send(conn as Connection, this.queueFrame(s.queue));
    }
    for (const s of states) {
      if (s.status.version >= (this.statusVersion.get(s.status.counter_id) ?? -1)) this.realtime.send(conn as Connection, this.statusFrame(s.status));
    }
  }

  private async claimMismatch(p: Principal, claims: AuthMessageDto): Promise<string | null> {
    const given = (v: unknown) => v !== undefined && v !== null && v !== '';
    if (given(claims.user_id) && String(claims.user_id) !== p.id) return 'user_id does not match the token';
    if (given(claims.role)) {
      const role = String(claims.role);
      const allowed = p.kind === 'user' ? [p.role] : ['device', p.deviceKind, clientTypeFor(p)];
      if (!allowed.includes(role)) return 'role does not match the token';
    }
    if (given(claims.counter_id)) {
      const claimed = Number(claims.counter_id);
      if (p.kind === 'device') {
        if (p.counterId !== claimed) return 'counter_id does not match the device';
      } else if (p.role === 'officer') {
        if ((await this.access.counterOfOfficer(p.id)) !== claimed) return 'counter_id is not the counter assigned to this officer';
      }
    }
    return null;
  }

  private queueFrame({ version: _v, ...payload }: QueueSnapshot) {
    return { type: 'QUEUE_UPDATE', payload };
  }

  private statusFrame({ version: _v, ...payload }: CounterStatusView) {
    return { type: 'COUNTER_STATUS_UPDATE', payload };
  }

  private connectionById(id: string): Connection | null {
    return this.open.get(id) ?? null;
  }

  /**
   * STATS_UPDATE soon after a change: changes within the debounce window share
   * one update. Computed by the instance that leads `queue.stats` and
   * published to the admins of every instance.
   */
  private statsSoon(): void {
    if (this.statsSoonTimer || !this.leadership.isLeader('queue.stats')) return;
    this.statsSoonTimer = setTimeout(() => {
      this.statsSoonTimer = null;
      void this.pushStats();
    }, this.statsDebounceMs);
    this.statsSoonTimer.unref();
  }

  private async pushStats(): Promise<void> {
    if (!this.leadership.isLeader('queue.stats')) return;
    try {
      const { counters: _counters, ...payload } = await this.snapshots.stats();
      this.broadcaster.publish('queue.stats', payload);
    } catch (err) {
      this.logger.error({ msg: 'stats update failed', err: String(err) });
    }
  }

  private now(): string {
    return this.clock.date().toISOString();
  }
}
