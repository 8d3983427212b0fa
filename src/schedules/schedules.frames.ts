import { TSchema, Type } from '@sinclair/typebox';
import { AnyFrameOf, AnyObject, FrameOf, IsoTime, Nullable, outbound, Uuid } from '../realtime/frames';

/** `{type, action, data, timestamp, user_id}`; frames are keyed `type/action`. */
const frame = <T extends string, A extends string, D extends TSchema>(type: T, action: A, data: D, userId = 'The acting or target user, or null') =>
  Type.Object({ type: Type.Literal(type), action: Type.Literal(action), data, timestamp: IsoTime(), user_id: Nullable(Uuid(userId)) });
const oneOf = <T extends string>(...values: T[]) => Type.Union(values.map((v) => Type.Literal(v)));

const EventType = oneOf('schedule', 'notification', 'employee', 'presence', 'system');
const Actor = Type.Object({ id: Uuid(), name: Type.String() });
const Changes = Type.Record(Type.String(), Type.Object({ old: Type.Unknown(), new: Type.Unknown() }), { description: 'Only the fields whose value changed' });
const Filters = Type.Object({
  employee_id: Type.Optional(Nullable(Type.Integer())),
  date_range: Type.Optional(Type.Object({ start: Type.Optional(Type.String({ description: 'YYYY-MM-DD' })), end: Type.Optional(Type.String({ description: 'YYYY-MM-DD' })) })),
});
const Employee = Type.Object({ id: Type.Integer(), name: Type.String(), role: Type.String({ description: 'Job role' }), user_id: Nullable(Uuid()) });
const Status = oneOf('online', 'offline');

/** Server → client frames of /ws/schedules. */
export const schedulesFrames = {
  'subscription/subscribed': outbound(
    frame('subscription', 'subscribed', Type.Object({ events: Type.Array(EventType), filters: Filters })),
    'The subscription took effect, with the filters the server applies.',
    'The sender',
  ),
  'subscription/unsubscribed': outbound(frame('subscription', 'unsubscribed', Type.Object({ events: Type.Array(EventType) })), 'Those event types are no longer sent.', 'The sender'),
  'pong/pong': outbound(
    frame('pong', 'pong', Type.Object({ timestamp: Nullable(Type.Union([Type.String(), Type.Number()], { description: 'The ping’s timestamp, echoed' })), server_time: IsoTime() })),
    'The answer to `ping`.',
    'The sender',
  ),
  'schedule/created': outbound(
    frame(
      'schedule',
      'created',
      Type.Object({
        schedule_id: Type.Integer(),
        employee_id: Type.Integer(),
        shift_id: Type.Integer(),
        date: Type.String({ description: 'YYYY-MM-DD' }),
        status: oneOf('scheduled', 'confirmed', 'completed', 'cancelled', 'no_show', 'declined'),
        notes: Nullable(Type.String()),
        employee: Type.Object({ id: Type.Integer(), name: Type.String(), role: Type.String({ description: 'Job role' }) }),
        shift: Type.Object({ id: Type.Integer(), name: Type.String(), start_time: Type.String(), end_time: Type.String() }),
      }),
    ),
    'A schedule was created.',
    '`schedule` subscribers whose filters match',
  ),
  'schedule/updated': outbound(
    frame('schedule', 'updated', Type.Object({ schedule_id: Type.Integer(), employee_id: Type.Integer(), date: Type.String(), changes: Changes, updated_by: Actor })),
    'A schedule changed.',
    '`schedule` subscribers whose filters match the schedule before or after the change',
  ),
  'schedule/deleted': outbound(
    frame('schedule', 'deleted', Type.Object({ schedule_id: Type.Integer(), employee_id: Type.Integer(), date: Type.String(), reason: Nullable(Type.String()), deleted_by: Actor })),
    'A schedule was deleted.',
    '`schedule` subscribers whose filters match',
  ),
  'notification/created': outbound(
    frame(
      'notification',
      'created',
      Type.Object({
        notification_id: Uuid(),
        notification_type: Type.String(),
        title: Type.String(),
        message: Type.String(),
        priority: Type.String(),
        employee_id: Nullable(Type.Integer()),
        metadata: AnyObject(),
        link: Nullable(Type.String()),
        created_at: IsoTime(),
      }),
    ),
    'A notification for this user.',
    'The recipient’s sockets subscribed to `notification`',
  ),
  'notification/read': outbound(
    frame('notification', 'read', Type.Object({ notification_id: Uuid(), read_by: Uuid(), read_at: IsoTime() })),
    'A notification was marked read (one frame per notification for “read all”).',
    'The recipient’s sockets subscribed to `notification`',
  ),
  'notification/deleted': outbound(frame('notification', 'deleted', Type.Object({ notification_id: Uuid() })), 'A notification was deleted.', 'The recipient’s sockets subscribed to `notification`'),
  'employee/created': outbound(
    frame('employee', 'created', Type.Object({ employee_id: Type.Integer(), employee: Employee })),
    'An employee record was created.',
    '`employee` subscribers whose filters match',
  ),
  'employee/updated': outbound(
    frame('employee', 'updated', Type.Object({ employee_id: Type.Integer(), changes: Changes, employee: Employee })),
    'An employee record changed.',
    '`employee` subscribers whose filters match',
  ),
  'employee/deleted': outbound(frame('employee', 'deleted', Type.Object({ employee_id: Type.Integer() })), 'An employee record was deleted.', '`employee` subscribers whose filters match'),
  'employee/status_changed': outbound(
    frame('employee', 'status_changed', Type.Object({ employee_id: Type.Integer(), status: Type.Object({ old: Status, new: Status }), last_seen: IsoTime() })),
    'An employee’s user opened a first or closed a last schedules socket.',
    '`employee` subscribers whose filters match',
  ),
  'presence/status_update': outbound(
    frame(
      'presence',
      'status_update',
      Type.Object({
        user_id: Uuid(),
        status: Status,
        last_activity: IsoTime(),
        device_info: Type.Object({ type: oneOf('web', 'mobile', 'desktop', 'bot', 'unknown'), browser: Type.String(), ip: Type.String() }),
      }),
    ),
    'A user’s first schedules socket opened (online) or the last one closed (offline).',
    '`presence` subscribers',
  ),
  'presence/typing': outbound(
    frame('presence', 'typing', Type.Object({ user_id: Uuid(), typing: Type.Boolean(), context: Type.String() })),
    'Someone is typing.',
    '`presence` subscribers except the typist',
  ),
  'system/maintenance': outbound(
    frame('system', 'maintenance', Type.Object({ status: Type.String(), estimated_duration: Nullable(Type.String()), scheduled_start: Nullable(Type.String()), message: Type.String() })),
    'Maintenance announced (POST /api/system/maintenance).',
    'Every connection',
  ),
  'system/broadcast': outbound(
    frame('system', 'broadcast', Type.Object({ title: Type.String(), message: Type.String(), priority: Type.String(), sender: Actor })),
    'A message to everyone (POST /api/system/broadcast).',
    'Every connection',
  ),
  'error/connection_error': outbound(
    frame(
      'error',
      'connection_error',
      Type.Object({
        code: Type.String({ description: 'INVALID_TOKEN, TOO_MANY_CONNECTIONS, AUTH_TIMEOUT, BAD_HANDSHAKE' }),
        message: Type.String(),
        details: Type.Optional(Type.Object({ token_expired: Type.Boolean(), refresh_required: Type.Boolean() })),
      }),
    ),
    'The connection is refused; the close code follows (4401, 4429).',
    'The connecting socket',
  ),
  'error/subscription_error': outbound(
    frame(
      'error',
      'subscription_error',
      Type.Object({ code: Type.Literal('PERMISSION_DENIED'), message: Type.String(), requested_events: Type.Array(Type.String()), allowed_events: Type.Array(EventType) }),
    ),
    'A subscription asked for more than the principal may see; nothing changed.',
    'The sender',
  ),
  'error/message_error': outbound(
    frame(
      'error',
      'message_error',
      Type.Object({
        code: Type.String({ description: 'INVALID_MESSAGE, PERMISSION_DENIED, NOT_FOUND, INTERNAL, or a service code such as CONFLICT' }),
        message: Type.String(),
        errors: Type.Optional(Type.Array(Type.Unknown())),
      }),
    ),
    'A message could not be carried out; the connection stays open.',
    'The sender',
  ),
  'error/rate_limited': outbound(
    frame('error', 'rate_limited', Type.Object({ code: Type.Literal('RATE_LIMITED'), message: Type.String(), retry_after_ms: Type.Integer() })),
    'Over the message or subscription rate: the message was dropped.',
    'The sender',
  ),
};

export type SchedulesFrames = typeof schedulesFrames;
export type SchedulesOutbound = AnyFrameOf<SchedulesFrames>;
export type SchedulesData = { [K in keyof SchedulesFrames]: FrameOf<SchedulesFrames, K>['data'] };
