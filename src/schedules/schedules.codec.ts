import { Clock } from '../common/clock';
import { Codec, CoreErrorCode } from '../realtime/codec';

/** Domain error codes of the schedules protocol (beside the core's). */
export enum SchedulesErrorCode {
  PERMISSION_DENIED = 'PERMISSION_DENIED',
}

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
  /** The app's clock, so error frames carry the same time as every other frame. */
  constructor(private readonly clock: Clock) {}

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

  error(code: string, message: string, details: Record<string, unknown> = {}): SchedulesFrame {
    const frame = (action: string, data: Record<string, unknown>): SchedulesFrame => ({
      type: 'error',
      action,
      data,
      timestamp: this.clock.date().toISOString(),
      user_id: null,
    });
    if (isCoreCode(code)) return this.coreError(code, message, details, frame);
    if (code === SchedulesErrorCode.PERMISSION_DENIED) {
      return frame('subscription_error', { code, message, requested_events: details.requested_events ?? [], allowed_events: details.allowed_events ?? [] });
    }
    // Other domain codes (CONFLICT from a service, say) pass through.
    return frame('message_error', { code, message, ...details });
  }

  private coreError(code: CoreErrorCode, message: string, details: Record<string, unknown>, frame: (action: string, data: Record<string, unknown>) => SchedulesFrame): SchedulesFrame {
    switch (code) {
      case CoreErrorCode.UNAUTHENTICATED: {
        const expired = details.reason === 'expired';
        return frame('connection_error', { code: 'INVALID_TOKEN', message, details: { token_expired: expired, refresh_required: expired } });
      }
      case CoreErrorCode.TOO_MANY_CONNECTIONS:
        return frame('connection_error', { code: 'TOO_MANY_CONNECTIONS', message });
      case CoreErrorCode.AUTH_TIMEOUT:
      case CoreErrorCode.BAD_HANDSHAKE:
        return frame('connection_error', { code, message });
      case CoreErrorCode.RATE_LIMITED:
        return frame('rate_limited', { code: 'RATE_LIMITED', message, retry_after_ms: details.retry_after_ms ?? 0 });
      case CoreErrorCode.FORBIDDEN:
        return frame('message_error', { code: 'PERMISSION_DENIED', message });
      case CoreErrorCode.INVALID_MESSAGE:
        return frame('message_error', { code, message, ...(details.errors ? { errors: details.errors } : {}) });
      case CoreErrorCode.NOT_FOUND:
      case CoreErrorCode.INTERNAL:
        return frame('message_error', { code, message });
      default: {
        const unmapped: never = code;
        return frame('message_error', { code: String(unmapped), message });
      }
    }
  }
}

const CORE_CODES = new Set<string>(Object.values(CoreErrorCode));
function isCoreCode(code: string): code is CoreErrorCode {
  return CORE_CODES.has(code);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
