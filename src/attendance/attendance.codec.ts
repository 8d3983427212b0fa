import { Codec } from '../realtime/codec';

/** Seed 004: `{event, data}`; errors `{event: "error", data: {code, message}}`. */
export const attendanceCodec: Codec = {
  decode(frame) {
    return typeof frame.event === 'string' && frame.event ? { event: frame.event, data: frame.data ?? {} } : null;
  },
  error(code, message, details) {
    return { event: 'error', data: { code, message, ...details } };
  },
};
