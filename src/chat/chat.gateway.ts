import { OnModuleInit } from '@nestjs/common';
import { MessageBody, SubscribeMessage } from '@nestjs/websockets';
import { ROLES } from '../auth/principal';
import { NotificationSnapshot } from '../notifications/notifications.events';
import { Broadcaster } from '../realtime/broadcaster';
import { Connection } from '../realtime/connection';
import { ConnectionRegistry } from '../realtime/connections';
import { Conn, RealtimeGateway, WsRoles } from '../realtime/realtime-gateway.decorator';
import { RealtimeService } from '../realtime/realtime.service';
import { chatCodec } from './chat.codec';
import { ChatMessageEvent } from './chat.events';
import { SendMessageFrameDto } from './dto/message.dto';
import { MessagesService } from './messages.service';
import { ChatConfig } from './chat.config';

export const CHAT_GATEWAY = 'chat';

/**
 * Seed 003's chat socket at /ws/chat. Users only (a device has no
 * conversations). Every message, edit and deletion goes as the full message
 * object to every open socket of every participant, the sender's included;
 * every notification change goes to its owner. Each frame is encoded once
 * for all its sockets.
 */
@RealtimeGateway({
  name: CHAT_GATEWAY,
  path: '/ws/chat',
  codec: chatCodec,
  auth: 'required',
  roles: ROLES,
  messagesPerMinuteVar: ChatConfig.key('CHAT_MESSAGES_PER_MINUTE'),
  presence: true,
})
export class ChatGateway implements OnModuleInit {
  constructor(
    private readonly realtime: RealtimeService,
    private readonly registry: ConnectionRegistry,
    private readonly broadcaster: Broadcaster,
    private readonly messages: MessagesService,
  ) {}

  onModuleInit(): void {
    const b = this.broadcaster;
    const toParticipants = (e: ChatMessageEvent) => this.toUsers(e.participant_ids, e.message);
    b.on('chat.message_created', toParticipants);
    b.on('chat.message_edited', toParticipants);
    b.on('chat.message_deleted', toParticipants);

    // Whatever caused them (a chat message, a schedule change, PATCH /api/notifications/:id/read, …).
    b.on('notifications.created', ({ notification }) => this.toUsers([notification.user_id], notificationFrame(notification)));
    b.on('notifications.read', (e) => this.toUsers([e.user_id], { event: 'read', notification_id: e.notification_id }));
    b.on('notifications.read_all', (e) => this.toUsers([e.user_id], { event: 'read_all' }));
    b.on('notifications.deleted', (e) => this.toUsers([e.user_id], { event: 'deleted', notification_id: e.notification_id }));
  }

  /** `{conversation_id, content, type?}`: stored and sent back to everyone in it, this socket included. */
  @SubscribeMessage('message')
  @WsRoles()
  async message(@Conn() conn: Connection, @MessageBody() dto: SendMessageFrameDto): Promise<void> {
    await this.messages.send(conn.principal!.id, dto.conversation_id, dto.content, dto.type);
  }

  private toUsers(userIds: readonly string[], frame: object): void {
    const targets: Connection[] = [];
    for (const id of userIds) for (const c of this.registry.byUser(CHAT_GATEWAY, id)) targets.push(c);
    if (targets.length) this.realtime.broadcast(targets, frame);
  }
}

/** The seed's notification object; `link` is Go's sql.NullString as JSON. */
export function notificationFrame(n: NotificationSnapshot) {
  return {
    id: n.id,
    user_id: n.user_id,
    type: n.type,
    title: n.title,
    message: n.message,
    link: { String: n.link ?? '', Valid: n.link !== null },
    is_read: n.is_read,
    created_at: n.created_at,
  };
}
