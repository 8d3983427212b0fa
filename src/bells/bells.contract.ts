import { CloseCode } from '../realtime/codec';
import { COMMON_CLOSE_CODES, COMMON_LIMITS, GatewayContract } from '../realtime/contract';
import { bellsFrames } from './bells.frames';
import { BellAckDto, BellsRegisterDto } from './dto/register.dto';

export const bellsContract: GatewayContract = {
  name: 'bells',
  title: 'Bells',
  path: '/ws/bells',
  description: 'School and office bells: players ring the sounds they are told to, admin panels watch the players and the log. Frames are `{type, timestamp, payload}` both ways.',
  auth: { sources: ['header', 'query'], required: true, who: 'Any user or device may connect as `client`; `client_type=admin` needs the admin role (else 4403).' },
  query: {
    client_type: { description: '`client` (default) or `admin`; anything else closes with 4400', schema: { type: 'string', enum: ['client', 'admin'], default: 'client' } },
    client_name: { description: 'A name shown to admins (plain text, at most 200 characters)', schema: { type: 'string', maxLength: 200 } },
  },
  outbound: bellsFrames,
  errorFrame: 'error',
  inbound: {
    register: { dto: BellsRegisterDto, summary: 'Set or change the client type, name and zone; each valid register gets exactly one acknowledgement.', replies: ['connection_acknowledged'] },
    bell_ack: { dto: BellAckDto, summary: 'A player reports a `bell_triggered` (by its `ringId`) as played or failed; no reply.', who: 'Players (client_type=client)' },
    heartbeat: { summary: 'Counts as activity; no reply.' },
  },
  inboundFrame: (name, body) => ({
    type: 'object',
    properties: { type: { const: name }, timestamp: { type: 'string' }, ...(body ? { payload: body } : {}) },
    required: body ? ['type', 'payload'] : ['type'],
  }),
  closeCodes: [CloseCode.BAD_HANDSHAKE, CloseCode.UNAUTHENTICATED, CloseCode.FORBIDDEN, ...COMMON_CLOSE_CODES],
  heartbeat: 'Send `heartbeat` when you like (no reply); WebSocket pings keep the socket alive in any case.',
  limits: COMMON_LIMITS,
};
