import { Injectable } from '@nestjs/common';
import { RealtimeService } from '../realtime/realtime.service';
import { ChatPresence } from './chat-presence';
import { CHAT_GATEWAY } from './chat.gateway';

/**
 * ChatPresence from the core's cluster-wide socket counts (the chat gateway
 * is declared with `presence: true`), so a user connected to another
 * instance counts as connected.
 */
@Injectable()
export class ClusterChatPresence extends ChatPresence {
  constructor(private readonly realtime: RealtimeService) {
    super();
  }

  async offline(userIds: readonly string[]): Promise<string[]> {
    const counts = await Promise.all(userIds.map((id) => this.realtime.cluster.userSockets(CHAT_GATEWAY, id).catch(() => 0)));
    return userIds.filter((_, i) => counts[i] === 0);
  }
}
