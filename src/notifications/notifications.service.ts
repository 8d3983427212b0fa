import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { notFound } from '../common/app-error';
import { plainText } from '../common/plain-text';
import { PendingEvents, UnitOfWork } from '../database/unit-of-work';
import { Notification } from './entities/notification.entity';
import { ChangeRequest } from '../common/changes';
import { ChangeFeed } from '../database/change-feed';
import { NotificationSnapshot } from './notifications.events';

export function notificationSnapshot(n: Notification): NotificationSnapshot {
  return {
    id: n.id,
    user_id: n.userId,
    type: n.type,
    title: n.title,
    message: n.message,
    priority: n.priority,
    link: n.link,
    metadata: n.metadata ?? {},
    employee_id: n.employeeId,
    is_read: n.isRead,
    read_at: n.readAt?.toISOString() ?? null,
    created_at: n.createdAt.toISOString(),
  };
}

export interface NewNotification {
  userId: string;
  type: string;
  title: string;
  message?: string;
  priority?: string;
  link?: string | null;
  metadata?: Record<string, unknown>;
  employeeId?: number | null;
  /** When set, no new notification is made while an unread one with this key exists. */
  groupKey?: string | null;
}

/**
 * Notifications of every domain, stored per user. Each action announces a
 * domain event after commit; each gateway renders it in its own shape.
 */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly feed: ChangeFeed,
  ) {}

  /** Inside a caller's transaction: stored with it, announced when it commits. */
  async createIn(tx: EntityManager, events: PendingEvents, input: NewNotification): Promise<Notification | null> {
    const repo = tx.getRepository(Notification);
    if (input.groupKey) {
      // Serializes "is there an unread one?" per user and key until commit, so two
      // transactions at once (two messages in one conversation) still make only one.
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`notifications|${input.userId}|${input.groupKey}`]);
      if (await repo.exists({ where: { userId: input.userId, groupKey: input.groupKey, isRead: false } })) return null;
    }
    const saved = await repo.save(
      repo.create({
        userId: input.userId,
        type: plainText(input.type, 50),
        title: plainText(input.title, 200),
        message: plainText(input.message ?? '', 2000),
        priority: input.priority ?? 'normal',
        link: input.link ?? null,
        metadata: input.metadata ?? {},
        employeeId: input.employeeId ?? null,
        groupKey: input.groupKey ?? null,
        isRead: false,
        readAt: null,
        createdAt: this.clock.date(),
      }),
    );
    events.publish('notifications.created', { notification: notificationSnapshot(saved) });
    return saved;
  }

  /** The recipient is named by a client here: an unknown user is 404, not a foreign-key failure (500). */
  create(input: NewNotification): Promise<Notification | null> {
    return this.uow.run(async (tx, events) => {
      const [user] = await tx.query('SELECT 1 FROM users WHERE id = $1', [input.userId]);
      if (!user) throw notFound('User');
      return this.createIn(tx, events, input);
    });
  }

  async list(userId: string, page: number, limit: number, unreadOnly: boolean): Promise<{ items: Notification[]; total: number; unread: number }> {
    const where = unreadOnly ? { userId, isRead: false } : { userId };
    const [items, total] = await this.notifications.findAndCount({ where, order: { createdAt: 'DESC', id: 'DESC' }, skip: (page - 1) * limit, take: limit });
    const unread = await this.notifications.count({ where: { userId, isRead: false } });
    return { items, total, unread };
  }

  /** A user's notifications created, read or deleted since a server time: what a client that lost its socket's frames rebuilds from. */
  async changes(userId: string, req: ChangeRequest) {
    const window = await this.feed.read(req, [
      (bind, since) => `SELECT id::text AS key, updated_at AS ts FROM notifications WHERE user_id = ${bind(userId)} AND updated_at >= ${since}`,
      (bind, since) => `SELECT entity_id AS key, deleted_at AS ts FROM tombstones WHERE entity = 'notification' AND scope = ${bind(userId)} AND deleted_at >= ${since}`,
    ]);
    const rows = window.keys.length ? await this.notifications.find({ where: { userId, id: In(window.keys) } }) : [];
    const { items, deleted } = this.feed.assemble(
      window,
      rows,
      (n) => n.id,
      (key) => key,
    );
    const unread = await this.notifications.count({ where: { userId, isRead: false } });
    return {
      items: items.map(notificationSnapshot),
      deleted,
      deleted_since: window.deleted_since,
      unread_count: unread,
      as_of: window.as_of,
      next_cursor: window.next_cursor,
      has_more: window.has_more,
    };
  }

  async markRead(userId: string, id: string): Promise<Notification> {
    return this.uow.run(async (tx, events) => {
      const repo = tx.getRepository(Notification);
      const n = await repo.findOne({ where: { id, userId } });
      if (!n) throw notFound('Notification');
      if (!n.isRead) {
        n.isRead = true;
        n.readAt = this.clock.date();
        await repo.save(n);
        events.publish('notifications.read', { notification_id: n.id, user_id: userId, read_at: n.readAt.toISOString() });
      }
      return n;
    });
  }

  /**
   * Inside a caller's transaction: marks the user's unread notifications with
   * this group key read (chat: reading a conversation reads its `new_message`),
   * each announced as `notifications.read` when the transaction commits.
   */
  async markGroupReadIn(tx: EntityManager, events: PendingEvents, userId: string, groupKey: string): Promise<number> {
    const repo = tx.getRepository(Notification);
    const unread = await repo.find({ where: { userId, groupKey, isRead: false }, select: { id: true } });
    if (!unread.length) return 0;
    const readAt = this.clock.date();
    await repo.update({ id: In(unread.map((n) => n.id)) }, { isRead: true, readAt });
    for (const n of unread) events.publish('notifications.read', { notification_id: n.id, user_id: userId, read_at: readAt.toISOString() });
    return unread.length;
  }

  async markAllRead(userId: string): Promise<{ updated: number }> {
    return this.uow.run(async (tx, events) => {
      const repo = tx.getRepository(Notification);
      const unread = await repo.find({ where: { userId, isRead: false }, select: { id: true } });
      const readAt = this.clock.date();
      if (unread.length) await repo.update({ id: In(unread.map((n) => n.id)) }, { isRead: true, readAt });
      events.publish('notifications.read_all', { user_id: userId, notification_ids: unread.map((n) => n.id), read_at: readAt.toISOString() });
      return { updated: unread.length };
    });
  }

  async remove(userId: string, id: string): Promise<void> {
    return this.uow.run(async (tx, events) => {
      const result = await tx.getRepository(Notification).delete({ id, userId });
      if (!result.affected) throw notFound('Notification');
      events.publish('notifications.deleted', { notification_id: id, user_id: userId });
    });
  }
}
