import { Inject, Logger, OnModuleInit } from '@nestjs/common';
import { MessageBody, OnGatewayConnection, OnGatewayDisconnect, SubscribeMessage } from '@nestjs/websockets';
import { Clock } from '../common/clock';
import { WindowCounter } from '../common/window-counter';
import { plainText } from '../common/plain-text';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { EmployeesService } from '../employees/employees.service';
import { EmployeeSnapshot } from '../employees/employees.events';
import { NotificationSnapshot } from '../notifications/notifications.events';
import { Broadcaster } from '../realtime/broadcaster';
import { AppError, ErrorCode } from '../common/app-error';
import { Connection } from '../realtime/connection';
import { ConnectionRegistry } from '../realtime/connections';
import { Conn, RealtimeGateway } from '../realtime/realtime-gateway.decorator';
import { RealtimeService } from '../realtime/realtime.service';
import { SubscribeDto, TypingDto, UnsubscribeDto } from './dto/messages.dto';
import { schedulesCodec, SchedulesFrame } from './schedules.codec';
import type { SchedulesData } from './schedules.frames';
import { PresenceChanged } from './schedules.events';
import { allowedEvents, employeeMatches, EventType, roomOf, scheduleMatches, SchedulesState, SubscriptionFilters } from './schedules.subscriptions';
import { deviceInfo } from './user-agent';
import { SchedulesConfig } from './schedules.config';

const GATEWAY = 'schedules';
type SchedulesConnection = Connection<SchedulesState>;

/**
 * Seed 001 at /ws/schedules: who hears which schedule, notification,
 * employee, presence and system event, and how each looks on the wire.
 * Each event is rendered once and the same bytes go to every socket of its
 * audience; the audience is the event type's room, narrowed by each socket's
 * filters and permissions.
 */
@RealtimeGateway({
  name: GATEWAY,
  path: '/ws/schedules',
  codec: schedulesCodec,
  auth: 'required',
  connectionsPerMinutePerIpVar: SchedulesConfig.key('SCHEDULES_CONNECTIONS_PER_MINUTE_PER_IP'),
  maxConnectionsPerUserVar: SchedulesConfig.key('SCHEDULES_MAX_CONNECTIONS_PER_USER'),
  messagesPerMinuteVar: SchedulesConfig.key('SCHEDULES_MESSAGES_PER_MINUTE'),
  idleTimeoutVar: SchedulesConfig.key('SCHEDULES_IDLE_TIMEOUT_MS'),
  presence: true,
})
export class SchedulesGateway implements OnModuleInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger('SchedulesGateway');
  private readonly subscribeRate: WindowCounter;
  private readonly subscribeLimit: number;
  /** User → employee id, for users with a schedules socket on this instance. */
  private readonly links = new Map<string, Promise<number | null>>();
  /** Presence transitions of one user, announced in the order they happened. */
  private readonly presenceQueue = new Map<string, Promise<void>>();

  constructor(
    private readonly realtime: RealtimeService,
    private readonly registry: ConnectionRegistry,
    private readonly broadcaster: Broadcaster,
    private readonly clock: Clock,
    private readonly employees: EmployeesService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.subscribeRate = new WindowCounter(60_000, () => clock.now());
    this.subscribeLimit = SchedulesConfig.read(config).SCHEDULES_SUBSCRIPTIONS_PER_MINUTE;
  }

  onModuleInit(): void {
    const b = this.broadcaster;
    b.on('schedules.schedule_created', ({ schedule: s, created_by }) => {
      const data = {
        schedule_id: s.id,
        employee_id: s.employee_id,
        shift_id: s.shift_id,
        date: s.date,
        status: s.status,
        notes: s.notes,
        employee: { id: s.employee.id, name: s.employee.name, role: s.employee.role },
        shift: s.shift,
      };
      this.toSchedule(this.frame('schedule', 'created', data, created_by.id), [s.employee_id], (st) => scheduleMatches(st, s.employee_id, s.date));
    });
    b.on('schedules.schedule_updated', (e) => {
      const data = { schedule_id: e.schedule_id, employee_id: e.employee_id, date: e.date, changes: e.changes, updated_by: e.updated_by };
      // Both the old and the new place hear it: a schedule moved out of a filter is news there too.
      this.toSchedule(
        this.frame('schedule', 'updated', data, e.updated_by.id),
        [e.employee_id, e.previous.employee_id],
        (st) => scheduleMatches(st, e.employee_id, e.date) || scheduleMatches(st, e.previous.employee_id, e.previous.date),
      );
    });
    b.on('schedules.schedule_deleted', (e) => {
      const data = { schedule_id: e.schedule_id, employee_id: e.employee_id, date: e.date, reason: e.reason, deleted_by: e.deleted_by };
      this.toSchedule(this.frame('schedule', 'deleted', data, e.deleted_by.id), [e.employee_id], (st) => scheduleMatches(st, e.employee_id, e.date));
    });

    b.on('notifications.created', ({ notification: n }) => this.toRecipient(n.user_id, this.frame('notification', 'created', notificationData(n), n.user_id)));
    b.on('notifications.read', (e) => this.toRecipient(e.user_id, this.frame('notification', 'read', { notification_id: e.notification_id, read_by: e.user_id, read_at: e.read_at }, e.user_id)));
    // The seed has no "read all" frame: its clients understand one `read` per notification.
    b.on('notifications.read_all', (e) => {
      for (const id of e.notification_ids) this.toRecipient(e.user_id, this.frame('notification', 'read', { notification_id: id, read_by: e.user_id, read_at: e.read_at }, e.user_id));
    });
    b.on('notifications.deleted', (e) => this.toRecipient(e.user_id, this.frame('notification', 'deleted', { notification_id: e.notification_id }, e.user_id)));

    b.on('employees.created', ({ employee }) => {
      this.relink(employee.user_id, employee.id);
      this.toEmployee(employee.id, this.frame('employee', 'created', { employee_id: employee.id, employee: employeeData(employee) }, employee.user_id));
    });
    b.on('employees.updated', ({ employee, changes = {} }) => {
      if (changes.user_id) {
        this.relink(changes.user_id.old as string | null, null);
        this.relink(employee.user_id, employee.id);
      }
      if (!Object.keys(changes).length) return;
      this.toEmployee(employee.id, this.frame('employee', 'updated', { employee_id: employee.id, changes, employee: employeeData(employee) }, employee.user_id));
    });
    b.on('employees.deleted', ({ employee }) => {
      this.relink(employee.user_id, null);
      this.toEmployee(employee.id, this.frame('employee', 'deleted', { employee_id: employee.id }, employee.user_id));
    });

    // The core counts a user's schedules sockets across the cluster and reports each
    // transition once, here on the instance that saw it; add the employee and announce it.
    this.realtime.onPresence(GATEWAY, (e) => {
      const info = deviceInfo(e.user_agent ?? '', e.ip ?? '');
      const link = this.linkOf(e.user_id);
      this.inOrder(e.user_id, async () => {
        this.broadcaster.publish('schedules.presence_changed', { user_id: e.user_id, employee_id: await link, status: e.status, last_activity: e.at, device_info: info });
        if (e.status === 'offline' && this.registry.byUser(GATEWAY, e.user_id).size === 0) this.links.delete(e.user_id);
      });
    });
    b.on('schedules.presence_changed', (e) => this.renderPresence(e));
    b.on('schedules.typing', (e) => {
      const frame = this.frame('presence', 'typing', { user_id: e.user_id, typing: e.typing, context: e.context }, e.user_id);
      // Not echoed to the typist's own sockets: they know they are typing.
      this.deliver(this.registry.room(GATEWAY, roomOf('presence')), frame, (c) => c.principal?.id !== e.user_id);
    });

    b.on('schedules.system_maintenance', (e) => {
      const data = { status: e.status, estimated_duration: e.estimated_duration, scheduled_start: e.scheduled_start, message: e.message };
      this.realtime.publish(GATEWAY, 'system', this.registry.all(GATEWAY), this.frame('system', 'maintenance', data, null));
    });
    b.on('schedules.system_broadcast', (e) => {
      this.realtime.publish(GATEWAY, 'system', this.registry.all(GATEWAY), this.frame('system', 'broadcast', { title: e.title, message: e.message, priority: e.priority, sender: e.sender }, null));
    });
  }

  // ── connections and presence ─────────────────────────────────────────────

  handleConnection(client: unknown): void {
    const conn = this.realtime.connectionOf<SchedulesState>(client);
    const p = conn.principal;
    conn.state.subs = {};
    conn.state.employeeId = null;
    conn.state.ownOnly = p?.kind === 'user' && p.role === 'employee';
    this.realtime.follow(conn, 'system');
    if (p?.kind !== 'user') return;
    const link = this.linkOf(p.id);
    // Messages wait until the socket knows its employee record (permissions depend on it).
    // Read the link again once settled: an employee record may have been (un)linked meanwhile.
    conn.hold(link.then(() => this.linkOf(p.id)).then((id) => void (conn.state.employeeId = id)));
  }

  handleDisconnect(client: unknown): void {
    const conn = this.realtime.connectionOf<SchedulesState>(client);
    this.subscribeRate.reset(conn.id);
  }

  private renderPresence(e: PresenceChanged): void {
    const presence = { user_id: e.user_id, status: e.status, last_activity: e.last_activity, device_info: e.device_info };
    this.realtime.publish(GATEWAY, 'presence', this.registry.room(GATEWAY, roomOf('presence')), this.frame('presence', 'status_update', presence, e.user_id));
    if (e.employee_id === null) return;
    const old = e.status === 'online' ? 'offline' : 'online';
    const employee: SchedulesData['employee/status_changed'] = { employee_id: e.employee_id, status: { old, new: e.status }, last_seen: e.last_activity };
    this.toEmployee(e.employee_id, this.frame('employee', 'status_changed', employee, e.user_id));
  }

  private linkOf(userId: string): Promise<number | null> {
    let link = this.links.get(userId);
    if (!link) {
      link = this.employees.findByUser(userId).then(
        (e) => e?.id ?? null,
        (err) => {
          this.logger.error({ msg: 'could not look up the employee of a user', user_id: userId, err: String(err) });
          return null;
        },
      );
      this.links.set(userId, link);
    }
    return link;
  }

  /** An employee record was linked to or unlinked from a user who is connected here. */
  private relink(userId: string | null, employeeId: number | null): void {
    if (!userId || !this.links.has(userId)) return;
    this.links.set(userId, Promise.resolve(employeeId));
    for (const c of this.registry.byUser(GATEWAY, userId)) (c as SchedulesConnection).state.employeeId = employeeId;
  }

  private inOrder(userId: string, work: () => Promise<void>): void {
    const next = (this.presenceQueue.get(userId) ?? Promise.resolve()).then(work).catch((err) => this.logger.error({ msg: 'presence update failed', user_id: userId, err: String(err) }));
    this.presenceQueue.set(userId, next);
    void next.then(() => {
      if (this.presenceQueue.get(userId) === next) this.presenceQueue.delete(userId);
    });
  }

  // ── client messages ──────────────────────────────────────────────────────

  @SubscribeMessage('subscription/subscribe')
  subscribe(@Conn() conn: SchedulesConnection, @MessageBody() dto: SubscribeDto): SchedulesFrame | undefined {
    const p = conn.principal!;
    if (this.subscribeRate.hit(conn.id) > this.subscribeLimit) {
      throw new AppError(ErrorCode.RATE_LIMITED, `More than ${this.subscribeLimit} subscription requests a minute; nothing changed`, {
        retry_after_ms: this.subscribeRate.retryAfterMs(conn.id),
      });
    }
    const allowed = allowedEvents(p);
    const denied = (message: string) => new AppError(ErrorCode.EVENTS_NOT_ALLOWED, message, { requested_events: dto.events, allowed_events: [...allowed] });
    if (dto.events.some((e) => !allowed.includes(e))) throw denied('Insufficient permissions to subscribe to this event type');
    const wanted = dto.filters?.employee_id ?? null;
    if (conn.state.ownOnly && wanted !== null && wanted !== conn.state.employeeId) throw denied('Employees may only subscribe to their own employee record');
    const range = dto.filters?.date_range;
    if (range?.start && range.end && range.start > range.end) throw new AppError(ErrorCode.VALIDATION_FAILED, 'date_range.start must not be after date_range.end');

    const filters: SubscriptionFilters = {};
    if (conn.state.ownOnly) filters.employee_id = conn.state.employeeId;
    else if (wanted !== null) filters.employee_id = wanted;
    if (range && (range.start || range.end)) filters.date_range = { ...(range.start ? { start: range.start } : {}), ...(range.end ? { end: range.end } : {}) };
    const events = [...new Set(dto.events)];
    for (const e of events) {
      conn.state.subs[e] = filters;
      this.registry.join(conn, roomOf(e));
    }
    const reply = this.frame('subscription', 'subscribed', { events, filters }, userIdOf(conn));
    if (!conn.recover) return reply;
    // Reliable delivery: the reply first, then each stream's replay or position.
    this.realtime.send(conn, reply);
    for (const e of events) {
      const stream = streamOf(conn, e);
      if (stream) this.realtime.follow(conn, stream);
    }
    return undefined;
  }

  @SubscribeMessage('subscription/unsubscribe')
  unsubscribe(@Conn() conn: SchedulesConnection, @MessageBody() dto: UnsubscribeDto): SchedulesFrame {
    const events = [...new Set(dto.events)];
    for (const e of events) {
      delete conn.state.subs[e];
      this.registry.leave(conn, roomOf(e));
    }
    return this.frame('subscription', 'unsubscribed', { events }, userIdOf(conn));
  }

  /** `{type: "ping", timestamp?}` → `{type: "pong", action: "pong", data: {timestamp, server_time}}`. */
  @SubscribeMessage('ping')
  ping(@Conn() conn: SchedulesConnection, @MessageBody() body: { timestamp?: unknown }): SchedulesFrame {
    const t = body?.timestamp;
    const echo = typeof t === 'string' ? t.slice(0, 64) : typeof t === 'number' && Number.isFinite(t) ? t : null;
    return this.frame('pong', 'pong', { timestamp: echo, server_time: this.clock.date().toISOString() }, userIdOf(conn));
  }

  @SubscribeMessage('presence/typing')
  typing(@Conn() conn: SchedulesConnection, @MessageBody() dto: TypingDto): void {
    const p = conn.principal!;
    if (p.kind !== 'user' || !allowedEvents(p).includes('presence')) throw new AppError(ErrorCode.FORBIDDEN, 'Your role may not use presence');
    this.broadcaster.publish('schedules.typing', { user_id: p.id, typing: dto.typing, context: plainText(dto.context ?? '', 100) });
  }

  // ── audiences ────────────────────────────────────────────────────────────

  /** A frame of schedules.frames.ts: `data` must match the schema of `type/action`. */
  private frame<T extends string, A extends string>(type: T, action: A, data: DataOf<T, A>, userId: string | null): SchedulesFrame {
    return { type, action, data, timestamp: this.clock.date().toISOString(), user_id: userId };
  }

  /** Encodes once (only if someone is to hear it) and writes the same bytes to each matching socket. */
  private deliver(candidates: Iterable<Connection>, frame: SchedulesFrame, accept?: (conn: SchedulesConnection) => boolean): void {
    const targets: Connection[] = [];
    for (const c of candidates) if (!accept || accept(c as SchedulesConnection)) targets.push(c);
    if (targets.length) this.realtime.broadcast(targets, frame);
  }

  /**
   * Reliable delivery: a socket that opted in hears whole streams — `schedule`
   * (no employee filter) or `schedule:employee:<id>` — and filters dates
   * itself; a seed socket hears exactly what its filters match, as before.
   */
  private toSchedule(frame: SchedulesFrame, employeeIds: number[], matches: (state: SchedulesState) => boolean): void {
    this.toStreams('schedule', frame, employeeIds, (c) => matches(c.state));
  }

  private toEmployee(employeeId: number, frame: SchedulesFrame): void {
    this.toStreams('employee', frame, [employeeId], (c) => employeeMatches(c.state, employeeId));
  }

  /** Publishes to `<type>` and `<type>:employee:<id>` for each id: plain sockets that `match` ride with the first. */
  private toStreams(type: 'schedule' | 'employee', frame: SchedulesFrame, employeeIds: number[], match: (c: SchedulesConnection) => boolean): void {
    const streams = new Map<string, Connection[]>([[type, []]]);
    for (const id of employeeIds) streams.set(`${type}:employee:${id}`, []);
    for (const c of this.registry.room(GATEWAY, roomOf(type))) {
      const conn = c as SchedulesConnection;
      if (!conn.recover) {
        if (match(conn)) streams.get(type)!.push(c);
        continue;
      }
      const stream = streamOf(conn, type);
      if (stream) streams.get(stream)?.push(c);
    }
    for (const [stream, targets] of streams) this.realtime.publish(GATEWAY, stream, targets, frame);
  }

  /** A notification frame goes to its recipient's sockets that subscribed to notifications, and nowhere else. */
  private toRecipient(userId: string, frame: SchedulesFrame): void {
    const room = roomOf('notification' satisfies EventType);
    this.realtime.publish(
      GATEWAY,
      `notification:${userId}`,
      [...this.registry.byUser(GATEWAY, userId)].filter((c) => c.inRoom(room)),
      frame,
    );
  }
}

/** The stream a socket's subscription to `type` belongs to (null: it hears nothing of it). */
function streamOf(conn: SchedulesConnection, type: EventType): string | null {
  const st = conn.state;
  const f = st.subs[type];
  if (!f) return null;
  switch (type) {
    case 'schedule': {
      const wanted = st.ownOnly ? st.employeeId : f.employee_id;
      if (st.ownOnly && wanted === null) return null;
      return wanted === undefined || wanted === null ? 'schedule' : `schedule:employee:${wanted}`;
    }
    case 'employee':
      return f.employee_id === undefined || f.employee_id === null ? 'employee' : `employee:employee:${f.employee_id}`;
    case 'notification':
      return conn.principal?.kind === 'user' ? `notification:${conn.principal.id}` : null;
    default:
      return type;
  }
}

type DataOf<T extends string, A extends string> = `${T}/${A}` extends keyof SchedulesData ? SchedulesData[`${T}/${A}`] : never;

function userIdOf(conn: Connection): string | null {
  return conn.principal?.kind === 'user' ? conn.principal.id : null;
}

function notificationData(n: NotificationSnapshot): SchedulesData['notification/created'] {
  return {
    notification_id: n.id,
    notification_type: n.type,
    title: n.title,
    message: n.message,
    priority: n.priority,
    employee_id: n.employee_id,
    metadata: n.metadata,
    link: n.link,
    created_at: n.created_at,
  };
}

function employeeData(e: EmployeeSnapshot): SchedulesData['employee/created']['employee'] {
  return { id: e.id, name: e.name, role: e.job_role, user_id: e.user_id };
}
