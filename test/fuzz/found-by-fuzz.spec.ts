import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { TestApp, TestUser } from '../support/test-app';

/** The failures the fuzz suites found outside issue 14's list, each pinned by a plain example. */
describe('found by fuzzing', () => {
  let t: TestApp;
  let a: TestUser;
  let b: TestUser;

  before(async () => {
    t = await TestApp.start();
    a = await t.newUser({ role: 'member' });
    b = await t.newUser({ role: 'member' });
  });
  after(() => t?.stop());

  it('a chat message with "type": null is a text message, over REST and the socket (was 500 / INTERNAL_ERROR)', async () => {
    const conv = await t.http('POST', '/api/chat/conversations', { token: a.token, body: { participant_ids: [b.id] } });
    assert.equal(conv.status, 201);
    const r = await t.http('POST', `/api/chat/conversations/${conv.body.id}/messages`, { token: a.token, body: { content: 'hi', type: null } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.message_type, 'text');
    const s = await t.socket('/ws/chat', { token: a.token });
    s.send({ conversation_id: conv.body.id, content: 'over the socket', type: null });
    const echoed = await s.next((f) => f.content === 'over the socket' || f.event === 'error');
    assert.equal(echoed.message_type, 'text', JSON.stringify(echoed));
  });

  it('a shift PATCH with a null time is 400 (was 500)', async () => {
    const shift = await t.http('POST', '/api/shifts', { token: t.adminToken, body: { name: 'Morning', start_time: '09:00', end_time: '17:00' } });
    assert.equal(shift.status, 201, JSON.stringify(shift.body));
    const r = await t.http('PATCH', `/api/shifts/${shift.body.id}`, { token: t.adminToken, body: { end_time: null } });
    assert.equal(r.status, 400, JSON.stringify(r.body));
  });

  it('null for a field that cannot be null is 400, and null where a field can be cleared still clears it (was 500)', async () => {
    const client = await t.http('POST', '/api/attendance/clients', { token: t.adminToken, body: { gender: 'female', age: 30 } });
    assert.equal(client.status, 201, JSON.stringify(client.body));
    const r = await t.http('PATCH', `/api/attendance/clients/${client.body.id}`, { token: t.adminToken, body: { gender: 'female', age: 1, consent: null } });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.match(JSON.stringify(r.body), /consent may not be null/);
    const cleared = await t.http('PATCH', `/api/attendance/clients/${client.body.id}`, { token: t.adminToken, body: { age: null } });
    assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
    assert.equal(cleared.body.age, null);
    assert.equal(cleared.body.consent, true);
  });

  it('a refusal quoting a long non-ASCII value closes cleanly: the close reason is cut to 123 bytes (was a second, internal error)', async () => {
    const s = await t.socket('/ws/queue', { token: t.adminToken });
    const type = '😀'.repeat(50);
    s.send({ type: 'REGISTER_CLIENT', payload: { client_type: type, client_id: 'x', location: '' } });
    const closed = await s.waitClose();
    const errors = s.seen((f) => f.type === 'ERROR');
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.match(errors[0].payload.message, /Unknown client_type/);
    assert.ok(Buffer.byteLength(closed.reason) <= 123 && closed.reason.startsWith('Unknown client_type'), closed.reason);
    assert.equal(closed.reason, [...closed.reason].join(''), 'whole characters only');
  });

  it('a notification for a user who does not exist is 404 (was 500)', async () => {
    const r = await t.http('POST', '/api/notifications', { token: t.adminToken, body: { user_id: randomUUID(), type: 'announcement', title: 'Hello' } });
    assert.equal(r.status, 404, JSON.stringify(r.body));
    assert.equal(r.body.error, 'NOT_FOUND');
  });

  it('a multipart part without a field name is 400 (was 500)', async () => {
    const boundary = 'switchboard-fuzz';
    const body = `--${boundary}\r\nContent-Disposition: form-data\r\n\r\nvalue\r\n--${boundary}--\r\n`;
    const res = await fetch(`${t.baseUrl}/api/chat/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${a.token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    assert.equal(res.status, 400, await res.text());
  });
});
