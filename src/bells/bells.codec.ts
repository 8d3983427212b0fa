import { Codec, coreWireCode } from '../realtime/codec';

/** The clock of the running app, for frame timestamps (set by the gateway). */
export const bellsTime = { now: (): number => Date.now() };

export const bellsFrame = (type: string, payload?: object) =>
  payload === undefined ? { type, timestamp: new Date(bellsTime.now()).toISOString() } : { type, timestamp: new Date(bellsTime.now()).toISOString(), payload };

/**
 * Seed 000: `{type, timestamp, payload}` both ways; errors are
 * `{type: "error", timestamp, payload: {code, message}}` with the core's wire
 * codes (INVALID_MESSAGE, RATE_LIMITED, UNAUTHENTICATED, FORBIDDEN, …).
 */
export const bellsCodec: Codec = {
  decode(frame) {
    return typeof frame.type === 'string' && frame.type ? { event: frame.type, data: frame.payload ?? {} } : null;
  },
  error(code, message, details) {
    return bellsFrame('error', { code: coreWireCode(code), message, ...details });
  },
};
