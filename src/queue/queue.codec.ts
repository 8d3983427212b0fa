import { ErrorCode } from '../common/app-error';
import { Codec } from '../realtime/codec';
import { queueFrame, QueuePayloads } from './queue.frames';

/** Inbound message types of docs/protocols/queue.md; anything else is routed to UNKNOWN_MESSAGE. */
export const QUEUE_MESSAGES = ['AUTH', 'REGISTER_CLIENT', 'TICKET_CREATED', 'CALL_TICKET', 'COUNTER_STATUS_CHANGE', 'ANNOUNCEMENT', 'PING'] as const;
export const UNKNOWN_MESSAGE = '__unknown__';

/** The ERROR codes of the queue protocol. */
export type QueueWireCode = 'AUTH_FAILED' | 'INVALID_MESSAGE' | 'COUNTER_NOT_FOUND' | 'FORBIDDEN' | 'QUEUE_EMPTY' | 'COUNTER_PAUSED' | 'TICKET_NOT_FOUND' | 'RATE_LIMITED';

/** The queue's ERROR code for an error code; REST refusals of queue routes carry it too, as `details.queue_error`. */
export function queueErrorCode(code: ErrorCode): QueueWireCode {
  switch (code) {
    case ErrorCode.UNAUTHENTICATED:
    case ErrorCode.AUTH_TIMEOUT:
      return 'AUTH_FAILED';
    case ErrorCode.RATE_LIMITED:
    case ErrorCode.TOO_MANY_CONNECTIONS:
      return 'RATE_LIMITED';
    case ErrorCode.FORBIDDEN:
    case ErrorCode.EVENTS_NOT_ALLOWED:
      return 'FORBIDDEN';
    case ErrorCode.COUNTER_NOT_FOUND:
    case ErrorCode.TICKET_NOT_FOUND:
    case ErrorCode.QUEUE_EMPTY:
    case ErrorCode.COUNTER_PAUSED:
      return code;
    // The protocol has no server-error, conflict or generic not-found code: the message could not be carried out.
    case ErrorCode.VALIDATION_FAILED:
    case ErrorCode.PAYLOAD_TOO_LARGE:
    case ErrorCode.UNSUPPORTED_MEDIA_TYPE:
    case ErrorCode.BAD_HANDSHAKE:
    case ErrorCode.NOT_FOUND:
    case ErrorCode.CONFLICT:
    case ErrorCode.UNAVAILABLE:
    case ErrorCode.INTERNAL:
      return 'INVALID_MESSAGE';
    default: {
      const unmapped: never = code;
      throw new Error(`unmapped error code ${String(unmapped)}`);
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
  // `now` is the app's injected clock (passed by the core), so ERROR timestamps agree with server_time.
  error(code, message, details, now) {
    const payload: QueuePayloads['ERROR'] = { error_code: queueErrorCode(code), message, timestamp: new Date(now).toISOString() };
    if (typeof details?.retry_after_ms === 'number') payload.retry_after_ms = details.retry_after_ms;
    return queueFrame('ERROR', payload);
  },
};
