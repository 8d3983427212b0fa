import type { AttendanceFrames } from '../../../src/attendance/attendance.frames';
import type { BellsFrames } from '../../../src/bells/bells.frames';
import type { BellAckDto, BellsRegisterDto } from '../../../src/bells/dto/register.dto';
import type { ChatFrames } from '../../../src/chat/chat.frames';
import type { SendMessageFrameDto } from '../../../src/chat/dto/message.dto';
import type { DashboardFrames } from '../../../src/checkin/dashboard.frames';
import type { AnnouncementDto } from '../../../src/queue/dto/announcement.dto';
import type { AuthMessageDto, CallTicketMessageDto, CounterStatusChangeMessageDto, RegisterClientDto, TicketCreatedMessageDto } from '../../../src/queue/dto/ws.dto';
import type { QueueFrames } from '../../../src/queue/queue.frames';
import type { FrameOf, OutboundFrames } from '../../../src/realtime/frames';
import type { SubscribeDto, TypingDto, UnsubscribeDto } from '../../../src/schedules/dto/messages.dto';
import type { SchedulesFrames } from '../../../src/schedules/schedules.frames';
import { Connector, ConnectorOptions } from './connector';

/** Frame name → frame type, straight from the server's frame schemas. */
export type FrameMap<F extends OutboundFrames> = { [K in keyof F & string]: FrameOf<F, K> };
/** The fields of a DTO class as a plain object type. */
type Plain<T> = { [K in keyof T]: T[K] };

type Obj = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : String(v ?? ''));
const now = () => new Date().toISOString();

// ── bells ────────────────────────────────────────────────────────────────

export type BellsMessages = FrameMap<BellsFrames>;
export type BellsInbound =
  { type: 'register'; timestamp?: string; payload: Plain<BellsRegisterDto> } | { type: 'bell_ack'; timestamp?: string; payload: Plain<BellAckDto> } | { type: 'heartbeat'; timestamp?: string };
export type BellsConnector = Connector<BellsMessages, BellsInbound>;

/** /ws/bells: a player (`client`, default) or an admin panel. */
export function connectBells(options: ConnectorOptions & { clientType?: 'client' | 'admin'; clientName?: string }): BellsConnector {
  return new Connector<BellsMessages, BellsInbound>(
    {
      path: '/ws/bells',
      query: { client_type: options.clientType, client_name: options.clientName },
      kindOf: (f) => str(f.type) as keyof BellsMessages,
      heartbeat: { message: () => ({ type: 'heartbeat', timestamp: now() }), answered: false },
      errorOf: (f) => (f.type === 'error' ? { code: str((f.payload as Obj)?.code), message: str((f.payload as Obj)?.message) } : null),
    },
    options,
  );
}

// ── queue ────────────────────────────────────────────────────────────────

export type QueueMessages = FrameMap<QueueFrames>;
export type QueueInbound =
  | { type: 'AUTH'; payload: Plain<AuthMessageDto> }
  | { type: 'REGISTER_CLIENT'; payload: Plain<RegisterClientDto> }
  | { type: 'TICKET_CREATED'; payload: Plain<TicketCreatedMessageDto> }
  | { type: 'CALL_TICKET'; payload: Plain<CallTicketMessageDto> }
  | { type: 'COUNTER_STATUS_CHANGE'; payload: Plain<CounterStatusChangeMessageDto> }
  | { type: 'ANNOUNCEMENT'; payload: Plain<AnnouncementDto> }
  | { type: 'PING'; payload: { timestamp?: string | number } };
export type QueueConnector = Connector<QueueMessages, QueueInbound>;

/**
 * /ws/queue. With `register`, REGISTER_CLIENT is sent after every (re)connect,
 * so the server's welcome snapshot (CONNECTION_ACK, then every counter's
 * QUEUE_UPDATE and COUNTER_STATUS_UPDATE) brings a display up to date.
 */
export function connectQueue(options: ConnectorOptions & { register?: Plain<RegisterClientDto> }): QueueConnector {
  const c = new Connector<QueueMessages, QueueInbound>(
    {
      path: '/ws/queue',
      kindOf: (f) => str(f.type) as keyof QueueMessages,
      heartbeat: { message: () => ({ type: 'PING', payload: { timestamp: now() } }), answered: true },
      errorOf: (f) => (f.type === 'ERROR' ? { code: str((f.payload as Obj)?.error_code), message: str((f.payload as Obj)?.message) } : null),
    },
    options,
  );
  const register = options.register;
  if (register) c.onOpen(() => c.send({ type: 'REGISTER_CLIENT', payload: register }));
  return c;
}

// ── schedules ────────────────────────────────────────────────────────────

export type SchedulesMessages = FrameMap<SchedulesFrames>;
export type SchedulesInbound =
  | { type: 'subscription'; action: 'subscribe'; data: Plain<SubscribeDto> }
  | { type: 'subscription'; action: 'unsubscribe'; data: Plain<UnsubscribeDto> }
  | { type: 'presence'; action: 'typing'; data: Plain<TypingDto> }
  | { type: 'ping'; timestamp?: string | number };
export type SchedulesConnector = Connector<SchedulesMessages, SchedulesInbound>;

/** /ws/schedules; frames are named `type/action`. With `subscribe`, it is sent again after every reconnect. */
export function connectSchedules(options: ConnectorOptions & { subscribe?: Plain<SubscribeDto> }): SchedulesConnector {
  const c = new Connector<SchedulesMessages, SchedulesInbound>(
    {
      path: '/ws/schedules',
      kindOf: (f) => `${str(f.type)}/${str(f.action)}` as keyof SchedulesMessages,
      heartbeat: { message: () => ({ type: 'ping', timestamp: now() }), answered: true },
      errorOf: (f) => (f.type === 'error' ? { code: str((f.data as Obj)?.code), message: str((f.data as Obj)?.message) } : null),
    },
    options,
  );
  const subscribe = options.subscribe;
  if (subscribe) c.onOpen(() => c.send({ type: 'subscription', action: 'subscribe', data: subscribe }));
  return c;
}

// ── chat ─────────────────────────────────────────────────────────────────

export type ChatMessages = FrameMap<ChatFrames>;
export type ChatInbound = Plain<SendMessageFrameDto>;
export type ChatConnector = Connector<ChatMessages, ChatInbound>;

/** Bare frames, named here: `message` (has conversation_id), `notification` (has link), `read`, `read_all`, `deleted`, `error`. */
export function chatKindOf(f: Obj): keyof ChatMessages {
  if ('conversation_id' in f) return 'message';
  if (typeof f.event === 'string') return f.event as keyof ChatMessages;
  return 'notification';
}

const seed003Error = (f: Obj) => (f.event === 'error' ? { code: str(f.code), message: str(f.message) } : null);

/** /ws/chat (users only). */
export function connectChat(options: ConnectorOptions): ChatConnector {
  return new Connector<ChatMessages, ChatInbound>({ path: '/ws/chat', kindOf: chatKindOf, errorOf: seed003Error }, options);
}

// ── check-in dashboard ───────────────────────────────────────────────────

export type DashboardMessages = FrameMap<DashboardFrames>;
export type DashboardConnector = Connector<DashboardMessages, never>;

/** /ws/dashboard/:sessionId, read-only; no token needed for a public session. */
export function connectDashboard(options: ConnectorOptions & { sessionId: string }): DashboardConnector {
  return new Connector<DashboardMessages, never>(
    { path: `/ws/dashboard/${encodeURIComponent(options.sessionId)}`, kindOf: (f) => (f.event === 'error' ? 'error' : 'checkin'), errorOf: seed003Error },
    options,
  );
}

// ── attendance ───────────────────────────────────────────────────────────

export type AttendanceMessages = FrameMap<AttendanceFrames>;
export type AttendanceInbound = { event: 'ping' };
export type AttendanceConnector = Connector<AttendanceMessages, AttendanceInbound>;

/** /ws/attendance (admins and managers), read-only apart from ping. */
export function connectAttendance(options: ConnectorOptions): AttendanceConnector {
  return new Connector<AttendanceMessages, AttendanceInbound>(
    {
      path: '/ws/attendance',
      kindOf: (f) => str(f.event) as keyof AttendanceMessages,
      heartbeat: { message: () => ({ event: 'ping' }), answered: true },
      errorOf: (f) => (f.event === 'error' ? { code: str((f.data as Obj)?.code), message: str((f.data as Obj)?.message) } : null),
    },
    options,
  );
}
