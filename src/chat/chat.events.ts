import type { MessageType } from './entities/message.entity';

/** A message exactly as seed 003 puts it on the wire (and REST returns it). */
export interface ChatMessageView {
  id: string;
  conversation_id: string;
  /** Null only once the sender's account has been deleted. */
  sender_id: string | null;
  content: string;
  message_type: MessageType;
  created_at: string;
  is_edited: boolean;
  is_deleted: boolean;
}

/**
 * A message was sent, edited or deleted. The participants travel with it, so
 * the gateway picks its audience without asking the database.
 */
export interface ChatMessageEvent {
  message: ChatMessageView;
  participant_ids: string[];
}

declare module '../realtime/events' {
  interface RealtimeEvents {
    'chat.message_created': ChatMessageEvent;
    'chat.message_edited': ChatMessageEvent;
    'chat.message_deleted': ChatMessageEvent;
  }
}
