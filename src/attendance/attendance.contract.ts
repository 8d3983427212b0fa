import { CloseCode } from '../realtime/codec';
import { COMMON_CLOSE_CODES, COMMON_LIMITS, GatewayContract } from '../realtime/contract';
import { attendanceFrames } from './attendance.frames';

export const attendanceContract: GatewayContract = {
  name: 'attendance',
  title: 'Attendance',
  path: '/ws/attendance',
  description: 'A read-only stream of visitor (client), visit, employee and attendance-record changes for the back office. Frames are `{event, data}`.',
  auth: { sources: ['header', 'query'], required: true, who: 'Users with role admin or manager; others get the error frame and 4403.' },
  outbound: attendanceFrames,
  errorFrame: 'error',
  inbound: { ping: { summary: '`{event: "ping"}` is answered `{event: "pong"}`; any other frame is INVALID_MESSAGE.', replies: ['pong'] } },
  inboundFrame: (name) => ({ type: 'object', properties: { event: { const: name } }, required: ['event'] }),
  closeCodes: [CloseCode.UNAUTHENTICATED, CloseCode.FORBIDDEN, ...COMMON_CLOSE_CODES],
  heartbeat: 'Send `{event: "ping"}` for a round trip; WebSocket pings keep the socket alive in any case.',
  limits: COMMON_LIMITS,
};
