import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ADMIN, TestApp } from './support/test-app';

describe('auth: login, refresh, logout', () => {
  let t: TestApp;
  before(async () => {
    t = await TestApp.start();
  });
  after(() => t.stop());

  it('logs in with the contract’s response shape', async () => {
    const r = await t.http('POST', '/api/auth/login', { body: ADMIN });
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body).sort(), ['access_token', 'expires_in', 'refresh_token', 'token_type', 'user']);
    assert.equal(r.body.token_type, 'Bearer');
    assert.equal(r.body.expires_in, 900);
    assert.deepEqual(Object.keys(r.body.user).sort(), ['email', 'id', 'name', 'role']);
    assert.equal(r.body.user.role, 'admin');
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    const wrong = await t.http('POST', '/api/auth/login', { body: { email: ADMIN.email, password: 'not-the-password' } });
    const unknown = await t.http('POST', '/api/auth/login', { body: { email: 'nobody@example.com', password: 'not-the-password' } });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.equal(wrong.body.message, unknown.body.message);
    assert.equal((await t.http('POST', '/api/auth/login', { body: { email: 'not an email', password: 'x' } })).status, 400);
  });

  it('refreshes once: the new pair works, the spent token fails and revokes the whole login', async () => {
    const user = await t.newUser({ role: 'member' });
    const first = await t.http('POST', '/api/auth/refresh', { body: { refresh_token: user.refreshToken } });
    assert.equal(first.status, 200);
    assert.notEqual(first.body.refresh_token, user.refreshToken);
    assert.notEqual(first.body.access_token, user.token, 'a new access token, also within the same second');
    assert.equal((await t.http('GET', '/api/users/me', { token: first.body.access_token })).status, 200);
    const replay = await t.http('POST', '/api/auth/refresh', { body: { refresh_token: user.refreshToken } });
    assert.equal(replay.status, 401);
    // The replay revoked the family: the newer refresh token and the family's access tokens stop working.
    assert.equal((await t.http('POST', '/api/auth/refresh', { body: { refresh_token: first.body.refresh_token } })).status, 401);
    assert.equal((await t.http('GET', '/api/users/me', { token: first.body.access_token })).status, 401);
    assert.equal((await t.http('GET', '/api/users/me', { token: user.token })).status, 401);
    // Another login of the same user is not affected.
    const other = await t.login(user.email, user.password);
    assert.equal((await t.http('GET', '/api/users/me', { token: other.access_token })).status, 200);
  });

  it('logs out: the refresh token and the login’s access token stop working', async () => {
    const user = await t.newUser({ role: 'member' });
    assert.equal((await t.http('POST', '/api/auth/logout', { body: { refresh_token: user.refreshToken } })).status, 204);
    assert.equal((await t.http('POST', '/api/auth/refresh', { body: { refresh_token: user.refreshToken } })).status, 401);
    assert.equal((await t.http('GET', '/api/users/me', { token: user.token })).status, 401);
  });

  it('stores passwords with scrypt and refresh tokens only as hashes', async () => {
    const user = await t.newUser({ role: 'member' });
    const ds = t.get(DataSource);
    const [row] = await ds.query('SELECT password_hash FROM users WHERE id = $1', [user.id]);
    assert.match(row.password_hash, /^scrypt\$\d+\$8\$1\$/);
    assert.ok(!row.password_hash.includes(user.password));
    const tokens = await ds.query('SELECT token_hash FROM refresh_tokens WHERE user_id = $1', [user.id]);
    assert.ok(tokens.some((r: { token_hash: string }) => r.token_hash === createHash('sha256').update(user.refreshToken).digest('hex')));
  });
});

describe('auth: 401 versus 403', () => {
  let t: TestApp;
  before(async () => {
    t = await TestApp.start();
  });
  after(() => t.stop());

  it('answers 401 without a valid token and 403 for the wrong role', async () => {
    assert.equal((await t.http('GET', '/api/users')).status, 401);
    assert.equal((await t.http('GET', '/api/users', { token: 'not-a-token' })).status, 401);
    const member = await t.newUser({ role: 'member' });
    const forbidden = await t.http('GET', '/api/users', { token: member.token });
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.body.error, 'FORBIDDEN');
    assert.equal((await t.http('POST', '/api/devices', { token: member.token, body: { name: 'x', kind: 'display' } })).status, 403);
  });

  it('answers 401 once the access token has expired', async () => {
    const member = await t.newUser({ role: 'member' });
    assert.equal((await t.http('GET', '/api/users/me', { token: member.token })).status, 200);
    t.clock.advance(t.config.auth.accessTtlSeconds * 1000 + 1);
    const r = await t.http('GET', '/api/users/me', { token: member.token });
    assert.equal(r.status, 401);
    assert.match(r.body.message, /expired/);
    t.adminToken = (await t.login(ADMIN.email, ADMIN.password)).access_token;
  });
});

describe('users (admin)', () => {
  let t: TestApp;
  before(async () => {
    t = await TestApp.start();
  });
  after(() => t.stop());

  it('creates, lists, reads, changes and deletes users; never returns a password', async () => {
    const created = await t.http('POST', '/api/users', { token: t.adminToken, body: { email: 'Ana@Example.com', password: 'long-password', name: 'Ana', role: 'officer' } });
    assert.equal(created.status, 201);
    assert.equal(created.body.email, 'ana@example.com');
    assert.ok(!('password' in created.body) && !('password_hash' in created.body) && !('passwordHash' in created.body));
    assert.equal((await t.http('POST', '/api/users', { token: t.adminToken, body: { email: 'ana@example.com', password: 'long-password', name: 'Ana', role: 'officer' } })).status, 409);
    const list = await t.http('GET', '/api/users', { token: t.adminToken });
    assert.ok(list.body.some((u: { id: string }) => u.id === created.body.id));
    assert.equal((await t.http('GET', `/api/users/${created.body.id}`, { token: t.adminToken })).body.name, 'Ana');
    const patched = await t.http('PATCH', `/api/users/${created.body.id}`, { token: t.adminToken, body: { role: 'leader', name: 'Ana L' } });
    assert.equal(patched.body.role, 'leader');
    assert.equal(patched.body.name, 'Ana L');
    assert.equal((await t.http('DELETE', `/api/users/${created.body.id}`, { token: t.adminToken })).status, 204);
    assert.equal((await t.http('GET', `/api/users/${created.body.id}`, { token: t.adminToken })).status, 404);
  });

  it('refuses invalid bodies and ids with 400 and a message naming the problem', async () => {
    const r = await t.http('POST', '/api/users', { token: t.adminToken, body: { email: 'x@example.com', password: 'short', name: 'X', role: 'wizard' } });
    assert.equal(r.status, 400);
    assert.equal(r.body.error, 'VALIDATION_FAILED');
    assert.match(r.body.message, /password/);
    assert.match(r.body.message, /role/);
    assert.equal((await t.http('GET', '/api/users/not-a-uuid', { token: t.adminToken })).status, 400);
  });

  it('a disabled user can no longer log in or use their tokens', async () => {
    const user = await t.newUser({ role: 'member' });
    assert.equal((await t.http('PATCH', `/api/users/${user.id}`, { token: t.adminToken, body: { disabled: true } })).body.disabled, true);
    assert.equal((await t.http('POST', '/api/auth/login', { body: { email: user.email, password: user.password } })).status, 401);
    assert.equal((await t.http('GET', '/api/users/me', { token: user.token })).status, 401);
  });
});

describe('devices', () => {
  let t: TestApp;
  before(async () => {
    t = await TestApp.start();
  });
  after(() => t.stop());

  it('shows a device token once, stores only its hash, and accepts it as a bearer token', async () => {
    const r = await t.http('POST', '/api/devices', { token: t.adminToken, body: { name: 'Hall TV', kind: 'display', location: 'main-hall', counter_id: 3 } });
    assert.equal(r.status, 201);
    assert.equal(typeof r.body.token, 'string');
    assert.equal(r.body.kind, 'display');
    assert.equal(r.body.counter_id, 3);
    const list = await t.http('GET', '/api/devices', { token: t.adminToken });
    assert.ok(list.body.every((d: Record<string, unknown>) => !('token' in d)));
    assert.ok(!('token' in (await t.http('GET', `/api/devices/${r.body.id}`, { token: t.adminToken })).body));
    const [row] = await t.get(DataSource).query('SELECT token_hash FROM devices WHERE id = $1', [r.body.id]);
    assert.equal(row.token_hash, createHash('sha256').update(r.body.token).digest('hex'));
    const me = await t.http('GET', '/api/users/me', { token: r.body.token });
    assert.equal(me.status, 200);
    assert.equal(me.body.kind, 'device');
    assert.equal(me.body.device_kind, 'display');
  });

  it('refuses a revoked display at its next handshake, though its principal is kept between connections', async () => {
    const d = await t.newDevice({ kind: 'display' });
    for (let i = 0; i < 2; i++) {
      const s = await t.socket('/ws/queue', { token: d.token });
      s.send({ type: 'REGISTER_CLIENT', payload: { client_type: 'tv', client_id: `tv-revoked-${d.id}` } });
      await s.next((f) => f.type === 'CONNECTION_ACK');
      s.close();
      await s.waitClose();
    }
    assert.equal((await t.http('DELETE', `/api/devices/${d.id}`, { token: t.adminToken })).status, 204);
    const again = await t.socket('/ws/queue', { token: d.token });
    assert.equal((await again.waitClose()).code, 4401);
  });

  it('revokes a device: its token stops working', async () => {
    const d = await t.newDevice({ kind: 'kiosk' });
    assert.equal((await t.http('DELETE', `/api/devices/${d.id}`, { token: t.adminToken })).status, 204);
    assert.equal((await t.http('GET', '/api/users/me', { token: d.token })).status, 401);
    assert.ok((await t.http('GET', `/api/devices/${d.id}`, { token: t.adminToken })).body.revoked_at);
    assert.equal((await t.http('POST', '/api/devices', { token: t.adminToken, body: { name: 'x', kind: 'toaster' } })).status, 400);
  });
});

describe('login throttling', () => {
  it('answers 429 with Retry-After past the per-account limit, and past the per-address limit', async () => {
    const t = await TestApp.start({ env: { LOGIN_ATTEMPTS_PER_ACCOUNT: '3', LOGIN_ATTEMPTS_PER_IP: '6' } });
    try {
      const a = await t.newUser({ role: 'member' });
      const b = await t.newUser({ role: 'member' });
      for (let i = 0; i < 3; i++) assert.equal((await t.http('POST', '/api/auth/login', { body: { email: a.email, password: 'wrong-password' } })).status, 401);
      const locked = await t.http('POST', '/api/auth/login', { body: { email: a.email, password: a.password } });
      assert.equal(locked.status, 429);
      assert.ok(Number(locked.headers.get('retry-after')) > 0);
      // Another account from the same address still works until the address limit.
      assert.equal((await t.http('POST', '/api/auth/login', { body: { email: b.email, password: b.password } })).status, 200);
      for (let i = 0; i < 3; i++) await t.http('POST', '/api/auth/login', { body: { email: `x${i}@example.com`, password: 'wrong-password' } });
      assert.equal((await t.http('POST', '/api/auth/login', { body: { email: b.email, password: b.password } })).status, 429);
      // The window passes.
      t.clock.advance(t.config.auth.loginWindowSeconds * 1000 + 1);
      assert.equal((await t.http('POST', '/api/auth/login', { body: { email: a.email, password: a.password } })).status, 200);
    } finally {
      await t.stop();
    }
  });
});

describe('bootstrap admin and a kept database', () => {
  it('creates the admin once on an empty database and keeps data across a restart', async () => {
    const first = await TestApp.start();
    const created = await first.newUser({ role: 'manager', email: 'kept@example.com' });
    await first.stop({ keepDatabase: true });
    const second = await TestApp.start({ database: first.database });
    try {
      const users = (await second.http('GET', '/api/users', { token: second.adminToken })).body;
      assert.equal(users.filter((u: { role: string }) => u.role === 'admin').length, 1);
      assert.ok(users.some((u: { id: string }) => u.id === created.id));
      assert.equal((await second.http('POST', '/api/auth/login', { body: { email: 'kept@example.com', password: created.password } })).status, 200);
    } finally {
      await second.stop();
    }
  });
});
