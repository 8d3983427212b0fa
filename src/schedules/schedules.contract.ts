import { CloseCode } from '../realtime/codec';
import { COMMON_CLOSE_CODES, COMMON_LIMITS, GatewayContract } from '../realtime/contract';
import { SubscribeDto, TypingDto, UnsubscribeDto } from './dto/messages.dto';
import { schedulesFrames } from './schedules.frames';

export const schedulesContract: GatewayContract = {
  name: 'schedules',
  title: 'Employee schedules',
  path: '/ws/schedules',
  description:
    'Shift schedules, notifications, employee status, presence and system messages. Frames are `{type, action, data, timestamp, user_id}` (outbound frames are named `type/action` here). Until it subscribes a socket gets only `system` and `error` frames.',
  auth: {
    sources: ['header', 'query'],
    required: true,
    who: 'Any user. Admins and managers may subscribe to every event type with any filter; employees to schedule, notification, presence and system, their schedule and notification streams limited to their own employee record; other roles to notification (own) and system.',
  },
  outbound: schedulesFrames,
  errorFrame: 'error/message_error',
  inbound: {
    'subscription/subscribe': {
      dto: SubscribeDto,
      summary:
        'Subscribe to event types, optionally filtered. Asking for an event the principal may not have changes nothing and answers `error/subscription_error`. At most SCHEDULES_SUBSCRIPTIONS_PER_MINUTE (default 10) a minute.',
      replies: ['subscription/subscribed', 'error/subscription_error'],
    },
    'subscription/unsubscribe': { dto: UnsubscribeDto, summary: 'Stop event types.', replies: ['subscription/unsubscribed'] },
    ping: { summary: '`{type: "ping", timestamp?}` (no action): answered with `pong/pong` echoing the timestamp.', replies: ['pong/pong'] },
    'presence/typing': { dto: TypingDto, summary: 'Relayed as `presence/typing` to presence subscribers (not back to the typist).', who: 'Users whose role may use presence' },
  },
  inboundFrame: (name, body) => {
    if (name === 'ping') return { type: 'object', properties: { type: { const: 'ping' }, timestamp: { type: ['string', 'number'] } }, required: ['type'] };
    const [type, action] = name.split('/');
    return { type: 'object', properties: { type: { const: type }, action: { const: action }, data: body ?? { type: 'object' } }, required: ['type', 'action', 'data'] };
  },
  closeCodes: [CloseCode.NORMAL, CloseCode.UNAUTHENTICATED, ...COMMON_CLOSE_CODES],
  heartbeat: 'Send `ping` now and then: a socket with no message or pong for SCHEDULES_IDLE_TIMEOUT_MS (default 5 minutes) is closed with 1000.',
  limits: [
    ...COMMON_LIMITS,
    'At most SCHEDULES_MAX_CONNECTIONS_PER_USER (default 3) open sockets per user and SCHEDULES_CONNECTIONS_PER_MINUTE_PER_IP (default 5) new sockets a minute per address: `error/connection_error` TOO_MANY_CONNECTIONS, then 4429.',
    'SCHEDULES_MESSAGES_PER_MINUTE (default 100) messages a minute per socket.',
  ],
};
