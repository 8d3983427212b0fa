import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { ProbeModule, slowRequests } from './fixtures/probe.gateway';
import { TestApp } from './support/test-app';
import { TestSocket } from './support/ws-client';
import { until } from './support/wait';
import { RealtimeService } from '../src/realtime/realtime.service';

const isType = (type: string) => (f: Record<string, any>) => f.type === type;

describe('realtime core: in-band authentication and connection limits', () => {
  let t: TestApp;

  before(async () => {
    t = await TestApp.start({ modules: [ProbeModule], env: { PROBE_AUTH_TIMEOUT_MS: '5000', PROBE_MAX_PER_USER: '2', PROBE_CONNECTIONS_PER_MINUTE: '1000' } });
  });
  after(() => t.stop());

  it('answers messages before authentication with UNAUTHENTICATED and accepts a token in band', async () => {
    const s = await t.socket('/test/inband');
    s.send({ type: 'secret' });
    assert.equal((await s.next(isType('error'))).payload.code, 'UNAUTHENTICATED');
    s.send({ type: 'auth', payload: { token: t.adminToken } });
    await s.next(isType('authenticated'));
    s.send({ type: 'secret' });
    assert.deepEqual((await s.next(isType('secret'))).payload, { ok: true });
  });

  it('handles messages sent back to back in order while authentication is still running', async () => {
    const s = await t.socket('/test/inband');
    s.send({ type: 'auth', payload: { token: t.adminToken } });
    s.send({ type: 'secret' });
    await s.next(isType('authenticated'));
    assert.deepEqual((await s.next(isType('secret'))).payload, { ok: true });
    assert.equal(s.seen(isType('error')).length, 0);
  });

  it('closes 4401 after the error frame for a bad in-band token', async () => {
    const s = await t.socket('/test/inband');
    s.send({ type: 'auth', payload: { token: 'garbage' } });
    assert.equal((await s.next(isType('error'))).payload.code, 'UNAUTHENTICATED');
    assert.equal((await s.waitClose()).code, 4401);
  });

  it('closes 4408 when no authentication arrives in time (injected clock)', async () => {
    const s = await t.socket('/test/inband');
    s.send({ type: 'secret' });
    await s.next(isType('error'));
    t.clock.advance(5001);
    assert.equal((await s.next(isType('error'))).payload.code, 'AUTH_TIMEOUT');
    assert.equal((await s.waitClose()).code, 4408);
  });

  it('refuses a user’s socket over the per-user limit with 4429', async () => {
    const user = await t.newUser({ role: 'employee' });
    const a = await t.socket('/test/inband', { token: user.token });
    const b = await t.socket('/test/inband');
    b.send({ type: 'auth', payload: { token: user.token } });
    await b.next(isType('authenticated'));
    const c = await t.socket('/test/inband', { token: user.token });
    assert.equal((await c.next(isType('error'))).payload.code, 'TOO_MANY_CONNECTIONS');
    assert.equal((await c.waitClose()).code, 4429);
    a.close();
    await a.waitClose();
    const d = await t.socket('/test/inband', { token: user.token });
    d.send({ type: 'secret' });
    await d.next(isType('secret'));
  });

  it('closes a socket with 1013 when its unsent buffer passes WS_MAX_BUFFERED_BYTES', async () => {
    const reader = await t.newUser();
    const s = await t.socket('/test/inband', { token: reader.token });
    s.send({ type: 'flood', payload: { count: 2000 } });
    const closed = await s.waitClose(15000);
    assert.equal(closed.code, 1013);
    assert.ok(s.frames.length < 2000, 'the server stopped writing to the slow socket');
  });
});

describe('realtime core: per-address connection rate', () => {
  it('refuses new sockets from one address over the limit with 4429, and allows them again a minute later', async () => {
    const t = await TestApp.start({ modules: [ProbeModule], env: { PROBE_CONNECTIONS_PER_MINUTE: '3', PROBE_MAX_PER_USER: '10' } });
    try {
      for (let i = 0; i < 3; i++) {
        const s = await t.socket('/test/inband', { token: t.adminToken });
        s.send({ type: 'secret' });
        await s.next(isType('secret'));
      }
      const over = await t.socket('/test/inband', { token: t.adminToken });
      assert.equal((await over.next(isType('error'))).payload.code, 'TOO_MANY_CONNECTIONS');
      assert.equal((await over.waitClose()).code, 4429);
      t.clock.advance(61_000);
      t.adminToken = (await t.login('admin@example.com', 'admin-password-1')).access_token;
      const again = await t.socket('/test/inband', { token: t.adminToken });
      again.send({ type: 'secret' });
      await again.next(isType('secret'));
    } finally {
      await t.stop();
    }
  });
});

describe('realtime core: open sockets per address', () => {
  it('refuses a socket over WS_MAX_SOCKETS_PER_IP (all gateways together) with 4429, and admits one again when another closes', async () => {
    const t = await TestApp.start({ modules: [ProbeModule], env: { WS_MAX_SOCKETS_PER_IP: '3' } });
    try {
      const a = await t.socket('/test/rooms/one');
      await a.next(isType('joined'));
      const b = await t.socket('/test/rooms/two');
      await b.next(isType('joined'));
      const c = await t.socket('/test/probe', { token: t.adminToken });
      c.send({ type: 'whoami' });
      await c.next(isType('whoami'));
      const over = await t.socket('/test/rooms/three');
      assert.equal((await over.next(isType('error'))).payload.code, 'TOO_MANY_CONNECTIONS');
      assert.equal((await over.waitClose()).code, 4429);
      assert.equal(over.seen(isType('joined')).length, 0, 'the refused socket never reached the gateway');
      a.close();
      await a.waitClose();
      await until(() => t.get(RealtimeService).openSockets() === 2, 'the server to see the socket closed');
      const again = await t.socket('/test/rooms/three');
      await again.next(isType('joined'));
      assert.ok(b.isOpen && c.isOpen);
    } finally {
      await t.stop();
    }
  });
});

describe('realtime core: heartbeat', () => {
  it('terminates a peer that does not answer pings and keeps one that does', async () => {
    const t = await TestApp.start({ modules: [ProbeModule], env: { WS_HEARTBEAT_MS: '100' } });
    try {
      const silent = new WebSocket(`${t.wsBase}/test/rooms/hb`, { autoPong: false });
      await once(silent, 'open');
      const healthy = await t.socket('/test/rooms/hb');
      let pings = 0;
      const threePings = new Promise<void>((resolve) => healthy.ws.on('ping', () => ++pings === 3 && resolve()));
      const [code] = (await Promise.race([once(silent, 'close'), new Promise((_, r) => setTimeout(() => r(new Error('silent peer not terminated')), 5000))])) as [number];
      assert.equal(code, 1006, 'terminated without a close frame');
      await Promise.race([threePings, new Promise((_, r) => setTimeout(() => r(new Error('no pings')), 5000))]);
      assert.ok(healthy.isOpen);
    } finally {
      await t.stop();
    }
  });
});

describe('graceful shutdown', () => {
  it('finishes a REST request that is in flight while sockets close with 1001', async () => {
    const t = await TestApp.start({ modules: [ProbeModule] });
    const s: TestSocket = await t.socket('/test/rooms/bye');
    await s.next(isType('joined'));
    const arrived = once(slowRequests, 'arrived');
    const request = t.http('GET', '/test/slow?ms=400');
    await arrived;
    const stopping = t.stop();
    assert.equal((await s.waitClose()).code, 1001);
    const r = await request;
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { done: true });
    await stopping;
  });
});

describe('realtime core: permessage-deflate', () => {
  it('still delivers broadcasts to sockets that negotiated compression', async () => {
    const t = await TestApp.start({ modules: [ProbeModule], env: { WS_PER_MESSAGE_DEFLATE: 'true' } });
    try {
      const s = await t.socket('/test/rooms/zip');
      assert.match(s.ws.extensions, /permessage-deflate/);
      await s.next(isType('joined'));
      assert.equal((await t.http('POST', '/test/rooms/zip/announce', { token: t.adminToken, body: { text: 'compressed' } })).status, 202);
      assert.equal((await s.next(isType('announced'))).payload.text, 'compressed');
    } finally {
      await t.stop();
    }
  });
});
