import { Codec, coreWireCode } from '../realtime/codec';
import type { BellsFrame, BellsPayloads } from './bells.frames';

/** A seed 000 frame stamped with the given instant (the app's injected clock). */
export function bellsFrame<K extends keyof BellsPayloads>(now: number, type: K, ...payload: BellsPayloads[K] extends undefined ? [] : [BellsPayloads[K]]): BellsFrame {
  const timestamp = new Date(now).toISOString();
  return (payload.length ? { type, timestamp, payload: payload[0] } : { type, timestamp }) as BellsFrame;
}

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
