import { CloseCode } from '../realtime/codec';
import { COMMON_CLOSE_CODES, COMMON_LIMITS, GatewayContract } from '../realtime/contract';
import { dashboardFrames } from './dashboard.frames';

export const dashboardContract: GatewayContract = {
  name: 'dashboard',
  title: 'Check-in dashboard',
  path: '/ws/dashboard/{sessionId}',
  description: 'A live list of check-ins at one event session. Read-only: every frame sent to it is answered INVALID_MESSAGE. Frames are bare JSON objects.',
  auth: {
    sources: ['header', 'query'],
    required: false,
    who: 'A public session (the default) needs no token. A session with `dashboard_public: false` needs its host’s or an admin’s token (none: 4401; another user: 4403). Made private while watched, other watchers are closed with 4403.',
  },
  pathParams: { sessionId: { description: 'The event session id; unknown or malformed closes with 4404', schema: { type: 'string', format: 'uuid' }, required: true } },
  outbound: dashboardFrames,
  errorFrame: 'error',
  inbound: {},
  inboundFrame: (_name, body) => body ?? { type: 'object' },
  closeCodes: [CloseCode.UNAUTHENTICATED, CloseCode.FORBIDDEN, CloseCode.NOT_FOUND, 1011, ...COMMON_CLOSE_CODES],
  heartbeat: 'No application heartbeat: WebSocket pings keep the socket alive.',
  limits: COMMON_LIMITS,
};
