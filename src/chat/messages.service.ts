import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { User } from '../auth/entities/user.entity';
import { badRequest, conflict, forbidden, notFound } from '../common/app-error';
import { Clock } from '../common/clock';
import { IdempotencyService } from '../common/idempotency.service';
import { plainText } from '../common/plain-text';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { PendingEvents, UnitOfWork } from '../database/unit-of-work';
import { NotificationsService } from '../notifications/notifications.service';
import { Broadcaster } from '../realtime/broadcaster';
import { ChatPresence } from './chat-presence';
import { ChatMessageView, ChatSyncedMessage } from './chat.events';
import { ChatUploadsService } from './chat-uploads.service';
import { conversationGroupKey, ConversationsService, messageView, syncedView, syncFields } from './conversations.service';
import { MessagePageDto } from './dto/message.dto';
import { ConversationParticipant } from './entities/conversation-participant.entity';
import { Conversation } from './entities/conversation.entity';
import { Message, MessageType } from './entities/message.entity';
import { decodeCursor, encodeCursor } from './message-cursor';
import { ChatConfig } from './chat.config';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEFAULT_PAGE = 50;
const PREVIEW_LENGTH = 200;

/** A sender's retry: the same `client_message_id` in the same conversation stores and announces nothing new. */
export interface SendRetry {
  clientMessageId?: string;
  /** A repeat: the original message, as seed and sync clients see it (a gateway replies to the sending socket). */
  onRepeat?: (seed: ChatMessageView, synced: ChatSyncedMessage) => void;
}

/**
 * Messages: stored, then announced after commit with the participants (the
 * gateway sends the full object to every open socket of each). Participants
 * with no open chat socket get one unread `new_message` notification per
 * conversation, in the same transaction as the message.
 */
@Injectable()
export class MessagesService {
  private readonly maxLength: number;
  private readonly maxPage: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly conversations: ConversationsService,
    private readonly notifications: NotificationsService,
    private readonly uploads: ChatUploadsService,
    private readonly presence: ChatPresence,
    private readonly broadcaster: Broadcaster,
    private readonly idempotency: IdempotencyService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.maxLength = ChatConfig.read(config).CHAT_MAX_MESSAGE_LENGTH;
    this.maxPage = ChatConfig.read(config).CHAT_HISTORY_MAX_LIMIT;
  }

  /** `type` null counts as absent: the DTOs' @IsOptional lets `"type": null` through, and the column is NOT NULL. */
  async send(senderId: string, conversationId: string, rawContent: string, given?: MessageType | null, retry: SendRetry = {}): Promise<ChatSyncedMessage> {
    const type = given ?? 'text';
    const owner = `user:${senderId}`;
    const key = `chat:${conversationId}:${retry.clientMessageId}`;
    return this.uow.run(async (tx, events) => {
      const { conversation } = await this.conversations.access(tx, conversationId, senderId);
      if (retry.clientMessageId !== undefined) {
        const first = await this.idempotency.recall<{ message_id: string }>(tx, owner, key, this.idempotency.fingerprint(rawContent, type));
        if (first) {
          const original = await tx.getRepository(Message).findOneByOrFail({ id: first.result.message_id });
          if (retry.onRepeat) events.afterCommit(() => retry.onRepeat!(messageView(original), syncedView(original)));
          return syncedView(original);
        }
      }
      if (conversation.archivedAt) throw conflict('This conversation is archived: nobody can write in it');
      const content = await this.cleanContent(rawContent, type);
      const repo = tx.getRepository(Message);
      const now = this.clock.date();
      const seq = await this.conversations.nextSeq(tx, conversationId);
      const saved = await repo.save(
        repo.create({
          conversationId,
          senderId,
          content,
          messageType: type,
          createdAt: now,
          isEdited: false,
          editedAt: null,
          isDeleted: false,
          deletedAt: null,
          deletedBy: null,
          convSeq: seq,
          changeSeq: seq,
        }),
      );
      await tx.query('UPDATE chat_conversations SET last_message_at = GREATEST(COALESCE(last_message_at, $2), $2) WHERE id = $1', [conversationId, now]);
      // The sender has read everything up to their own message.
      await tx.query('UPDATE chat_participants SET last_read_seq = GREATEST(last_read_seq, $3), last_read_at = $4 WHERE conversation_id = $1 AND user_id = $2', [conversationId, senderId, seq, now]);
      if (retry.clientMessageId !== undefined) await this.idempotency.remember(tx, owner, key, { message_id: saved.id });
      const participantIds = await this.conversations.participantIds(tx, conversationId);
      events.publish('chat.message_created', { message: messageView(saved), sync: syncFields(saved), participant_ids: participantIds });
      await this.notifyOffline(
        tx,
        events,
        conversation,
        saved,
        participantIds.filter((id) => id !== senderId),
      );
      return syncedView(saved);
    });
  }

  /**
   * Newest first; `before` is the previous page's `next_cursor`. New messages never shift older pages.
   * With `after`: every message created, edited or deleted since that change number, oldest change first.
   */
  async history(userId: string, conversationId: string, q: { limit?: number; before?: string; after?: number }): Promise<MessagePageDto> {
    const m = this.dataSource.manager;
    await this.conversations.access(m, conversationId, userId);
    const take = Math.min(q.limit ?? DEFAULT_PAGE, this.maxPage);
    if (q.after !== undefined) {
      if (q.before !== undefined) throw badRequest('Use `before` (older history) or `after` (sync), not both');
      const rows = await m
        .getRepository(Message)
        .createQueryBuilder('m')
        .where('m.conversation_id = :conversationId AND m.change_seq > :after', { conversationId, after: q.after })
        .orderBy('m.change_seq', 'ASC')
        .limit(take + 1)
        .getMany();
      const items = rows.slice(0, take);
      const last = items[items.length - 1];
      return { items: items.map(syncedView), next_cursor: null, next_after: last ? Number(last.changeSeq) : q.after, has_more: rows.length > take };
    }
    const before = q.before;
    const qb = m
      .getRepository(Message)
      .createQueryBuilder('m')
      .where('m.conversation_id = :conversationId', { conversationId })
      .orderBy('m.created_at', 'DESC')
      .addOrderBy('m.seq', 'DESC')
      .limit(take + 1);
    if (before !== undefined) {
      const cursor = decodeCursor(before);
      if (!cursor) throw badRequest('`before` is not a cursor this server issued');
      qb.andWhere('(m.created_at, m.seq) < (:at, :seq)', { at: cursor.createdAt, seq: cursor.seq });
    }
    const rows = await qb.getMany();
    const items = rows.slice(0, take);
    const more = rows.length > take;
    const last = items[items.length - 1];
    return { items: items.map(syncedView), next_cursor: more && last ? encodeCursor(last.createdAt, last.seq) : null };
  }

  async edit(userId: string, messageId: string, rawContent: string): Promise<ChatSyncedMessage> {
    return this.uow.run(async (tx, events) => {
      const message = await this.lockedMessage(tx, messageId);
      if (message.senderId !== userId) throw forbidden('Only the sender may edit a message');
      if (message.isDeleted) throw conflict('A deleted message cannot be edited');
      const conversation = await this.writable(tx, message.conversationId);
      const content = await this.cleanContent(rawContent, message.messageType);
      if (content === message.content) return syncedView(message);
      message.content = content;
      message.isEdited = true;
      message.editedAt = this.clock.date();
      message.changeSeq = await this.conversations.nextSeq(tx, conversation.id);
      await tx.getRepository(Message).save(message);
      events.publish('chat.message_edited', { message: messageView(message), sync: syncFields(message), participant_ids: await this.conversations.participantIds(tx, message.conversationId) });
      return syncedView(message);
    });
  }

  /**
   * Keeps the message's id and place, empties its content, records who did
   * it. The sender may, and so may moderators: an admin of the conversation
   * (a group) or a site admin, who need not be in it. Deleting it again
   * changes nothing.
   */
  async remove(actor: { id: string; role: string | null }, messageId: string): Promise<void> {
    await this.uow.run(async (tx, events) => {
      const message = await this.lockedMessage(tx, messageId);
      if (message.senderId !== actor.id && actor.role !== 'admin') {
        const member = await tx.getRepository(ConversationParticipant).findOne({ where: { conversationId: message.conversationId, userId: actor.id } });
        if (!member) throw forbidden('You are not a participant of this conversation');
        if (member.role !== 'admin') throw forbidden('Only the sender, an admin of the conversation or a site admin may delete a message');
      }
      if (message.isDeleted) return;
      message.isDeleted = true;
      message.content = '';
      message.deletedAt = this.clock.date();
      message.deletedBy = actor.id;
      message.changeSeq = await this.conversations.nextSeq(tx, message.conversationId);
      await tx.getRepository(Message).save(message);
      events.publish('chat.message_deleted', { message: messageView(message), sync: syncFields(message), participant_ids: await this.conversations.participantIds(tx, message.conversationId) });
    });
  }

  /** Typing is not stored; only a participant of a conversation that is not archived may announce it. */
  async typing(userId: string, conversationId: string, typing: boolean): Promise<void> {
    const m = this.dataSource.manager;
    const { conversation } = await this.conversations.access(m, conversationId, userId);
    if (conversation.archivedAt) throw conflict('This conversation is archived');
    this.broadcaster.publish('chat.typing', { conversation_id: conversationId, user_id: userId, typing, participant_ids: await this.conversations.participantIds(m, conversationId) });
  }

  private async lockedMessage(tx: EntityManager, messageId: string): Promise<Message> {
    if (!UUID.test(messageId)) throw notFound('Message');
    const message = await tx.getRepository(Message).findOne({ where: { id: messageId }, lock: { mode: 'pessimistic_write' } });
    if (!message) throw notFound('Message');
    return message;
  }

  private async writable(tx: EntityManager, conversationId: string): Promise<Conversation> {
    const conversation = await tx.getRepository(Conversation).findOneOrFail({ where: { id: conversationId } });
    if (conversation.archivedAt) throw conflict('This conversation is archived: its messages can no longer be edited');
    return conversation;
  }

  /** Text: plain text, not empty, not over the limit. Image: the url of an image uploaded here. */
  private async cleanContent(raw: string, type: MessageType): Promise<string> {
    if (type === 'image') {
      const url = raw.trim();
      if (!(await this.uploads.isStoredUrl(url))) throw badRequest('An image message carries the url POST /api/chat/uploads returned');
      return url;
    }
    if ([...raw].length > this.maxLength) throw badRequest(`A message has at most ${this.maxLength} characters`);
    const content = plainText(raw, this.maxLength);
    if (!content) throw badRequest('The message is empty');
    return content;
  }

  /** Sorted, so concurrent senders take the per-user notification locks in one order. */
  private async notifyOffline(tx: EntityManager, events: PendingEvents, conversation: Conversation, message: Message, recipients: string[]): Promise<void> {
    if (!recipients.length) return;
    const offline = (await this.presence.offline(recipients)).sort();
    if (!offline.length) return;
    const sender = await tx.getRepository(User).findOne({ where: { id: message.senderId! }, select: { id: true, name: true } });
    const who = sender?.name ?? 'Someone';
    const title = conversation.type === 'group' ? `New message from ${who} in ${conversation.title}` : `New message from ${who}`;
    const text = message.messageType === 'image' ? `${who} sent an image` : message.content;
    for (const userId of offline) {
      await this.notifications.createIn(tx, events, {
        userId,
        type: 'new_message',
        title,
        message: [...text].slice(0, PREVIEW_LENGTH).join(''),
        link: `/chat/conversations/${conversation.id}`,
        metadata: { conversation_id: conversation.id, message_id: message.id, sender_id: message.senderId },
        groupKey: conversationGroupKey(conversation.id),
      });
    }
  }
}
