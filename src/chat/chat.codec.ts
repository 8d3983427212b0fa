import { Codec, CoreErrorCode } from '../realtime/codec';

/** Seed 003's error frame, shared by /ws/chat and the check-in dashboard. */
export interface Seed003ErrorFrame {
  event: 'error';
  code: string;
  message: string;
  retry_after_ms?: number;
  reason?: string;
  errors?: unknown;
}

const CORE_CODES = new Set<string>(Object.values(CoreErrorCode));

/**
 * `{event: "error", code, message}`. Core codes become the codes seed 003's
 * clients know (an unusable token is `UNAUTHORIZED`, like the HTTP 401 the
 * same clients get from REST); domain codes pass through. A few optional
 * fields help clients without changing the documented ones.
 */
export function seed003Error(code: string, message: string, details: Record<string, unknown> = {}): Seed003ErrorFrame {
  const frame: Seed003ErrorFrame = { event: 'error', code: CORE_CODES.has(code) ? wireCode(code as CoreErrorCode) : code, message };
  if (typeof details.retry_after_ms === 'number') frame.retry_after_ms = details.retry_after_ms;
  if (typeof details.reason === 'string') frame.reason = details.reason;
  if (Array.isArray(details.errors)) frame.errors = details.errors;
  return frame;
}

function wireCode(code: CoreErrorCode): string {
  switch (code) {
    case CoreErrorCode.UNAUTHENTICATED:
      return 'UNAUTHORIZED';
    case CoreErrorCode.INTERNAL:
      return 'INTERNAL_ERROR';
    case CoreErrorCode.INVALID_MESSAGE:
    case CoreErrorCode.RATE_LIMITED:
    case CoreErrorCode.FORBIDDEN:
    case CoreErrorCode.NOT_FOUND:
    case CoreErrorCode.TOO_MANY_CONNECTIONS:
    case CoreErrorCode.AUTH_TIMEOUT:
    case CoreErrorCode.BAD_HANDSHAKE:
      return code;
    default: {
      const unmapped: never = code;
      return String(unmapped);
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
