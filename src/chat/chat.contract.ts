import { CloseCode } from '../realtime/codec';
import { COMMON_CLOSE_CODES, COMMON_LIMITS, GatewayContract } from '../realtime/contract';
import { chatFrames } from './chat.frames';
import { SendMessageFrameDto } from './dto/message.dto';

export const chatContract: GatewayContract = {
  name: 'chat',
  title: 'Chat',
  path: '/ws/chat',
  description:
    'Conversations between users. Frames are bare JSON objects: a message carries `conversation_id`, a new notification carries `link`, the other notification frames and errors carry `event`. History, conversations and edits are REST (/api/chat/…).',
  auth: { sources: ['header', 'query'], required: true, who: 'Users of any role; devices are refused with 4403.' },
  outbound: chatFrames,
  errorFrame: 'error',
  inbound: {
    message: {
      dto: SendMessageFrameDto,
      summary:
        'Send a message. It is stored and sent to every open socket of every participant, this one included (that is how the sender learns `id` and `created_at`). Not a participant: FORBIDDEN; unknown conversation: NOT_FOUND; empty or too long: INVALID_MESSAGE. An `image` message must carry the URL of an image uploaded with POST /api/chat/uploads. Sent again with the same `client_message_id` (a retry after a drop): nothing new is stored or sent to anyone; this socket alone gets the original message.',
      replies: ['message'],
    },
  },
  inboundFrame: (_name, body) => body ?? { type: 'object' },
  closeCodes: [CloseCode.UNAUTHENTICATED, CloseCode.FORBIDDEN, ...COMMON_CLOSE_CODES],
  heartbeat: 'No application heartbeat: WebSocket pings keep the socket alive.',
  limits: [...COMMON_LIMITS, 'CHAT_MESSAGES_PER_MINUTE (default 100) messages a minute per socket; CHAT_MAX_MESSAGE_LENGTH (default 4000) characters a message.'],
};
