import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../../auth/entities/user.entity';
import { Conversation } from './conversation.entity';

export const PARTICIPANT_ROLES = ['admin', 'member'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/** A user in a conversation, with their right to manage it and how far they have read. */
@Entity('chat_participants')
@Index('IDX_chat_participants_user', ['userId'])
export class ConversationParticipant {
  @PrimaryColumn({ name: 'conversation_id', type: 'uuid', primaryKeyConstraintName: 'PK_chat_participants' })
  conversationId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'PK_chat_participants' })
  userId: string;

  @ManyToOne(() => Conversation, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conversation_id', foreignKeyConstraintName: 'FK_chat_participants_conversation' })
  conversation?: Conversation;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_chat_participants_user' })
  user?: User;

  /** Group admins add and remove participants; the creator is the first. */
  @Column({ type: 'varchar', length: 10, default: 'member' })
  role: ParticipantRole;

  @Column({ name: 'joined_at', type: 'timestamptz' })
  joinedAt: Date;

  /** Conversation `seq` of the newest message this participant has read (0: none). */
  @Column({ name: 'last_read_seq', type: 'bigint', default: 0 })
  lastReadSeq: string;

  @Column({ name: 'last_read_at', type: 'timestamptz', nullable: true })
  lastReadAt: Date | null;
}
