import { ErrorCode } from '../common/app-error';
import { Codec } from '../realtime/codec';
import type { SchedulesData } from './schedules.frames';

/** Every frame of seed 001: `{type, action, data, timestamp, user_id}`. */
export interface SchedulesFrame {
  type: string;
  action: string;
  data: Record<string, unknown>;
  timestamp: string;
  user_id: string | null;
}

/**
 * Seed 001's wire protocol. Inbound `{type, action, data}` becomes the
 * handler key `type/action`; the seed's `{type: "ping", timestamp}` carries
 * no action and becomes `ping`. Error frames are `{type: "error", action, data: {code, message, …}}`.
 */
export class SchedulesCodec implements Codec {
  decode(frame: Record<string, unknown>): { event: string; data: unknown } | null {
    const { type, action } = frame;
    if (typeof type !== 'string' || !type) return null;
    if (type === 'ping') {
      const data = isObject(frame.data) ? frame.data : {};
      return { event: 'ping', data: { timestamp: frame.timestamp ?? data.timestamp } };
    }
    if (typeof action !== 'string' || !action) return null;
    return { event: `${type}/${action}`, data: frame.data ?? {} };
  }

  /** `now` is the app's injected clock, handed over by the core, so error frames carry the same time as every other frame. */
  error(code: ErrorCode, message: string, details: Record<string, unknown> = {}, now: number): SchedulesFrame {
    const frame: ErrorFrame = (action, data) => ({
      type: 'error',
      action,
      data,
      timestamp: new Date(now).toISOString(),
      user_id: null,
    });
    switch (code) {
      case ErrorCode.UNAUTHENTICATED: {
        const expired = details.reason === 'expired';
        return frame('connection_error', { code: 'INVALID_TOKEN', message, details: { token_expired: expired, refresh_required: expired } });
      }
      case ErrorCode.TOO_MANY_CONNECTIONS:
      case ErrorCode.AUTH_TIMEOUT:
      case ErrorCode.BAD_HANDSHAKE:
        return frame('connection_error', { code, message });
      case ErrorCode.RATE_LIMITED:
        return frame('rate_limited', { code, message, retry_after_ms: typeof details.retry_after_ms === 'number' ? details.retry_after_ms : 0 });
      case ErrorCode.FORBIDDEN:
        return frame('message_error', { code: 'PERMISSION_DENIED', message });
      case ErrorCode.EVENTS_NOT_ALLOWED:
        return frame('subscription_error', {
          code: 'PERMISSION_DENIED',
          message,
          requested_events: (details.requested_events ?? []) as string[],
          allowed_events: (details.allowed_events ?? []) as SchedulesData['error/subscription_error']['allowed_events'],
        });
      case ErrorCode.VALIDATION_FAILED:
      case ErrorCode.PAYLOAD_TOO_LARGE:
      case ErrorCode.UNSUPPORTED_MEDIA_TYPE:
        return frame('message_error', { code: 'INVALID_MESSAGE', message, ...(Array.isArray(details.errors) ? { errors: details.errors } : {}) });
      case ErrorCode.NOT_FOUND:
      case ErrorCode.COUNTER_NOT_FOUND:
      case ErrorCode.TICKET_NOT_FOUND:
        return frame('message_error', { code: 'NOT_FOUND', message });
      case ErrorCode.INTERNAL:
      case ErrorCode.UNAVAILABLE:
        return frame('message_error', { code: 'INTERNAL', message });
      case ErrorCode.CONFLICT:
      case ErrorCode.QUEUE_EMPTY:
      case ErrorCode.COUNTER_PAUSED:
        return frame('message_error', { code: 'CONFLICT', message, ...(Array.isArray(details.errors) ? { errors: details.errors } : {}) });
      default: {
        const unmapped: never = code;
        throw new Error(`unmapped error code ${String(unmapped)}`);
      }
    }
  }
}

type ErrorAction = 'connection_error' | 'subscription_error' | 'message_error' | 'rate_limited';
/** Error frames of schedules.frames.ts: `data` must match the schema of `error/<action>`. */
type ErrorFrame = <A extends ErrorAction>(action: A, data: SchedulesData[`error/${A}`]) => SchedulesFrame;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Stateless: the time of an error frame comes from the core with each call. */
export const schedulesCodec = new SchedulesCodec();
