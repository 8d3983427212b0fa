import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProbeModule } from './fixtures/probe.gateway';
import { ADMIN, TestApp } from './support/test-app';
import { TestSocket, UpgradeRefused } from './support/ws-client';

const isType = (type: string) => (f: Record<string, any>) => f.type === type;

describe('realtime core (through a test gateway)', () => {
  let t: TestApp;

  before(async () => {
    t = await TestApp.start({ modules: [ProbeModule], env: { WS_MAX_FRAME_BYTES: '1024', WS_MESSAGES_PER_MINUTE: '20', WS_MAX_JSON_DEPTH: '8', WS_MAX_JSON_ARRAY_LENGTH: '50' } });
  });
  after(() => t.stop());

  describe('routing', () => {
    it('serves a gateway at its path and one with a :param path', async () => {
      const s = await t.socket('/test/probe', { token: t.adminToken });
      s.send({ type: 'echo', payload: { text: 'hi' } });
      assert.deepEqual(await s.next(isType('echo')), { type: 'echo', payload: { text: 'hi' } });
      const r = await t.socket('/test/rooms/blue');
      assert.deepEqual((await r.next(isType('joined'))).payload, { room: 'blue', authenticated: false });
    });

    it('refuses an unknown path, a sub-path and a plain HTTP path with HTTP 404', async () => {
      for (const path of ['/ws/nowhere', '/test/probe/extra', '/health', '/test/rooms']) {
        await assert.rejects(t.socket(path, { token: t.adminToken }), (e: unknown) => e instanceof UpgradeRefused && e.status === 404, path);
      }
    });

    it('closes with the code the gateway picks for an unknown resource', async () => {
      const s = await t.socket('/test/rooms/missing');
      const err = await s.next(isType('error'));
      assert.equal(err.payload.code, 'NOT_FOUND');
      assert.equal((await s.waitClose()).code, 4404);
    });
  });

  describe('disconnect', () => {
    it("runs the gateway's handleDisconnect once per socket, after the socket has left the core's registry", async () => {
      const stays = await t.socket('/test/rooms/exit');
      await stays.next(isType('joined'));
      const goes = await t.socket('/test/rooms/exit');
      await goes.next(isType('joined'));
      goes.close(1000);
      await goes.waitClose();
      const left = await stays.next(isType('left'));
      assert.equal(left.payload.close_code, 1000);
      assert.equal(left.payload.still_in_room, false);
      assert.equal(left.payload.room_size, 1);
      // Anything after the one 'left' frame would have arrived before this pong.
      stays.send({ type: 'ping' });
      await stays.next(isType('pong'));
      assert.equal(stays.seen(isType('left')).length, 0, 'exactly one left frame');
      stays.close();
      await stays.waitClose();
    });
  });

  describe('handshake authentication', () => {
    it('takes the token from the Authorization header', async () => {
      const s = await t.socket('/test/probe', { headers: { authorization: `Bearer ${t.adminToken}` } });
      s.send({ type: 'whoami' });
      assert.equal((await s.next(isType('whoami'))).payload.kind, 'user');
    });

    it('takes the token from ?token=', async () => {
      const device = await t.newDevice({ kind: 'display' });
      const s = await t.socket(`/test/probe?token=${encodeURIComponent(device.token)}`);
      s.send({ type: 'whoami' });
      const me = await s.next(isType('whoami'));
      assert.equal(me.payload.kind, 'device');
      assert.equal(me.payload.id, device.id);
    });

    for (const [label, token] of [
      ['a missing token', undefined],
      ['a malformed token', 'not-a-jwt'],
      ['a token with a bad signature', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'],
    ] as const) {
      it(`completes the upgrade, sends the refusal frame and closes 4401 for ${label}`, async () => {
        const s = await t.socket('/test/probe', token ? { token } : {});
        const err = await s.next(isType('error'));
        assert.equal(err.payload.code, 'UNAUTHENTICATED');
        assert.equal(typeof err.payload.message, 'string');
        assert.equal((await s.waitClose()).code, 4401);
      });
    }

    it('closes 4403 when the role may not use the gateway', async () => {
      const member = await t.newUser({ role: 'member' });
      const s = await t.socket('/test/admins', { token: member.token });
      assert.equal((await s.next(isType('error'))).payload.code, 'FORBIDDEN');
      assert.equal((await s.waitClose()).code, 4403);
      const admin = await t.socket('/test/admins', { token: t.adminToken });
      admin.send({ type: 'ping' });
      await admin.next(isType('pong'));
    });

    it('answers a message guarded by role with FORBIDDEN and keeps the socket', async () => {
      const member = await t.newUser({ role: 'member' });
      const s = await t.socket('/test/probe', { token: member.token });
      s.send({ type: 'admin_only' });
      assert.equal((await s.next(isType('error'))).payload.code, 'FORBIDDEN');
      s.send({ type: 'echo', payload: { text: 'still here' } });
      assert.equal((await s.next(isType('echo'))).payload.text, 'still here');
    });
  });

  describe('bad input', () => {
    it('answers invalid JSON, non-objects, unknown types and invalid bodies with INVALID_MESSAGE and stays usable', async () => {
      const s = await t.socket('/test/probe', { token: t.adminToken });
      for (const bad of ['{not json', '[1,2]', '"text"', 'null', JSON.stringify({ payload: {} }), JSON.stringify({ type: 'nope' }), JSON.stringify({ type: 'echo', payload: { text: 42 } })]) {
        s.send(bad);
        const err = await s.next(isType('error'), 5000, `error for ${bad}`);
        assert.equal(err.payload.code, 'INVALID_MESSAGE', bad);
        assert.ok(err.payload.message.length > 0);
      }
      s.send({ type: 'echo', payload: { text: 'ok' } });
      assert.equal((await s.next(isType('echo'))).payload.text, 'ok');
    });

    it('refuses frames nested too deep or with arrays too long before validation, with INVALID_MESSAGE, and stays usable', async () => {
      const s = await t.socket('/test/probe', { token: t.adminToken });
      const deep = '['.repeat(300) + ']'.repeat(300);
      const wide = JSON.stringify(Array.from({ length: 51 }, () => 0));
      for (const [bad, why] of [
        [`{"type":"echo","payload":{"text":${deep}}}`, /deeper than 8 levels/],
        [`{"type":"echo","payload":{"text":"x","list":${wide}}}`, /more than 50 items/],
      ] as const) {
        s.send(bad);
        const err = await s.next(isType('error'), 5000, `error for ${bad.slice(0, 40)}`);
        assert.equal(err.payload.code, 'INVALID_MESSAGE');
        assert.match(err.payload.message, why, 'refused by the core, not by validation');
      }
      s.send({ type: 'echo', payload: { text: 'still here' } });
      assert.equal((await s.next(isType('echo'))).payload.text, 'still here');
      assert.ok(s.isOpen);
    });

    it('reports a failing handler as an error frame and stays usable', async () => {
      const s = await t.socket('/test/probe', { token: t.adminToken });
      s.send({ type: 'boom' });
      assert.equal((await s.next(isType('error'))).payload.code, 'INTERNAL');
      s.send({ type: 'echo', payload: { text: 'alive' } });
      await s.next(isType('echo'));
    });

    it('closes with 1009 on a frame over WS_MAX_FRAME_BYTES', async () => {
      const s = await t.socket('/test/probe', { token: t.adminToken });
      s.send({ type: 'echo', payload: { text: 'x'.repeat(2000) } });
      assert.equal((await s.waitClose()).code, 1009);
    });

    it('handles one socket’s messages in order, also across slow handlers', async () => {
      const s = await t.socket('/test/probe', { token: t.adminToken });
      s.send({ type: 'slow', payload: { ms: 150, tag: 'first' } });
      s.send({ type: 'echo', payload: { text: 'second' } });
      s.send({ type: 'slow', payload: { ms: 0, tag: 'third' } });
      const order: string[] = [];
      for (let i = 0; i < 3; i++) {
        const f = await s.next((f) => f.type === 'slow' || f.type === 'echo');
        order.push(f.payload.tag ?? f.payload.text);
      }
      assert.deepEqual(order, ['first', 'second', 'third']);
    });
  });

  describe('limits', () => {
    it('answers RATE_LIMITED over the message rate and closes 4429 at twice the rate', async () => {
      const s = await t.socket('/test/probe', { token: t.adminToken });
      for (let i = 0; i < 20; i++) s.send({ type: 'echo', payload: { text: String(i) } });
      for (let i = 0; i < 20; i++) await s.next(isType('echo'));
      s.send({ type: 'echo', payload: { text: 'over' } });
      const limited = await s.next(isType('error'));
      assert.equal(limited.payload.code, 'RATE_LIMITED');
      assert.ok(limited.payload.retry_after_ms > 0);
      for (let i = 0; i < 20; i++) s.send({ type: 'echo', payload: { text: 'more' } });
      assert.equal((await s.waitClose()).code, 4429);
      assert.equal(s.seen(isType('echo')).filter((f) => f.payload.text === 'more').length, 0, 'messages over the limit are not handled');
    });
  });

  describe('revocation and expiry', () => {
    it('closes a revoked device’s sockets with 4401 within a second', async () => {
      const device = await t.newDevice({ kind: 'player' });
      const a = await t.socket('/test/probe', { token: device.token });
      const b = await t.socket('/test/rooms/red', { token: device.token });
      await b.next(isType('joined'));
      const started = Date.now();
      assert.equal((await t.http('DELETE', `/api/devices/${device.id}`, { token: t.adminToken })).status, 204);
      const [ca, cb] = await Promise.all([a.waitClose(1000), b.waitClose(1000)]);
      assert.equal(ca.code, 4401);
      assert.equal(cb.code, 4401);
      assert.ok(Date.now() - started < 1000);
      await assert.rejects(
        t
          .socket('/test/probe', { token: device.token })
          .then((s) => s.waitClose())
          .then((c) => {
            throw new Error(`closed ${c.code}`);
          }),
        /closed 4401/,
      );
    });

    it('closes a disabled user’s sockets with 4401', async () => {
      const user = await t.newUser({ role: 'employee' });
      const s = await t.socket('/test/probe', { token: user.token });
      assert.equal((await t.http('PATCH', `/api/users/${user.id}`, { token: t.adminToken, body: { disabled: true } })).status, 200);
      assert.equal((await s.waitClose(1000)).code, 4401);
    });

    it('closes the sockets of a login that signs out with 4401, and keeps the same user’s other logins', async () => {
      const user = await t.newUser({ role: 'employee' });
      const other = await t.login(user.email, user.password);
      const signedOut = await t.socket('/test/probe', { token: user.token });
      const kept = await t.socket('/test/probe', { token: other.access_token });
      assert.equal((await t.http('POST', '/api/auth/logout', { body: { refresh_token: user.refreshToken } })).status < 300, true);
      const err = await signedOut.next(isType('error'), 1000);
      assert.equal(err.payload.code, 'UNAUTHENTICATED');
      assert.equal(err.payload.reason, 'revoked');
      assert.equal((await signedOut.waitClose(1000)).code, 4401);
      kept.send({ type: 'echo', payload: { text: 'still here' } });
      assert.equal((await kept.next(isType('echo'))).payload.text, 'still here');
      await assert.rejects(
        t
          .socket('/test/probe', { token: user.token })
          .then((s) => s.waitClose())
          .then((c) => {
            throw new Error(`closed ${c.code}`);
          }),
        /closed 4401/,
      );
    });

    it('sends the refusal frame and closes 4401 when the token expires on a live socket', async () => {
      const user = await t.newUser({ role: 'member' });
      const s = await t.socket('/test/probe', { token: user.token });
      s.send({ type: 'echo', payload: { text: 'before' } });
      await s.next(isType('echo'));
      t.clock.advance(t.config.auth.accessTtlSeconds * 1000 + 1000);
      const err = await s.next(isType('error'));
      assert.equal(err.payload.code, 'UNAUTHENTICATED');
      assert.equal(err.payload.reason, 'expired');
      assert.equal((await s.waitClose()).code, 4401);
      t.adminToken = (await t.login(ADMIN.email, ADMIN.password)).access_token;
    });
  });

  describe('broadcast', () => {
    it('delivers one broadcast to every socket of the audience and to no one else', async () => {
      const green: TestSocket[] = [];
      for (let i = 0; i < 50; i++) green.push(await t.socket('/test/rooms/green'));
      const other = await t.socket('/test/rooms/other');
      await Promise.all([...green, other].map((s) => s.next(isType('joined'))));
      const r = await t.http('POST', '/test/rooms/green/announce', { token: t.adminToken, body: { text: 'hello green' } });
      assert.equal(r.status, 202);
      const got = await Promise.all(green.map((s) => s.next(isType('announced'))));
      assert.ok(got.every((f) => f.payload.text === 'hello green'));
      other.send({ type: 'ping' });
      await other.next(isType('pong'));
      assert.equal(other.seen(isType('announced')).length, 0);
    });
  });
});

describe('realtime core metrics', () => {
  it('exposes open sockets, frames, broadcasts and refusals in Prometheus format at /metrics', async () => {
    const t = await TestApp.start({ modules: [ProbeModule] });
    try {
      const s = await t.socket('/test/rooms/m');
      await s.next(isType('joined'));
      await assert.rejects(t.socket('/ws/nowhere'));
      const refused = await t.socket('/test/probe');
      await refused.waitClose();
      await t.http('POST', '/test/rooms/m/announce', { token: t.adminToken, body: { text: 'x' } });
      await s.next(isType('announced'));
      const r = await t.http('GET', '/metrics');
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type') ?? '', /text\/plain/);
      const body = String(r.body);
      assert.match(body, /switchboard_ws_open_sockets\{gateway="rooms",instance="[^"]+"\} 1/);
      assert.match(body, /switchboard_ws_refused_handshakes_total\{gateway="unknown",reason="not_found"\} 1/);
      assert.match(body, /switchboard_ws_refused_handshakes_total\{gateway="probe",reason="unauthenticated"\} 1/);
      assert.match(body, /switchboard_ws_broadcasts_total\{gateway="rooms"\} 1/);
      assert.match(body, /switchboard_ws_broadcast_fanout_seconds_count\{gateway="rooms"\} 1/);
      // The standard process and event-loop metrics come with the registry.
      assert.match(body, /^process_resident_memory_bytes \d+/m);
      assert.match(body, /^nodejs_eventloop_lag_seconds /m);
      assert.equal(r.headers.get('cache-control'), 'no-store');
    } finally {
      await t.stop();
    }
  });
});

describe('realtime core shutdown', () => {
  it('closes every socket with 1001 and refuses new upgrades', async () => {
    const t = await TestApp.start({ modules: [ProbeModule] });
    const a = await t.socket('/test/probe', { token: t.adminToken });
    const b = await t.socket('/test/rooms/x');
    await b.next(isType('joined'));
    const closing = t.stop();
    const [ca, cb] = await Promise.all([a.waitClose(), b.waitClose()]);
    assert.equal(ca.code, 1001);
    assert.equal(cb.code, 1001);
    await closing;
  });
});
