import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProbeModule } from '../fixtures/probe.gateway';
import { TestApp, TestUser } from '../support/test-app';
import { TestSocket } from '../support/ws-client';

/** What an admin changes about a user ends that user's older sessions at once: tokens, refresh families and sockets. */
describe('security: sessions an admin can end', () => {
  let t: TestApp;
  before(async () => {
    t = await TestApp.start({ modules: [ProbeModule] });
  });
  after(() => t.stop());

  async function probe(token: string): Promise<TestSocket> {
    const s = await t.socket('/test/probe', { token });
    s.send({ type: 'whoami' });
    await s.next((f) => f.type === 'whoami');
    return s;
  }

  async function assertEnded(user: TestUser, socket: TestSocket): Promise<void> {
    assert.equal((await socket.waitClose(2000)).code, 4401, 'the open socket closes with 4401');
    assert.equal((await t.http('GET', '/api/users/me', { token: user.token })).status, 401, 'the old access token is refused');
    assert.equal((await t.http('POST', '/api/auth/refresh', { body: { refresh_token: user.refreshToken } })).status, 401, 'the old refresh token is refused');
  }

  it('a password change ends every older token and closes the sockets; the new password works', async () => {
    const user = await t.newUser({ role: 'employee' });
    const socket = await probe(user.token);
    // Cached for a few seconds by now: the change must not wait for that.
    assert.equal((await t.http('GET', '/api/users/me', { token: user.token })).status, 200);
    assert.equal((await t.http('PATCH', `/api/users/${user.id}`, { token: t.adminToken, body: { password: 'a-new-password-1' } })).status, 200);
    await assertEnded(user, socket);
    const fresh = await t.login(user.email, 'a-new-password-1');
    assert.equal((await t.http('GET', '/api/users/me', { token: fresh.access_token })).status, 200);
  });

  it('disabling and then re-enabling does not bring the old tokens back', async () => {
    const user = await t.newUser({ role: 'employee' });
    const socket = await probe(user.token);
    assert.equal((await t.http('PATCH', `/api/users/${user.id}`, { token: t.adminToken, body: { disabled: true } })).status, 200);
    assert.equal((await t.http('PATCH', `/api/users/${user.id}`, { token: t.adminToken, body: { disabled: false } })).status, 200);
    await assertEnded(user, socket);
    assert.equal((await t.http('GET', '/api/users/me', { token: (await t.login(user.email, user.password)).access_token })).status, 200);
  });

  it('a lowered role closes the privileged stream it opened and ends its tokens', async () => {
    const manager = await t.newUser({ role: 'manager' });
    const stream = await t.socket('/ws/attendance', { token: manager.token });
    assert.equal((await t.http('PATCH', `/api/users/${manager.id}`, { token: t.adminToken, body: { role: 'employee' } })).status, 200);
    await assertEnded(manager, stream);
    const again = await t.login(manager.email, manager.password);
    const refused = await t.socket('/ws/attendance', { token: again.access_token });
    assert.equal((await refused.waitClose(2000)).code, 4403, 'the new role may not open the stream');
  });

  it('an admin signs a user out everywhere: every login and socket ends; others are not touched', async () => {
    const user = await t.newUser({ role: 'member' });
    const second = await t.login(user.email, user.password);
    const sockets = [await probe(user.token), await probe(second.access_token)];
    const bystander = await t.newUser({ role: 'member' });
    const theirs = await probe(bystander.token);
    assert.equal((await t.http('POST', `/api/users/${user.id}/sign-out`, { token: bystander.token })).status, 403);
    assert.equal((await t.http('POST', `/api/users/${user.id}/sign-out`, { token: t.adminToken })).status, 204);
    await assertEnded(user, sockets[0]);
    assert.equal((await sockets[1].waitClose(2000)).code, 4401);
    assert.equal((await t.http('POST', '/api/auth/refresh', { body: { refresh_token: second.refresh_token } })).status, 401);
    assert.equal((await t.http('GET', '/api/users/me', { token: bystander.token })).status, 200);
    theirs.send({ type: 'whoami' });
    await theirs.next((f) => f.type === 'whoami');
    assert.equal((await t.http('POST', '/api/users/00000000-0000-4000-8000-000000000000/sign-out', { token: t.adminToken })).status, 404);
  });

  it('a change of name only ends nothing', async () => {
    const user = await t.newUser({ role: 'member' });
    assert.equal((await t.http('PATCH', `/api/users/${user.id}`, { token: t.adminToken, body: { name: 'Renamed' } })).status, 200);
    assert.equal((await t.http('GET', '/api/users/me', { token: user.token })).status, 200);
    assert.equal((await t.http('POST', '/api/auth/refresh', { body: { refresh_token: user.refreshToken } })).status, 200);
  });
});
