import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { User } from '../auth/entities/user.entity';
import { AppError, badRequest, conflict, ErrorCode, forbidden, notFound } from '../common/app-error';
import { Clock } from '../common/clock';
import { plainText } from '../common/plain-text';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UnitOfWork } from '../database/unit-of-work';
import { NotificationsService } from '../notifications/notifications.service';
import { queryRows } from '../queue/queue-sql';
import { ChatMessageView, ChatSyncedMessage, ChatSyncFields } from './chat.events';
import { ConversationDto, ParticipantDto, ReadReceiptDto } from './dto/conversation.dto';
import { ConversationParticipant } from './entities/conversation-participant.entity';
import { Conversation } from './entities/conversation.entity';
import { Message } from './entities/message.entity';
import { ChatConfig } from './chat.config';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function messageView(m: Message): ChatMessageView {
  return {
    id: m.id,
    conversation_id: m.conversationId,
    sender_id: m.senderId,
    content: m.isDeleted ? '' : m.content,
    message_type: m.messageType,
    created_at: m.createdAt.toISOString(),
    is_edited: m.isEdited,
    is_deleted: m.isDeleted,
  };
}

export function syncFields(m: Message): ChatSyncFields {
  return { seq: Number(m.convSeq), change_seq: Number(m.changeSeq), deleted_by: m.deletedBy };
}

/** What REST returns: the seed's object plus the sync fields. */
export function syncedView(m: Message): ChatSyncedMessage {
  return { ...messageView(m), ...syncFields(m) };
}

/** The `groupKey` that keeps one unread `new_message` notification per conversation and user. */
export function conversationGroupKey(conversationId: string): string {
  return `conversation:${conversationId}`;
}

export interface Membership {
  conversation: Conversation;
  participant: ConversationParticipant;
}

/**
 * Conversations and who is in them. Direct conversations are unique per pair
 * (an atomic insert on `direct_key`) and keep their two people; groups are
 * managed by their admins, and anyone may leave one.
 */
@Injectable()
export class ConversationsService {
  private readonly maxParticipants: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly notifications: NotificationsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.maxParticipants = ChatConfig.read(config).CHAT_MAX_PARTICIPANTS;
  }

  /**
   * The conversation and the caller's place in it: NOT_FOUND when there is no
   * such conversation (a malformed id included), FORBIDDEN when the caller is
   * not a participant.
   */
  async access(tx: EntityManager, conversationId: string, userId: string, lock = false): Promise<Membership> {
    if (!UUID.test(conversationId)) throw notFound('Conversation');
    const conversation = await tx.getRepository(Conversation).findOne({ where: { id: conversationId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!conversation) throw notFound('Conversation');
    const participant = await tx.getRepository(ConversationParticipant).findOne({ where: { conversationId, userId } });
    if (!participant) throw forbidden('You are not a participant of this conversation');
    return { conversation, participant };
  }

  /** The participants of a conversation the caller is in. */
  async participantsOf(userId: string, conversationId: string): Promise<string[]> {
    const m = this.dataSource.manager;
    await this.access(m, conversationId, userId);
    return this.participantIds(m, conversationId);
  }

  /**
   * The conversation's next change number. The UPDATE takes the
   * conversation's row lock until commit, so numbers are handed out in
   * commit order: nothing numbered lower can still commit after a client read
   * "everything after n".
   */
  async nextSeq(tx: EntityManager, conversationId: string): Promise<string> {
    const [row] = await queryRows<{ last_seq: string | number }>(tx, 'UPDATE chat_conversations SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq', [conversationId]);
    return String(row.last_seq);
  }

  async participantIds(tx: EntityManager, conversationId: string): Promise<string[]> {
    const rows = await tx.getRepository(ConversationParticipant).find({ where: { conversationId }, select: { userId: true }, order: { joinedAt: 'ASC', userId: 'ASC' } });
    return rows.map((r) => r.userId);
  }

  /** Returns the conversation and whether it was made now (a direct pair that exists is returned as it is). */
  async create(userId: string, participantIds: string[], title: string | undefined): Promise<{ conversation: ConversationDto; created: boolean }> {
    const ids = [...new Set([userId, ...participantIds.map((id) => id.toLowerCase())])];
    if (ids.length < 2) throw badRequest('A conversation needs at least one other participant');
    if (ids.length > this.maxParticipants) throw badRequest(`A conversation has at most ${this.maxParticipants} participants`);
    const cleanTitle = title === undefined ? null : plainText(title, 200);
    if (cleanTitle === '') throw badRequest('The title is empty');
    const direct = cleanTitle === null && ids.length === 2;
    if (!direct && cleanTitle === null) throw badRequest('A group conversation needs a title');

    const { id, created } = await this.uow.run(async (tx) => {
      await this.requireUsers(tx, ids);
      const now = this.clock.date();
      if (direct) {
        const key = [...ids].sort().join(':');
        // One direct conversation per pair, also when both people create it at the same moment.
        const inserted: Array<{ id: string }> = await tx.query(
          `INSERT INTO chat_conversations (type, title, direct_key, created_by, created_at, updated_at)
           VALUES ('direct', NULL, $1, $2, $3, $3)
           ON CONFLICT (direct_key) DO NOTHING
           RETURNING id`,
          [key, userId, now],
        );
        if (!inserted.length) {
          const existing = await tx.getRepository(Conversation).findOneOrFail({ where: { directKey: key } });
          return { id: existing.id, created: false };
        }
        await this.insertParticipants(tx, inserted[0].id, ids, () => 'member', now);
        return { id: inserted[0].id, created: true };
      }
      const repo = tx.getRepository(Conversation);
      const saved = await repo.save(repo.create({ type: 'group', title: cleanTitle, directKey: null, createdBy: userId, lastMessageAt: null, createdAt: now, updatedAt: now }));
      await this.insertParticipants(tx, saved.id, ids, (id) => (id === userId ? 'admin' : 'member'), now);
      return { id: saved.id, created: true };
    });
    return { conversation: await this.get(userId, id), created };
  }

  async get(userId: string, conversationId: string): Promise<ConversationDto> {
    const { conversation } = await this.access(this.dataSource.manager, conversationId, userId);
    const [view] = await this.views(this.dataSource.manager, [conversation], userId);
    return view;
  }

  /** The caller's conversations, most recently active first. */
  async list(userId: string, limit: number, offset: number): Promise<ConversationDto[]> {
    const m = this.dataSource.manager;
    const page: Array<{ id: string }> = await m.query(
      `SELECT c.id FROM chat_participants me JOIN chat_conversations c ON c.id = me.conversation_id
       WHERE me.user_id = $1
       ORDER BY COALESCE(c.last_message_at, c.created_at) DESC, c.id DESC
       LIMIT $2 OFFSET $3`,
      [userId, limit, offset],
    );
    if (!page.length) return [];
    const found = await m.getRepository(Conversation).find({ where: { id: In(page.map((r) => r.id)) } });
    const ordered = page.map((r) => found.find((c) => c.id === r.id)).filter((c): c is Conversation => !!c);
    return this.views(m, ordered, userId);
  }

  async addParticipants(userId: string, conversationId: string, userIds: string[]): Promise<ConversationDto> {
    await this.uow.run(async (tx) => {
      const { conversation, participant } = await this.access(tx, conversationId, userId, true);
      this.requireGroupAdmin(conversation, participant);
      if (conversation.archivedAt) throw conflict('This conversation is archived');
      const ids = [...new Set(userIds.map((id) => id.toLowerCase()))];
      await this.requireUsers(tx, ids);
      const current = await this.participantIds(tx, conversationId);
      const added = ids.filter((id) => !current.includes(id));
      if (current.length + added.length > this.maxParticipants) throw badRequest(`A conversation has at most ${this.maxParticipants} participants`);
      await this.insertParticipants(tx, conversationId, added, () => 'member', this.clock.date());
    });
    return this.get(userId, conversationId);
  }

  /** A group admin removes anyone; anyone leaves. The last admin leaving hands the role to the longest-standing member. */
  async removeParticipant(userId: string, conversationId: string, targetId: string): Promise<void> {
    await this.uow.run(async (tx, events) => {
      const { conversation, participant } = await this.access(tx, conversationId, userId, true);
      const before = await this.participantIds(tx, conversationId);
      if (conversation.type === 'direct') throw badRequest('A direct conversation always has its two participants');
      const target = targetId.toLowerCase();
      if (target !== userId) this.requireGroupAdmin(conversation, participant);
      const repo = tx.getRepository(ConversationParticipant);
      const result = await repo.delete({ conversationId, userId: target });
      if (!result.affected) throw notFound('Participant');
      const remaining = await repo.find({ where: { conversationId }, order: { joinedAt: 'ASC', userId: 'ASC' } });
      if (remaining.length && !remaining.some((p) => p.role === 'admin')) await repo.update({ conversationId, userId: remaining[0].userId }, { role: 'admin' });
      events.publish('chat.conversation_changed', {
        conversation_id: conversationId,
        change: target === userId ? 'left' : 'removed',
        user_id: target,
        by: userId,
        at: this.clock.date().toISOString(),
        participant_ids: before,
      });
    });
  }

  /**
   * Archiving makes a conversation read-only (no new messages, edits or
   * typing); history, reading and deleting stay. A group's admins may, either
   * person of a direct conversation, and a site admin, who need not be in it.
   * Archiving again changes nothing.
   */
  async archive(actor: { id: string; role: string | null }, conversationId: string): Promise<ConversationDto> {
    await this.uow.run(async (tx, events) => {
      if (!UUID.test(conversationId)) throw notFound('Conversation');
      const conversation = await tx.getRepository(Conversation).findOne({ where: { id: conversationId }, lock: { mode: 'pessimistic_write' } });
      if (!conversation) throw notFound('Conversation');
      if (actor.role !== 'admin') {
        const me = await tx.getRepository(ConversationParticipant).findOne({ where: { conversationId, userId: actor.id } });
        if (!me) throw forbidden('You are not a participant of this conversation');
        if (conversation.type === 'group' && me.role !== 'admin') throw forbidden('Only the group admins or a site admin may archive a group');
      }
      if (conversation.archivedAt) return;
      const now = this.clock.date();
      await tx.getRepository(Conversation).update({ id: conversationId }, { archivedAt: now, archivedBy: actor.id });
      events.publish('chat.conversation_changed', {
        conversation_id: conversationId,
        change: 'archived',
        user_id: actor.id,
        by: actor.id,
        at: now.toISOString(),
        participant_ids: await this.participantIds(tx, conversationId),
      });
    });
    const m = this.dataSource.manager;
    const conversation = await m.getRepository(Conversation).findOneOrFail({ where: { id: conversationId } });
    const [view] = await this.views(m, [conversation], actor.id);
    return view;
  }

  /**
   * Marks the conversation read for the caller up to `upTo` (a message `seq`;
   * everything there is when omitted), never backwards, and its
   * `new_message` notification with it. The answer's `unread_count` is exact:
   * messages from others after that point that are not deleted.
   */
  async markRead(userId: string, conversationId: string, upTo?: number): Promise<ReadReceiptDto> {
    return this.uow.run(async (tx, events) => {
      const { conversation } = await this.access(tx, conversationId, userId);
      const now = this.clock.date();
      const [row] = await queryRows<{ last_read_seq: string }>(
        tx,
        `UPDATE chat_participants SET last_read_at = $3,
           last_read_seq = GREATEST(last_read_seq, LEAST($4::bigint, (SELECT COALESCE(MAX(conv_seq), 0) FROM chat_messages WHERE conversation_id = $1)))
         WHERE conversation_id = $1 AND user_id = $2
         RETURNING last_read_seq`,
        [conversationId, userId, now, upTo ?? Number.MAX_SAFE_INTEGER],
      );
      const seq = Number(row?.last_read_seq ?? 0);
      const unread = await this.unreadCount(tx, conversation.id, userId, seq);
      if (unread === 0) await this.notifications.markGroupReadIn(tx, events, userId, conversationGroupKey(conversationId));
      events.publish('chat.read', {
        conversation_id: conversationId,
        user_id: userId,
        seq,
        unread_count: unread,
        read_at: now.toISOString(),
        participant_ids: await this.participantIds(tx, conversationId),
      });
      return { conversation_id: conversationId, last_read_at: now.toISOString(), last_read_seq: seq, unread_count: unread };
    });
  }

  private async unreadCount(m: EntityManager, conversationId: string, userId: string, readSeq: number): Promise<number> {
    const [r]: Array<{ n: string }> = await m.query('SELECT COUNT(*) AS n FROM chat_messages WHERE conversation_id = $1 AND conv_seq > $2 AND sender_id IS DISTINCT FROM $3 AND NOT is_deleted', [
      conversationId,
      readSeq,
      userId,
    ]);
    return Number(r?.n ?? 0);
  }

  private requireGroupAdmin(conversation: Conversation, participant: ConversationParticipant): void {
    if (conversation.type === 'direct') throw badRequest('A direct conversation always has its two participants; create a group instead');
    if (participant.role !== 'admin') throw forbidden('Only the group admins may add or remove participants');
  }

  /** Every id must be an enabled user. */
  private async requireUsers(tx: EntityManager, ids: string[]): Promise<void> {
    const found = await tx.getRepository(User).find({ where: { id: In(ids), disabled: false }, select: { id: true } });
    const missing = ids.filter((id) => !found.some((u) => u.id === id));
    if (missing.length) throw new AppError(ErrorCode.NOT_FOUND, `No such user: ${missing.join(', ')}`, { user_ids: missing });
  }

  private async insertParticipants(tx: EntityManager, conversationId: string, ids: string[], role: (id: string) => 'admin' | 'member', now: Date): Promise<void> {
    if (!ids.length) return;
    await tx
      .createQueryBuilder()
      .insert()
      .into(ConversationParticipant)
      .values(ids.map((id) => ({ conversationId, userId: id, role: role(id), joinedAt: now, lastReadSeq: '0', lastReadAt: null })))
      .orIgnore()
      .execute();
  }

  /** Participants, last message and unread count of several conversations in three queries. */
  private async views(m: EntityManager, list: Conversation[], userId: string): Promise<ConversationDto[]> {
    if (!list.length) return [];
    const ids = list.map((c) => c.id);
    const people: Array<{ conversation_id: string; user_id: string; role: 'admin' | 'member'; joined_at: Date; name: string }> = await m
      .createQueryBuilder()
      .select(['p.conversation_id AS conversation_id', 'p.user_id AS user_id', 'p.role AS role', 'p.joined_at AS joined_at', 'u.name AS name'])
      .from(ConversationParticipant, 'p')
      .innerJoin(User, 'u', 'u.id = p.user_id')
      .where('p.conversation_id IN (:...ids)', { ids })
      .orderBy('p.joined_at', 'ASC')
      .addOrderBy('p.user_id', 'ASC')
      .getRawMany();
    const last = await m
      .getRepository(Message)
      .createQueryBuilder('m')
      .distinctOn(['m.conversation_id'])
      .where('m.conversation_id IN (:...ids)', { ids })
      .orderBy('m.conversation_id')
      .addOrderBy('m.created_at', 'DESC')
      .addOrderBy('m.seq', 'DESC')
      .getMany();
    const unread: Array<{ conversation_id: string; n: string }> = await m
      .createQueryBuilder()
      .select(['m.conversation_id AS conversation_id', 'COUNT(*) AS n'])
      .from(Message, 'm')
      .innerJoin(ConversationParticipant, 'me', 'me.conversation_id = m.conversation_id AND me.user_id = :userId', { userId })
      .where('m.conversation_id IN (:...ids)', { ids })
      .andWhere('m.conv_seq > me.last_read_seq')
      .andWhere('m.sender_id IS DISTINCT FROM :userId', { userId })
      .andWhere('NOT m.is_deleted')
      .groupBy('m.conversation_id')
      .getRawMany();
    return list.map((c) => {
      const lastMessage = last.find((x) => x.conversationId === c.id);
      const participants: ParticipantDto[] = people
        .filter((p) => p.conversation_id === c.id)
        .map((p) => ({ user_id: p.user_id, name: p.name, role: p.role, joined_at: new Date(p.joined_at).toISOString() }));
      return {
        id: c.id,
        type: c.type,
        title: c.title,
        created_by: c.createdBy,
        created_at: c.createdAt.toISOString(),
        participants,
        last_message: lastMessage ? syncedView(lastMessage) : null,
        unread_count: Number(unread.find((u) => u.conversation_id === c.id)?.n ?? 0),
        last_seq: Number(c.lastSeq),
        archived_at: c.archivedAt?.toISOString() ?? null,
      };
    });
  }
}
