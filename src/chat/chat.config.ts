import { configSection } from '../config/config-section';

export class ChatConfig extends configSection({
  CHAT_MAX_MESSAGE_LENGTH: { kind: 'int', default: '4000', min: 1, doc: 'Longest chat message, in characters; longer: INVALID_MESSAGE on /ws/chat, 400 over REST.' },
  CHAT_MESSAGES_PER_MINUTE: { kind: 'int', default: '100', min: 1, doc: 'Inbound messages per /ws/chat socket per minute; over: RATE_LIMITED, twice over: close 4429.' },
  CHAT_MAX_PARTICIPANTS: { kind: 'int', default: '500', min: 2, doc: 'Most participants one conversation may have.' },
  CHAT_HISTORY_MAX_LIMIT: { kind: 'int', default: '100', min: 1, doc: 'Largest page of message history (`limit` of GET /api/chat/conversations/:id/messages).' },
  CHAT_MAX_UPLOAD_BYTES: { kind: 'int', default: '10485760', min: 1024, doc: 'Largest image upload (POST /api/chat/uploads); over: 413.' },
}) {}
