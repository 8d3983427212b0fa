import { Column, Entity, Generated, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../../auth/entities/user.entity';
import { Conversation } from './conversation.entity';

export const MESSAGE_TYPES = ['text', 'image'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/**
 * One message. `seq` is a database sequence: it breaks ties between messages
 * stamped in the same millisecond, so history keeps the order they were sent
 * in. A deleted message keeps its row, id and place; only its content is
 * emptied.
 *
 * `convSeq` (`seq` on the wire) is the message's number in its conversation,
 * and `changeSeq` the number of its latest change (creation, edit or
 * deletion). Both come from one counter per conversation, taken under the
 * conversation's row lock, so numbers are handed out in commit order and a
 * client that asks for "everything after n" misses nothing.
 */
@Entity('chat_messages')
@Index('IDX_chat_messages_history', ['conversationId', 'createdAt', 'seq'])
@Index('IDX_chat_messages_unread', ['conversationId', 'seq'])
@Index('UQ_chat_messages_conv_seq', ['conversationId', 'convSeq'], { unique: true })
@Index('IDX_chat_messages_change_seq', ['conversationId', 'changeSeq'])
export class Message {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'bigint' })
  @Generated('increment')
  seq: string;

  @Column({ name: 'conv_seq', type: 'bigint' })
  convSeq: string;

  @Column({ name: 'change_seq', type: 'bigint' })
  changeSeq: string;

  @Column({ name: 'conversation_id', type: 'uuid' })
  conversationId: string;

  @ManyToOne(() => Conversation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conversation_id', foreignKeyConstraintName: 'FK_chat_messages_conversation' })
  conversation?: Conversation;

  /** Null once the sender's account is deleted; the message stays in the history. */
  @Column({ name: 'sender_id', type: 'uuid', nullable: true })
  senderId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'sender_id', foreignKeyConstraintName: 'FK_chat_messages_sender' })
  sender?: User;

  @Column({ type: 'text' })
  content: string;

  @Column({ name: 'message_type', type: 'varchar', length: 10, default: 'text' })
  messageType: MessageType;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'is_edited', type: 'boolean', default: false })
  isEdited: boolean;

  @Column({ name: 'edited_at', type: 'timestamptz', nullable: true })
  editedAt: Date | null;

  @Column({ name: 'is_deleted', type: 'boolean', default: false })
  isDeleted: boolean;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;

  /** Who deleted it: the sender, a conversation admin or a site admin (moderation). */
  @Column({ name: 'deleted_by', type: 'uuid', nullable: true })
  deletedBy: string | null;
}
