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
 * The sync fields of a message: its number in the conversation, the number
 * of its latest change, and who deleted it. REST always carries them; the
 * socket only to clients that asked (`?sync=1`), so seed clients see the
 * seed's frames byte for byte.
 */
export interface ChatSyncFields {
  seq: number;
  change_seq: number;
  deleted_by: string | null;
}

export type ChatSyncedMessage = ChatMessageView & ChatSyncFields;

/**
 * A message was sent, edited or deleted. The participants travel with it, so
 * the gateway picks its audience without asking the database.
 */
export interface ChatMessageEvent {
  message: ChatMessageView;
  sync: ChatSyncFields;
  participant_ids: string[];
}

/** A participant read a conversation up to `seq`: their other devices and the other participants hear it. */
export interface ChatReadEvent {
  conversation_id: string;
  user_id: string;
  seq: number;
  unread_count: number;
  read_at: string;
  participant_ids: string[];
}

export interface ChatTypingEvent {
  conversation_id: string;
  user_id: string;
  typing: boolean;
  participant_ids: string[];
}

/** Someone left, was removed, or the conversation was archived: opted-in sockets update their lists. */
export interface ChatConversationEvent {
  conversation_id: string;
  change: 'left' | 'removed' | 'archived';
  user_id: string;
  by: string;
  at: string;
  participant_ids: string[];
}

declare module '../realtime/events' {
  interface RealtimeEvents {
    'chat.message_created': ChatMessageEvent;
    'chat.message_edited': ChatMessageEvent;
    'chat.message_deleted': ChatMessageEvent;
    'chat.read': ChatReadEvent;
    'chat.typing': ChatTypingEvent;
    'chat.conversation_changed': ChatConversationEvent;
  }
}
