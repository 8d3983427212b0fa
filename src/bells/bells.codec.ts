import { Codec, coreWireCode } from '../realtime/codec';

/** A seed 000 frame stamped with the given instant (the app's injected clock). */
export const bellsFrame = (now: number, type: string, payload?: object) =>
  payload === undefined ? { type, timestamp: new Date(now).toISOString() } : { type, timestamp: new Date(now).toISOString(), payload };

/**
 * Seed 000: `{type, timestamp, payload}` both ways; errors are
 * `{type: "error", timestamp, payload: {code, message}}` with the core's wire
 * codes (INVALID_MESSAGE, RATE_LIMITED, UNAUTHENTICATED, FORBIDDEN, …).
 */
export const bellsCodec: Codec = {
  decode(frame) {
    return typeof frame.type === 'string' && frame.type ? { event: frame.type, data: frame.payload ?? {} } : null;
  },
  error(code, message, details, now) {
    return bellsFrame(now, 'error', { code: coreWireCode(code), message, ...details });
  },
};
