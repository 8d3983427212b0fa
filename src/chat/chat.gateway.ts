import { OnModuleInit } from '@nestjs/common';
import { MessageBody, OnGatewayConnection, SubscribeMessage } from '@nestjs/websockets';
import { ROLES } from '../auth/principal';
import { NotificationSnapshot } from '../notifications/notifications.events';
import { Broadcaster } from '../realtime/broadcaster';
import { Connection } from '../realtime/connection';
import { ConnectionRegistry } from '../realtime/connections';
import { Conn, RealtimeGateway, WsRoles } from '../realtime/realtime-gateway.decorator';
import { RealtimeService } from '../realtime/realtime.service';
import { chatCodec } from './chat.codec';
import type { ChatFrame, ChatFrames } from './chat.frames';
import type { FrameOf } from '../realtime/frames';
import { ChatMessageEvent } from './chat.events';
import { SendMessageFrameDto, TypingFrameDto } from './dto/message.dto';
import { MessagesService } from './messages.service';
import { ChatConfig } from './chat.config';

export const CHAT_GATEWAY = 'chat';

interface ChatState {
  /** Connected with `?sync=1`: message frames carry seq/change_seq, and added events (seen, typing, unread, conversation) come. */
  sync?: boolean;
}

const SYNC_OPT_IN = new Set(['1', 'true']);

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
export class ChatGateway implements OnModuleInit, OnGatewayConnection {
  constructor(
    private readonly realtime: RealtimeService,
    private readonly registry: ConnectionRegistry,
    private readonly broadcaster: Broadcaster,
    private readonly messages: MessagesService,
  ) {}

  onModuleInit(): void {
    const b = this.broadcaster;
    // Seed clients get the seed's object byte for byte; sync clients the same object with seq, change_seq and deleted_by.
    const toParticipants = (e: ChatMessageEvent) => this.toUsers(e.participant_ids, e.message, { ...e.message, ...e.sync });
    b.on('chat.message_created', toParticipants);
    b.on('chat.message_edited', toParticipants);
    b.on('chat.message_deleted', toParticipants);

    // Added events, for sync clients only: a seed client never sees a frame it does not know.
    b.on('chat.read', (e) => {
      this.toUsers([e.user_id], null, { event: 'unread', conversation_id: e.conversation_id, last_read_seq: e.seq, unread_count: e.unread_count });
      this.toUsers(
        e.participant_ids.filter((id) => id !== e.user_id),
        null,
        { event: 'seen', conversation_id: e.conversation_id, user_id: e.user_id, seq: e.seq, read_at: e.read_at },
      );
    });
    b.on('chat.typing', (e) => {
      this.toUsers(
        e.participant_ids.filter((id) => id !== e.user_id),
        null,
        { event: 'typing', conversation_id: e.conversation_id, user_id: e.user_id, typing: e.typing },
        true,
      );
    });
    b.on('chat.conversation_changed', (e) => {
      this.toUsers(e.participant_ids, null, { event: 'conversation', conversation_id: e.conversation_id, change: e.change, user_id: e.user_id, by: e.by, at: e.at });
    });

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

  /** `{event: "typing", conversation_id, typing}` from a sync client: relayed to the other participants' sync sockets. */
  @SubscribeMessage('typing')
  @WsRoles()
  async typing(@Conn() conn: Connection, @MessageBody() dto: TypingFrameDto): Promise<void> {
    await this.messages.typing(conn.principal!.id, dto.conversation_id, dto.typing);
  }

  handleConnection(client: unknown): void {
    const conn = this.realtime.connectionOf<ChatState>(client);
    // A socket that opted in to reliable delivery hears the synced frames: its stream keeps one shape.
    conn.state.sync = SYNC_OPT_IN.has(conn.query.sync ?? '') || !!conn.recover;
    this.realtime.follow(conn, streamOf(conn.principal!.id));
  }

  /**
   * Each frame is encoded once per variant: `seed` to every socket, or
   * `synced` instead to sockets that opted in. A null `seed` is an added
   * event only sync clients hear. Reliable delivery: each user is a stream
   * (`user:<id>`) of the synced frames, kept even while the user is away;
   * an `ephemeral` frame (typing) is neither kept nor positioned.
   */
  private toUsers(userIds: readonly string[], seed: ChatFrame | null, synced: ChatFrame | null = seed, ephemeral = false): void {
    const plain: Connection[] = [];
    const sync: Connection[] = [];
    const event = this.realtime.currentEvent();
    for (const id of userIds) {
      let recovering: Connection[] | null = null;
      for (const c of this.registry.byUser(CHAT_GATEWAY, id)) {
        if (c.recover && !ephemeral) (recovering ??= []).push(c);
        else ((c as Connection<ChatState>).state.sync || c.recover ? sync : plain).push(c);
      }
      if (synced && !ephemeral) this.realtime.publish(CHAT_GATEWAY, streamOf(id), recovering ?? [], synced, undefined, event);
    }
    if (seed && plain.length) this.realtime.broadcast(plain, seed);
    if (synced && sync.length) this.realtime.broadcast(sync, synced);
  }
}

/** A user's stream: every frame any of their sockets hears. */
const streamOf = (userId: string) => `user:${userId}`;

/** The seed's notification object; `link` is Go's sql.NullString as JSON. */
export function notificationFrame(n: NotificationSnapshot): FrameOf<ChatFrames, 'notification'> {
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
