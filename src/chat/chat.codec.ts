import type { Static } from '@sinclair/typebox';
import { ErrorCode } from '../common/app-error';
import { Codec, coreWireCode } from '../realtime/codec';
import type { Seed003Error } from './chat.frames';

/** Seed 003's error frame, shared by /ws/chat and the check-in dashboard. */
export type Seed003ErrorFrame = Static<typeof Seed003Error>;

/**
 * `{event: "error", code, message}` with the codes seed 003's clients know
 * (an unusable token is `UNAUTHORIZED`, like the HTTP 401 the same clients
 * get from REST). A few optional fields help clients without changing the
 * documented ones.
 */
export function seed003Error(code: ErrorCode, message: string, details: Record<string, unknown> = {}): Seed003ErrorFrame {
  const frame: Seed003ErrorFrame = { event: 'error', code: wireCode(code), message };
  if (typeof details.retry_after_ms === 'number') frame.retry_after_ms = details.retry_after_ms;
  if (typeof details.reason === 'string') frame.reason = details.reason;
  if (Array.isArray(details.errors)) frame.errors = details.errors;
  return frame;
}

function wireCode(code: ErrorCode): string {
  switch (code) {
    case ErrorCode.UNAUTHENTICATED:
      return 'UNAUTHORIZED';
    case ErrorCode.INTERNAL:
    case ErrorCode.UNAVAILABLE:
      return 'INTERNAL_ERROR';
    case ErrorCode.VALIDATION_FAILED:
    case ErrorCode.PAYLOAD_TOO_LARGE:
    case ErrorCode.UNSUPPORTED_MEDIA_TYPE:
    case ErrorCode.FORBIDDEN:
    case ErrorCode.EVENTS_NOT_ALLOWED:
    case ErrorCode.NOT_FOUND:
    case ErrorCode.COUNTER_NOT_FOUND:
    case ErrorCode.TICKET_NOT_FOUND:
    case ErrorCode.CONFLICT:
    case ErrorCode.QUEUE_EMPTY:
    case ErrorCode.COUNTER_PAUSED:
    case ErrorCode.RATE_LIMITED:
    case ErrorCode.TOO_MANY_CONNECTIONS:
    case ErrorCode.AUTH_TIMEOUT:
    case ErrorCode.BAD_HANDSHAKE:
      return coreWireCode(code);
    default: {
      const unmapped: never = code;
      throw new Error(`unmapped error code ${String(unmapped)}`);
    }
  }
}

/**
 * /ws/chat: the seed's only inbound frame is a bare message `{conversation_id,
 * content, type?}`, so an object carrying `conversation_id` is a message —
 * unless it says `event: "typing"` (an added frame no seed client sends);
 * anything else is INVALID_MESSAGE.
 */
export const chatCodec: Codec = {
  decode(frame) {
    if (frame.event === 'typing') return { event: 'typing', data: frame };
    return 'conversation_id' in frame ? { event: 'message', data: frame } : null;
  },
  error: seed003Error,
};
