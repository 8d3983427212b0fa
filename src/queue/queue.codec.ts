import { Codec, CoreErrorCode } from '../realtime/codec';
import { QueueErrorCode } from './queue-error';
import { queueFrame, QueuePayloads } from './queue.frames';

/** Inbound message types of PROTOCOLS.md §9; anything else is routed to UNKNOWN_MESSAGE. */
export const QUEUE_MESSAGES = ['AUTH', 'REGISTER_CLIENT', 'TICKET_CREATED', 'CALL_TICKET', 'COUNTER_STATUS_CHANGE', 'ANNOUNCEMENT', 'PING'] as const;
export const UNKNOWN_MESSAGE = '__unknown__';

let now: () => number = Date.now;

/** The gateway hands its injected clock to the codec, so ERROR timestamps agree with server_time. */
export function setQueueCodecClock(clock: () => number): void {
  now = clock;
}

/** The queue's ERROR code for a core or domain code (exhaustive over both enums). */
export function queueErrorCode(code: string): QueueErrorCode {
  const known = code as CoreErrorCode | QueueErrorCode;
  switch (known) {
    case CoreErrorCode.UNAUTHENTICATED:
    case CoreErrorCode.AUTH_TIMEOUT:
    case QueueErrorCode.AUTH_FAILED:
      return QueueErrorCode.AUTH_FAILED;
    case CoreErrorCode.RATE_LIMITED:
    case CoreErrorCode.TOO_MANY_CONNECTIONS:
      return QueueErrorCode.RATE_LIMITED;
    case CoreErrorCode.FORBIDDEN:
      return QueueErrorCode.FORBIDDEN;
    case CoreErrorCode.INVALID_MESSAGE:
    case CoreErrorCode.BAD_HANDSHAKE:
    // The protocol has no server-error or generic not-found code: the message could not be carried out.
    case CoreErrorCode.NOT_FOUND:
    case CoreErrorCode.INTERNAL:
      return QueueErrorCode.INVALID_MESSAGE;
    case QueueErrorCode.INVALID_MESSAGE:
    case QueueErrorCode.COUNTER_NOT_FOUND:
    case QueueErrorCode.FORBIDDEN:
    case QueueErrorCode.QUEUE_EMPTY:
    case QueueErrorCode.COUNTER_PAUSED:
    case QueueErrorCode.TICKET_NOT_FOUND:
    case QueueErrorCode.RATE_LIMITED:
      return known;
    default: {
      // Codes of shared services the protocol does not list (CONFLICT): the message could not be carried out.
      const other: never = known;
      void other;
      return QueueErrorCode.INVALID_MESSAGE;
    }
  }
}

/** `{type, payload}` frames; errors are `{type: "ERROR", payload: {error_code, message, timestamp}}`. */
export const queueCodec: Codec = {
  decode(frame) {
    const type = frame.type;
    const data = frame.payload ?? {};
    if (typeof type === 'string' && (QUEUE_MESSAGES as readonly string[]).includes(type)) return { event: type, data };
    // Unknown types reach a handler too, so before AUTH they get AUTH_FAILED like any other message.
    return { event: UNKNOWN_MESSAGE, data: { type: typeof type === 'string' ? type.slice(0, 60) : null } };
  },
  error(code, message, details) {
    const payload: QueuePayloads['ERROR'] = { error_code: queueErrorCode(code), message, timestamp: new Date(now()).toISOString() };
    if (typeof details?.retry_after_ms === 'number') payload.retry_after_ms = details.retry_after_ms;
    return queueFrame('ERROR', payload);
  },
};
