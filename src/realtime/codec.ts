import { ErrorCode } from '../common/app-error';

/**
 * A gateway's wire protocol: how an inbound frame names its message, and what
 * the protocol's error frame looks like. Server events are shaped by the
 * gateway itself and encoded once per broadcast by the core.
 */
export interface Codec {
  /**
   * Turns a parsed JSON object into the `@SubscribeMessage` key and the body
   * handed to `@MessageBody()`; null when the frame names no message.
   */
  decode(frame: Record<string, unknown>): DecodedMessage | null;
  /**
   * The protocol's error frame for an error code. Each codec maps every code
   * with an exhaustive switch, so a new code fails to compile until the
   * protocol says how it looks on its wire. `now` is the app's injected clock
   * (epoch ms), for protocols whose frames carry a time.
   */
  error(code: ErrorCode, message: string, details: Record<string, unknown> | undefined, now: number): object;
}

export interface DecodedMessage {
  event: string;
  data: unknown;
}

/**
 * The wire codes of protocols that define none of their own (bells,
 * attendance): the realtime core's names, with every domain code folded into
 * the nearest of them.
 */
export function coreWireCode(code: ErrorCode): string {
  switch (code) {
    case ErrorCode.VALIDATION_FAILED:
    case ErrorCode.PAYLOAD_TOO_LARGE:
    case ErrorCode.UNSUPPORTED_MEDIA_TYPE:
      return 'INVALID_MESSAGE';
    case ErrorCode.FORBIDDEN:
    case ErrorCode.EVENTS_NOT_ALLOWED:
      return 'FORBIDDEN';
    case ErrorCode.NOT_FOUND:
    case ErrorCode.COUNTER_NOT_FOUND:
    case ErrorCode.TICKET_NOT_FOUND:
      return 'NOT_FOUND';
    case ErrorCode.CONFLICT:
    case ErrorCode.QUEUE_EMPTY:
    case ErrorCode.COUNTER_PAUSED:
      return 'CONFLICT';
    case ErrorCode.UNAVAILABLE:
    case ErrorCode.INTERNAL:
      return 'INTERNAL';
    case ErrorCode.UNAUTHENTICATED:
    case ErrorCode.RATE_LIMITED:
    case ErrorCode.TOO_MANY_CONNECTIONS:
    case ErrorCode.AUTH_TIMEOUT:
    case ErrorCode.BAD_HANDSHAKE:
      return code;
    default: {
      const unmapped: never = code;
      throw new Error(`unmapped error code ${String(unmapped)}`);
    }
  }
}

/** Close codes of the contract. */
export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  TOO_LARGE: 1009,
  INTERNAL: 1011,
  TRY_AGAIN_LATER: 1013,
  BAD_HANDSHAKE: 4400,
  UNAUTHENTICATED: 4401,
  FORBIDDEN: 4403,
  NOT_FOUND: 4404,
  AUTH_TIMEOUT: 4408,
  REPLACED: 4409,
  RATE_LIMITED: 4429,
} as const;
