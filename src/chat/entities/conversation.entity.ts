import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../../auth/entities/user.entity';

export const CONVERSATION_TYPES = ['direct', 'group'] as const;
export type ConversationType = (typeof CONVERSATION_TYPES)[number];

/**
 * A conversation: `direct` between exactly two people (at most one per pair,
 * enforced by the unique `direct_key`), or a titled `group`.
 */
@Entity('chat_conversations')
@Index('IDX_chat_conversations_last_message', ['lastMessageAt'])
export class Conversation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 10 })
  type: ConversationType;

  @Column({ type: 'varchar', length: 200, nullable: true })
  title: string | null;

  /** The two user ids of a direct conversation, sorted and joined by ':'; null for groups. */
  @Index('UQ_chat_conversations_direct_key', { unique: true })
  @Column({ name: 'direct_key', type: 'varchar', length: 80, nullable: true })
  directKey: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'FK_chat_conversations_created_by' })
  creator?: User;

  /** The conversation's change counter: the last `seq`/`change_seq` handed out. */
  @Column({ name: 'last_seq', type: 'bigint', default: 0 })
  lastSeq: string;

  /** An archived conversation is read-only: history stays, nobody can post. */
  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt: Date | null;

  @Column({ name: 'archived_by', type: 'uuid', nullable: true })
  archivedBy: string | null;

  /** Time of the newest message; orders the conversation list. */
  @Column({ name: 'last_message_at', type: 'timestamptz', nullable: true })
  lastMessageAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
