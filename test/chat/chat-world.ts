import assert from 'node:assert/strict';
import { TestApp, TestUser } from '../support/test-app';
import { Frame, TestSocket } from '../support/ws-client';

export const WS = '/ws/chat';
export const MESSAGE_KEYS = ['content', 'conversation_id', 'created_at', 'id', 'is_deleted', 'is_edited', 'message_type', 'sender_id'];
/** What REST adds to a message (and the socket, to sync clients only). */
export const SYNC_KEYS = ['change_seq', 'deleted_by', 'seq'];
export const REST_MESSAGE_KEYS = [...MESSAGE_KEYS, ...SYNC_KEYS].sort();

/** A REST message as a seed client's socket sees it: without the sync fields. */
export function seedView(m: Frame): Frame {
  const { seq: _seq, change_seq: _change, deleted_by: _by, ...rest } = m;
  return rest;
}

export const NOTIFICATION_KEYS = ['created_at', 'id', 'is_read', 'link', 'message', 'title', 'type', 'user_id'];
export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A chat message frame (bare object, no `event` key). */
export const isMessage =
  (match: Partial<Record<string, unknown>> = {}) =>
  (f: Frame): boolean =>
    'conversation_id' in f && 'sender_id' in f && !('event' in f) && Object.entries(match).every(([k, v]) => f[k] === v);

export const isError =
  (code?: string) =>
  (f: Frame): boolean =>
    f.event === 'error' && (code === undefined || f.code === code);

/** A notification `created` frame: the bare notification object. */
export const isNotification =
  (type?: string) =>
  (f: Frame): boolean =>
    'user_id' in f && 'link' in f && 'is_read' in f && (type === undefined || f.type === type);

/**
 * A round trip: /ws/chat answers a frame that is no message with
 * INVALID_MESSAGE; once that is back, every frame written to the socket
 * before it has arrived (one socket's frames keep their order), and the
 * socket is known to the server (messages wait until it is set up).
 */
export async function settle(...sockets: TestSocket[]): Promise<void> {
  await Promise.all(
    sockets.map(async (s) => {
      s.send({ settle: true });
      const err = await s.next((f) => f.event === 'error' && f.code === 'INVALID_MESSAGE', 5000, 'the INVALID_MESSAGE answer of a round trip');
      assert.equal(typeof err.message, 'string');
    }),
  );
}

/** Builders for the people, conversations and sockets a chat test needs. */
export class ChatWorld {
  private sockets: TestSocket[] = [];
  private n = 0;
  constructor(readonly t: TestApp) {}

  member(name?: string): Promise<TestUser> {
    return this.t.newUser({ role: 'member', name: name ?? `Member ${++this.n}` });
  }

  /** Opens /ws/chat with the token in the Authorization header (the seed's wscat example) or `?token=`, ready to use. */
  async connect(user: { token: string }, via: 'header' | 'query' = 'header'): Promise<TestSocket> {
    const s = via === 'header' ? await this.t.socket(WS, { token: user.token }) : await this.t.socket(`${WS}?token=${encodeURIComponent(user.token)}`);
    this.sockets.push(s);
    await settle(s);
    return s;
  }

  /** A client that opted in to sync (`?sync=1`): seq on messages, and the added events. */
  async connectSync(user: { token: string }): Promise<TestSocket> {
    const s = await this.t.socket(`${WS}?sync=1`, { token: user.token });
    this.sockets.push(s);
    await settle(s);
    return s;
  }

  async closeAll(): Promise<void> {
    const open = this.sockets.splice(0);
    for (const s of open) s.close();
    await Promise.all(open.map((s) => s.waitClose().catch(() => undefined)));
  }

  async conversation(owner: TestUser, others: TestUser[], title?: string): Promise<Frame> {
    const r = await this.t.http('POST', '/api/chat/conversations', { token: owner.token, body: { participant_ids: others.map((o) => o.id), ...(title ? { title } : {}) } });
    assert.ok(r.status === 201 || r.status === 200, `creating a conversation: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async post(user: TestUser, conversationId: string, content: string, type?: string): Promise<Frame> {
    const r = await this.t.http('POST', `/api/chat/conversations/${conversationId}/messages`, { token: user.token, body: { content, ...(type ? { type } : {}) } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  }

  async notifications(user: TestUser): Promise<Frame[]> {
    const r = await this.t.http('GET', '/api/notifications?limit=100', { token: user.token });
    assert.equal(r.status, 200);
    return r.body.items;
  }
}

/** The smallest valid PNG (1×1). */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

export function imageForm(bytes: Buffer, name = 'photo.png', type = 'image/png'): FormData {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
  return form;
}
