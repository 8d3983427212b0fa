import { CloseCode } from '../realtime/codec';
import { COMMON_CLOSE_CODES, COMMON_LIMITS, GatewayContract } from '../realtime/contract';
import { AnnouncementDto } from './dto/announcement.dto';
import { AuthMessageDto, CallTicketMessageDto, CounterStatusChangeMessageDto, PingMessageDto, RegisterClientDto, TicketCreatedMessageDto } from './dto/ws.dto';
import { queueFrames } from './queue.frames';

export const queueContract: GatewayContract = {
  name: 'queue',
  title: 'Counter queue',
  path: '/ws/queue',
  description:
    'Ticket kiosks, TV displays, counter officers and admins of a service hall. Frames are `{type, payload}` both ways. After `REGISTER_CLIENT` a client hears the frames of its client type; a TV gets the current QUEUE_UPDATE and COUNTER_STATUS_UPDATE of every counter right after CONNECTION_ACK.',
  auth: {
    sources: ['header', 'query', 'in-band'],
    required: true,
    who: 'A kiosk device registers as `kiosk`, a display device as `tv`, an officer as `officer` (for their counter), a leader or admin as `admin`; any other registration is FORBIDDEN and closes with 4403. Without a token at the upgrade, send `AUTH` within QUEUE_AUTH_TIMEOUT_MS (default 10 s) or the socket closes with 4408; before authentication every message but PING gets ERROR AUTH_FAILED.',
  },
  outbound: queueFrames,
  errorFrame: 'ERROR',
  inbound: {
    AUTH: {
      dto: AuthMessageDto,
      summary:
        'In-band authentication: `token` is "Bearer <jwt>" or "<jwt>"; `user_id`, `role`, `counter_id` are optional claims checked against the token (a mismatch is AUTH_FAILED and 4401). Success has no reply.',
      who: 'Anyone (before authentication)',
    },
    REGISTER_CLIENT: {
      dto: RegisterClientDto,
      summary:
        'Register as `kiosk`, `tv`, `officer` or `admin` with a stable `client_id`. A second socket with the same client_id (same principal) replaces the first, which closes with 4409. Registering again with the same client_id repeats the welcome.',
      replies: ['CONNECTION_ACK', 'QUEUE_UPDATE', 'COUNTER_STATUS_UPDATE'],
    },
    TICKET_CREATED: {
      dto: TicketCreatedMessageDto,
      summary:
        'Issue a ticket at a counter; the server numbers it. Sent again with the same `request_id` (a retry after a drop): no second ticket, nothing is broadcast; this socket alone gets TICKET_CREATED of the original ticket.',
      who: 'kiosk devices, leaders, admins',
      replies: ['TICKET_CREATED', 'QUEUE_UPDATE'],
    },
    CALL_TICKET: {
      dto: CallTicketMessageDto,
      summary: 'Call the next waiting ticket (or a given number). No waiting ticket: ERROR QUEUE_EMPTY; paused counter: COUNTER_PAUSED.',
      who: 'the counter’s officer, leaders, admins',
      replies: ['TICKET_ANNOUNCEMENT', 'QUEUE_UPDATE'],
    },
    COUNTER_STATUS_CHANGE: { dto: CounterStatusChangeMessageDto, summary: 'Open, pause or take a counter offline.', who: 'the counter’s officer, leaders, admins', replies: ['COUNTER_STATUS_UPDATE'] },
    ANNOUNCEMENT: { dto: AnnouncementDto, summary: 'Show a message on the listed TVs (all when the list is empty).', who: 'leaders, admins', replies: ['ANNOUNCEMENT'] },
    PING: { dto: PingMessageDto, summary: 'Liveness check, answered also before AUTH.', who: 'Anyone', replies: ['PONG'] },
  },
  inboundFrame: (name, body) => ({ type: 'object', properties: { type: { const: name }, payload: body ?? { type: 'object' } }, required: ['type'] }),
  closeCodes: [CloseCode.BAD_HANDSHAKE, CloseCode.UNAUTHENTICATED, CloseCode.FORBIDDEN, CloseCode.AUTH_TIMEOUT, CloseCode.REPLACED, ...COMMON_CLOSE_CODES],
  heartbeat: 'Send `PING {timestamp}` for an application-level round trip (`PONG` echoes it); WebSocket pings keep the socket alive in any case.',
  limits: [...COMMON_LIMITS, 'QUEUE_AUTH_TIMEOUT_MS (default 10 s) to authenticate when no token came with the upgrade.'],
};
