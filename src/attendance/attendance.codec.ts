import { Codec, CoreErrorCode } from '../realtime/codec';
import type { AttendanceData, AttendanceFrame } from './attendance.frames';

const CORE_CODES = new Set<string>(Object.values(CoreErrorCode));

/**
 * The seed defines no error codes of its own, so the core's names are the
 * wire codes. Exhaustive: a new core code fails to compile until it is mapped.
 */
function wireCode(code: CoreErrorCode): string {
  switch (code) {
    case CoreErrorCode.INVALID_MESSAGE:
    case CoreErrorCode.RATE_LIMITED:
    case CoreErrorCode.UNAUTHENTICATED:
    case CoreErrorCode.FORBIDDEN:
    case CoreErrorCode.TOO_MANY_CONNECTIONS:
    case CoreErrorCode.AUTH_TIMEOUT:
    case CoreErrorCode.NOT_FOUND:
    case CoreErrorCode.BAD_HANDSHAKE:
    case CoreErrorCode.INTERNAL:
      return code;
    default: {
      const unmapped: never = code;
      return String(unmapped);
    }
  }
}

/**
 * Seed 004 frames: `{event, data}`. Errors are `{event: "error", data: {code,
 * message, ...details}}` (PROTOCOLS.md §8); domain codes pass through.
 */
export const attendanceCodec: Codec = {
  decode(frame) {
    return typeof frame.event === 'string' ? { event: frame.event, data: frame.data ?? {} } : null;
  },
  error(code, message, details) {
    const data: AttendanceData['error'] = { code: CORE_CODES.has(code) ? wireCode(code as CoreErrorCode) : code, message, ...details };
    return { event: 'error', data } satisfies AttendanceFrame;
  },
};
