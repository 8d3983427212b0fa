import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { RealtimeService } from '../realtime/realtime.service';
import { ChatPresence } from './chat-presence';
import { CHAT_GATEWAY } from './chat.gateway';
import { ChatLastSeen } from './entities/chat-last-seen.entity';

/**
 * ChatPresence from the core's cluster-wide socket counts (the chat gateway
 * is declared with `presence: true`), so a user connected to another
 * instance counts as connected. The core reports each user's last socket
 * closing once, cluster-wide; that time is kept as "last seen".
 */
@Injectable()
export class ClusterChatPresence extends ChatPresence implements OnModuleInit {
  private readonly logger = new Logger('ChatPresence');

  constructor(
    private readonly realtime: RealtimeService,
    private readonly dataSource: DataSource,
  ) {
    super();
  }

  onModuleInit(): void {
    this.realtime.onPresence(CHAT_GATEWAY, (e) => {
      if (e.status !== 'offline') return;
      this.dataSource
        .query(
          `INSERT INTO chat_last_seen (user_id, last_seen_at) SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM users WHERE id = $1)
           ON CONFLICT (user_id) DO UPDATE SET last_seen_at = GREATEST(chat_last_seen.last_seen_at, EXCLUDED.last_seen_at)`,
          [e.user_id, e.at],
        )
        .catch((err) => this.logger.error({ msg: 'could not record last seen', user_id: e.user_id, err: String(err) }));
    });
  }

  async offline(userIds: readonly string[]): Promise<string[]> {
    const counts = await this.counts(userIds);
    return userIds.filter((_, i) => counts[i] === 0);
  }

  async describe(userIds: readonly string[]): Promise<Array<{ user_id: string; status: 'online' | 'offline'; last_seen: string | null }>> {
    const [counts, seen] = await Promise.all([this.counts(userIds), userIds.length ? this.dataSource.getRepository(ChatLastSeen).find({ where: { userId: In([...userIds]) } }) : []]);
    return userIds.map((id, i) => {
      const online = counts[i] > 0;
      return { user_id: id, status: online ? 'online' : 'offline', last_seen: online ? null : (seen.find((s) => s.userId === id)?.lastSeenAt.toISOString() ?? null) };
    });
  }

  private counts(userIds: readonly string[]): Promise<number[]> {
    return Promise.all(userIds.map((id) => this.realtime.cluster.userSockets(CHAT_GATEWAY, id).catch(() => 0)));
  }
}
