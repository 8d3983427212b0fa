import { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { MessageBody, OnGatewayDisconnect, SubscribeMessage } from '@nestjs/websockets';
import type { Principal } from '../auth/principal';
import { Clock } from '../common/clock';
import { plainText } from '../common/plain-text';
import { Broadcaster } from '../realtime/broadcaster';
import { AppError, ErrorCode } from '../common/app-error';
import { CloseCode } from '../realtime/codec';
import { Connection } from '../realtime/connection';
import { ConnectionRegistry } from '../realtime/connections';
import { Conn, RealtimeGateway, WsRoles } from '../realtime/realtime-gateway.decorator';
import { RealtimeService } from '../realtime/realtime.service';
import { type Encoded, FrameBatch } from '../realtime/wire';
import { AnnouncementsService } from './announcements.service';
import { QUEUE_GATEWAY } from './cluster-queue-presence';
import { CountersService } from './counters.service';
import { AnnouncementDto } from './dto/announcement.dto';
import { AuthMessageDto, CallTicketMessageDto, CounterStatusChangeMessageDto, PingMessageDto, RegisterClientDto, TicketCreatedMessageDto } from './dto/ws.dto';
import { QueueAccessService } from './queue-access.service';
import { QueueAlertsService } from './queue-alerts.service';
import { queueCodec, UNKNOWN_MESSAGE } from './queue.codec';
import { queueFrame } from './queue.frames';
import { trackQueueAction } from './queue-failure.interceptor';
import { QueueDisplayState } from './queue-display-state';
import type { CounterStatusView, QueueClientEvent, QueueSnapshot, TicketCreatedEvent } from './queue.events';
import { TicketsService } from './tickets.service';
import { QueueConfig } from './queue.config';

const GATEWAY = QUEUE_GATEWAY;
const CLIENT_TYPES = ['kiosk', 'tv', 'officer', 'admin'] as const;
type ClientType = (typeof CLIENT_TYPES)[number];

/** A display named by an ANNOUNCEMENT's target_displays: its own stream. */
const displayStream = (clientId: string) => `display:${clientId}`;

/** Rooms: every registered socket, and one per client type. */
const REGISTERED = 'registered';

export interface QueueConnectionState {
  clientType?: ClientType;
  counterId?: number | null;
  location?: string | null;
}
type QueueConnection = Connection<QueueConnectionState>;

/** The one client type each principal may register as (docs/protocols/queue.md). */
function clientTypeFor(p: Principal): ClientType | null {
  if (p.kind === 'device') return p.deviceKind === 'kiosk' ? 'kiosk' : p.deviceKind === 'display' ? 'tv' : null;
  if (p.role === 'officer') return 'officer';
  if (p.role === 'leader' || p.role === 'admin') return 'admin';
  return null;
}

/**
 * `/ws/queue` (seed 002), the protocol only: it decodes messages and hands
 * them to the services, picks each domain event's audience (rooms) and
 * renders each frame once for all of them. Registration keeps the cluster's
 * client directory, which QueuePresence reads.
 */
@RealtimeGateway({ name: GATEWAY, path: '/ws/queue', codec: queueCodec, auth: 'in-band', authTimeoutVar: QueueConfig.key('QUEUE_AUTH_TIMEOUT_MS') })
export class QueueGateway implements OnModuleInit, OnModuleDestroy, OnGatewayDisconnect {
  /** Newest counter version rendered per counter, to drop a snapshot that arrives after a newer one. */
  private readonly queueVersion = new Map<number, number>();
  private readonly statusVersion = new Map<number, number>();
  private readonly unsubscribe: Array<() => void> = [];
  private readonly welcomeFrames = new WeakMap<object, Encoded>();
  /** The latest welcome snapshot per audience (all counters, or an officer's one), joined once for every socket that gets it. */
  private readonly welcomeBatches = new Map<number | null, FrameBatch>();

  constructor(
    private readonly realtime: RealtimeService,
    private readonly registry: ConnectionRegistry,
    private readonly broadcaster: Broadcaster,
    private readonly tickets: TicketsService,
    private readonly counters: CountersService,
    private readonly announcements: AnnouncementsService,
    private readonly display: QueueDisplayState,
    private readonly access: QueueAccessService,
    private readonly clock: Clock,
    private readonly alerts: QueueAlertsService,
  ) {}

  onModuleInit(): void {
    const room = (name: string) => this.registry.room(GATEWAY, name);
    this.unsubscribe.push(
      this.broadcaster.on('queue.ticket_created', (payload) => this.toTvsAndAdmins(queueFrame('TICKET_CREATED', payload))),
      this.broadcaster.on('queue.queue_changed', (s) => {
        if (s.version < (this.queueVersion.get(s.counter_id) ?? -1)) return;
        this.queueVersion.set(s.counter_id, s.version);
        this.realtime.publish(GATEWAY, REGISTERED, room(REGISTERED), this.queueFrame(s));
      }),
      this.broadcaster.on('queue.counter_status_changed', (v) => {
        if (v.version < (this.statusVersion.get(v.counter_id) ?? -1)) return;
        this.statusVersion.set(v.counter_id, v.version);
        this.realtime.publish(GATEWAY, REGISTERED, room(REGISTERED), this.statusFrame(v));
      }),
      this.broadcaster.on('queue.ticket_announced', ({ ticket_id: _id, recall: _recall, ...payload }) => this.toTvsAndAdmins(queueFrame('TICKET_ANNOUNCEMENT', payload))),
      this.broadcaster.on('queue.announcement', (a) => {
        const frame = queueFrame('ANNOUNCEMENT', a);
        if (!a.target_displays.length) return void this.realtime.publish(GATEWAY, 'tv', room('tv'), frame);
        // Each named display is its own stream, kept while that TV is away.
        for (const id of new Set(a.target_displays)) {
          const c = this.registry.byClientId(GATEWAY, id);
          this.realtime.publish(GATEWAY, displayStream(id), c && (c.state as QueueConnectionState).clientType === 'tv' ? [c] : [], frame);
        }
      }),
      this.broadcaster.on('queue.alert', (payload) => this.realtime.publish(GATEWAY, 'admin', room('admin'), queueFrame('SYSTEM_ALERT', payload))),
      this.broadcaster.on('queue.client_connected', (payload) => this.realtime.publish(GATEWAY, 'admin', room('admin'), queueFrame('CLIENT_CONNECTED', payload))),
      this.broadcaster.on('queue.client_disconnected', (payload) => this.realtime.publish(GATEWAY, 'admin', room('admin'), queueFrame('CLIENT_DISCONNECTED', payload))),
      this.broadcaster.on('queue.stats', (payload) => this.realtime.publish(GATEWAY, 'admin', room('admin'), queueFrame('STATS_UPDATE', payload))),
    );
  }

  onModuleDestroy(): void {
    for (const off of this.unsubscribe) off();
  }

  /** Streams `tv` and `admin`: the same frame, kept for each audience. */
  private toTvsAndAdmins(frame: object): void {
    this.realtime.publish(GATEWAY, 'tv', this.registry.room(GATEWAY, 'tv'), frame);
    this.realtime.publish(GATEWAY, 'admin', this.registry.room(GATEWAY, 'admin'), frame);
  }

  handleDisconnect(client: unknown): void {
    const conn = this.realtime.connectionOf<QueueConnectionState>(client);
    const { clientType, counterId } = conn.state;
    const clientId = conn.clientId;
    if (!clientType || !clientId) return;
    // A replaced client is still connected, through its newer socket.
    const reason: QueueClientEvent['reason'] | null =
      conn.closeReason === 'replaced'
        ? null
        : conn.closeReason === 'timeout'
          ? 'timeout'
          : conn.closeReason === null && (conn.closeCode === 1000 || conn.closeCode === 1001)
            ? 'manual_disconnect'
            : 'network_error';
    const timestamp = this.now();
    // Presence is told after the directory no longer lists the socket, so asking it again is right.
    void this.realtime.cluster
      .removeClient(GATEWAY, conn.id)
      .catch(() => undefined)
      .then(() => {
        if (clientType === 'officer' && counterId) this.broadcaster.publish('queue.officer_presence', { counter_id: counterId, online: false });
        if (reason) this.broadcaster.publish('queue.client_disconnected', { client_id: clientId, client_type: clientType, reason, timestamp });
      });
  }

  // ── client → server ──────────────────────────────────────────────────────

  /**
   * In-band authentication. The claims beside the token are compared with the
   * token's principal and never trusted: any mismatch closes with 4401.
   * Success has no reply (the seed defines none).
   */
  @SubscribeMessage('AUTH')
  auth(@Conn() conn: QueueConnection, @MessageBody() body: AuthMessageDto): Promise<void> {
    return this.track('auth', null, () => this.authenticate(conn, body));
  }

  private async authenticate(conn: QueueConnection, body: AuthMessageDto): Promise<void> {
    const token = typeof body.token === 'string' && body.token.length <= 8192 ? body.token.trim().replace(/^Bearer\s+/i, '') : '';
    const principal = await this.realtime.authenticate(conn, token);
    if (!principal) return;
    const mismatch = await this.access.claimMismatch(principal, clientTypeFor(principal), body);
    if (mismatch) throw new AppError(ErrorCode.UNAUTHENTICATED, `Authentication failed: ${mismatch}`, undefined, CloseCode.UNAUTHENTICATED);
  }

  @SubscribeMessage('REGISTER_CLIENT')
  @WsRoles()
  register(@Conn() conn: QueueConnection, @MessageBody() body: RegisterClientDto): Promise<void> {
    return this.track('register', null, () => this.registerClient(conn, body));
  }

  private async registerClient(conn: QueueConnection, body: RegisterClientDto): Promise<void> {
    const p = conn.principal!;
    if (!(CLIENT_TYPES as readonly string[]).includes(body.client_type)) {
      throw new AppError(ErrorCode.BAD_HANDSHAKE, `Unknown client_type "${plainText(body.client_type, 50)}"; one of ${CLIENT_TYPES.join(', ')}`, undefined, CloseCode.BAD_HANDSHAKE);
    }
    const type = body.client_type as ClientType;
    if (clientTypeFor(p) !== type) throw new AppError(ErrorCode.FORBIDDEN, `This principal may not register as ${type}`, undefined, CloseCode.FORBIDDEN);
    const clientId = plainText(body.client_id, 100);
    if (!clientId) throw new AppError(ErrorCode.VALIDATION_FAILED, 'client_id must contain text');
    if (conn.state.clientType) {
      if (conn.state.clientType === type && conn.clientId === clientId) return void (await this.welcome(conn));
      throw new AppError(ErrorCode.VALIDATION_FAILED, 'This connection is already registered as another client');
    }
    let counterId: number | null = p.kind === 'device' ? p.counterId : null;
    if (type === 'officer') {
      counterId = await this.access.counterOfOfficer(p.id);
      if (counterId === null) throw new AppError(ErrorCode.FORBIDDEN, 'No counter is assigned to this officer', undefined, CloseCode.FORBIDDEN);
    }
    if (!conn.open) return;

    // A client id is replaced only by the principal holding it (same user or device); anyone else is refused and the holder stays.
    const owner = `${p.kind}:${p.id}`;
    const holder = await this.realtime.cluster.clientHolder(GATEWAY, clientId);
    if (holder && holder.owner !== owner) {
      throw new AppError(ErrorCode.FORBIDDEN, `client_id "${clientId}" is held by another principal`);
    }
    if (!conn.open) return;
    // Newest connection of the same principal wins, on this instance or another: the older one closes with 4409.
    await this.realtime.claimClientId(conn, clientId);
    conn.state.clientType = type;
    conn.state.counterId = counterId;
    conn.state.location = body.location === undefined ? null : plainText(body.location, 200) || null;
    await this.realtime.cluster.putClient(GATEWAY, conn.id, { client_id: clientId, client_type: type, counter_id: counterId, owner });
    this.realtime.describeConnection(conn, { client_type: type, counter_id: counterId, location: conn.state.location });
    if (!conn.open) return void this.realtime.cluster.removeClient(GATEWAY, conn.id);
    // Announced before this socket joins the admin room: admins hear of others, not of themselves.
    this.broadcaster.publish('queue.client_connected', { client_id: clientId, client_type: type, timestamp: this.now() });
    this.registry.join(conn, REGISTERED);
    this.registry.join(conn, type);
    // Reliable delivery: the streams this principal may hear now, decided by the type it registered as.
    this.realtime.follow(conn, REGISTERED);
    if (type === 'tv' || type === 'admin') this.realtime.follow(conn, type);
    if (type === 'tv') this.realtime.follow(conn, displayStream(clientId));
    if (type === 'officer') {
      this.registry.join(conn, `officer:${counterId}`);
      this.broadcaster.publish('queue.officer_presence', { counter_id: counterId!, online: true });
    }
    if (await this.welcome(conn)) this.realtime.metrics.registered(GATEWAY, this.clock.now() - conn.connectedAt);
  }

  @SubscribeMessage('TICKET_CREATED')
  @WsRoles('device:kiosk', 'leader', 'admin')
  ticketCreated(@Conn() conn: QueueConnection, @MessageBody() body: TicketCreatedMessageDto): Promise<void> {
    // TVs and admins hear TICKET_CREATED as a broadcast; any other sender gets it as the reply.
    const hearsBroadcast = conn.state.clientType === 'tv' || conn.state.clientType === 'admin';
    const reply = (ticket: TicketCreatedEvent) => this.realtime.send(conn, { type: 'TICKET_CREATED', payload: ticket });
    return this.track('ticketCreated', body.counter_id, async () => {
      await this.tickets.issue(conn.principal!, body, { onIssued: hearsBroadcast ? undefined : reply, requestId: body.request_id, onRepeat: reply });
    });
  }

  @SubscribeMessage('CALL_TICKET')
  @WsRoles('officer', 'leader', 'admin')
  callTicket(@Conn() conn: QueueConnection, @MessageBody() body: CallTicketMessageDto): Promise<void> {
    return this.track('callTicket', body.counter_id, async () => void (await this.tickets.call(conn.principal!, body.counter_id, body)));
  }

  @SubscribeMessage('COUNTER_STATUS_CHANGE')
  @WsRoles('officer', 'leader', 'admin')
  counterStatusChange(@Conn() conn: QueueConnection, @MessageBody() body: CounterStatusChangeMessageDto): Promise<void> {
    return this.track('counterStatusChange', body.counter_id, async () => void (await this.counters.setStatus(body.counter_id, { status: body.status, reason: body.reason }, conn.principal!)));
  }

  @SubscribeMessage('ANNOUNCEMENT')
  @WsRoles('leader', 'admin')
  announcement(@MessageBody() body: AnnouncementDto): Promise<void> {
    return this.track('announcement', null, async () => void this.announcements.send(body));
  }

  /** Answered before authentication too; the timestamp echoes the client's. */
  @SubscribeMessage('PING')
  ping(@MessageBody() body: PingMessageDto) {
    return queueFrame('PONG', { timestamp: body?.timestamp ?? null, server_time: this.now() });
  }

  @SubscribeMessage(UNKNOWN_MESSAGE)
  @WsRoles()
  unknown(@MessageBody() body: { type: string | null }): never {
    throw new AppError(ErrorCode.VALIDATION_FAILED, body?.type ? `Unknown message type "${plainText(body.type, 60)}"` : 'Message type is missing');
  }

  // ── helpers ──────────────────────────────────────────────────────────────

  /**
   * A failure that is not a refusal raises the admins' `system_error` alert
   * ("queue callTicket failed inside the server"), cleared when the action
   * next succeeds; the HTTP routes get the same from QueueFailureInterceptor.
   * Here without the interceptor's observable chain: a reconnect storm runs
   * thousands of registrations a second through this gateway.
   */
  private track(action: string, counterId: unknown, run: () => Promise<void>): Promise<void> {
    return trackQueueAction(this.alerts, `queue ${action}`, counterId, run);
  }

  /**
   * CONNECTION_ACK, then at once the QUEUE_UPDATE and COUNTER_STATUS_UPDATE of
   * every counter the client shows (an officer: its own; others: all), so a
   * display that reconnects after a power cut is right immediately. A counter
   * whose newer state was broadcast meanwhile (the socket already had it) is
   * skipped. Read from QueueDisplayState, not the database: a hall of
   * displays reconnecting at once shares one state.
   */
  private async welcome(conn: QueueConnection): Promise<boolean> {
    if (!conn.open) return false;
    const connected = await this.realtime.cluster.countClients(GATEWAY);
    // Displays and dashboards also get the latest calls, for their "recent" column.
    const recent = conn.state.clientType === 'tv' || conn.state.clientType === 'admin' ? await this.display.recentCalls() : undefined;
    const states = await this.display.states(conn.state.clientType === 'officer' ? conn.state.counterId! : null);
    if (!conn.open) return false;
    // One write for the whole welcome; every client gets the same bytes for the same counter state.
    const frames: Encoded[] = [];
    for (const s of states) {
      if (s.queue.version >= (this.queueVersion.get(s.queue.counter_id) ?? -1)) frames.push(this.encoded(s.queue, () => this.queueFrame(s.queue)));
    }
    for (const s of states) {
      if (s.status.version >= (this.statusVersion.get(s.status.counter_id) ?? -1)) frames.push(this.encoded(s.status, () => this.statusFrame(s.status)));
    }
    const audience = conn.state.clientType === 'officer' ? (conn.state.counterId ?? null) : null;
    let batch = this.welcomeBatches.get(audience);
    if (!batch?.same(frames)) this.welcomeBatches.set(audience, (batch = new FrameBatch(frames)));
    this.realtime.sendBatch(
      conn,
      queueFrame('CONNECTION_ACK', { client_id: conn.clientId!, server_time: this.now(), connected_clients: connected, ...(recent ? { recent_calls: recent } : {}) }),
      batch,
    );
    return true;
  }

  /** A state's frame, encoded once: QueueDisplayState replaces a state's object whenever it changes. */
  private encoded(state: QueueSnapshot | CounterStatusView, frame: () => object): Encoded {
    let e = this.welcomeFrames.get(state);
    if (!e) this.welcomeFrames.set(state, (e = this.realtime.encode(frame())));
    return e;
  }

  private queueFrame({ version: _v, ...payload }: QueueSnapshot) {
    return queueFrame('QUEUE_UPDATE', payload);
  }

  private statusFrame({ version: _v, ...payload }: CounterStatusView) {
    return queueFrame('COUNTER_STATUS_UPDATE', payload);
  }

  private now(): string {
    return this.clock.date().toISOString();
  }
}
