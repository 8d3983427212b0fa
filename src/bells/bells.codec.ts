import { Codec, coreWireCode } from '../realtime/codec';
import type { BellsFrame, BellsPayloads } from './bells.frames';

/** The clock of the running app, for frame timestamps (set by the gateway). */
export const bellsTime = { now: (): number => Date.now() };

/** A frame of bells.frames.ts: the payload must match its type's schema (frames without a payload take none). */
export function bellsFrame<K extends keyof BellsPayloads>(type: K, ...payload: BellsPayloads[K] extends undefined ? [] : [BellsPayloads[K]]): BellsFrame {
  const timestamp = new Date(bellsTime.now()).toISOString();
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
  error(code, message, details) {
    return bellsFrame('error', { code: coreWireCode(code), message, ...details });
  },
};
