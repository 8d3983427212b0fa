import { Codec, coreWireCode } from '../realtime/codec';
import type { AttendanceData, AttendanceFrame } from './attendance.frames';

/**
 * Seed 004 frames: `{event, data}`. Errors are `{event: "error", data: {code,
 * message, ...details}}`; the seed defines no codes of its own, so they are
 * the core's wire codes.
 */
export const attendanceCodec: Codec = {
  decode(frame) {
    return typeof frame.event === 'string' ? { event: frame.event, data: frame.data ?? {} } : null;
  },
  error(code, message, details) {
    const data: AttendanceData['error'] = { code: coreWireCode(code), message, ...details };
    return { event: 'error', data } satisfies AttendanceFrame;
  },
};
