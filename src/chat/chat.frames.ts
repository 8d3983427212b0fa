import { Type } from '@sinclair/typebox';
import { AnyFrameOf, IsoTime, Nullable, outbound, Uuid } from '../realtime/frames';

/** Seed 003's error frame, shared by /ws/chat and the check-in dashboard. */
export const Seed003Error = Type.Object({
  event: Type.Literal('error'),
  code: Type.String({ description: 'INVALID_MESSAGE, RATE_LIMITED, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, TOO_MANY_CONNECTIONS, INTERNAL_ERROR, …' }),
  message: Type.String(),
  retry_after_ms: Type.Optional(Type.Integer({ description: 'With RATE_LIMITED' })),
  reason: Type.Optional(Type.String({ description: 'Why a token was refused: missing, malformed, expired, revoked' })),
  errors: Type.Optional(Type.Array(Type.Unknown(), { description: 'Validation failures' })),
});

/** Server → client frames of /ws/chat: bare objects, told apart by their fields. */
export const chatFrames = {
  message: outbound(
    Type.Object({
      id: Uuid(),
      conversation_id: Uuid(),
      sender_id: Nullable(Uuid('Null only once the sender’s account was deleted')),
      content: Type.String({ description: 'Empty once deleted' }),
      message_type: Type.Union([Type.Literal('text'), Type.Literal('image')]),
      created_at: IsoTime(),
      is_edited: Type.Boolean(),
      is_deleted: Type.Boolean(),
      seq: Type.Optional(Type.Integer({ description: 'Sockets that opted in with `?sync=1` only: the message’s place in its conversation, from 1' })),
      change_seq: Type.Optional(Type.Integer({ description: 'Sync sockets only: the conversation’s change counter at this create, edit or delete (`GET …/messages?after=`)' })),
      deleted_by: Type.Optional(Nullable(Uuid('Sync sockets only: who deleted it (a moderator may delete another’s message)'))),
    }),
    'A message was sent, edited (`is_edited`) or deleted (`is_deleted`, content emptied). Tell it from a notification by `conversation_id`.',
    'Every open chat socket of every participant, the sender’s included',
  ),
  notification: outbound(
    Type.Object({
      id: Uuid(),
      user_id: Uuid(),
      type: Type.String({ description: 'new_message, schedule_created, …' }),
      title: Type.String(),
      message: Type.String(),
      link: Type.Object({ String: Type.String(), Valid: Type.Boolean() }, { description: 'A nullable string: Valid false means none' }),
      is_read: Type.Boolean(),
      created_at: IsoTime(),
    }),
    'A notification was created (any domain’s: a chat message to a participant with no chat socket open, a schedule change, …).',
    'The owner’s chat sockets',
  ),
  read: outbound(Type.Object({ event: Type.Literal('read'), notification_id: Uuid() }), 'A notification was marked read.', 'The owner’s chat sockets'),
  read_all: outbound(Type.Object({ event: Type.Literal('read_all') }), 'All the owner’s notifications were marked read.', 'The owner’s chat sockets'),
  deleted: outbound(Type.Object({ event: Type.Literal('deleted'), notification_id: Uuid() }), 'A notification was deleted.', 'The owner’s chat sockets'),
  typing: outbound(
    Type.Object({ event: Type.Literal('typing'), conversation_id: Uuid(), user_id: Uuid(), typing: Type.Boolean() }),
    'A participant started or stopped typing (added event: sync sockets only).',
    'The other participants’ sockets that opted in with `?sync=1`',
  ),
  seen: outbound(
    Type.Object({ event: Type.Literal('seen'), conversation_id: Uuid(), user_id: Uuid(), seq: Type.Integer(), read_at: IsoTime() }),
    'A participant has read up to `seq` (a read receipt; added event: sync sockets only).',
    'The other participants’ sockets that opted in with `?sync=1`',
  ),
  unread: outbound(
    Type.Object({ event: Type.Literal('unread'), conversation_id: Uuid(), last_read_seq: Type.Integer(), unread_count: Type.Integer() }),
    'The reader’s own unread count of a conversation changed (read on another device; added event: sync sockets only).',
    'The reader’s sockets that opted in with `?sync=1`',
  ),
  conversation: outbound(
    Type.Object({
      event: Type.Literal('conversation'),
      conversation_id: Uuid(),
      change: Type.Union([Type.Literal('left'), Type.Literal('removed'), Type.Literal('archived')]),
      user_id: Uuid(),
      by: Uuid(),
      at: IsoTime(),
    }),
    'Someone left or was removed, or the conversation was archived (read-only); added event: sync sockets only.',
    'The participants’ sockets that opted in with `?sync=1`',
  ),
  error: outbound(Seed003Error, 'Bad input, a refused message or a refused connection (then a close code).', 'The sender'),
};

export type ChatFrames = typeof chatFrames;
export type ChatFrame = AnyFrameOf<ChatFrames>;
