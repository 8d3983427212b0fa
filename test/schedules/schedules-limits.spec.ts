import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { FakeClock } from '../support/fake-clock';
import { TestApp, TestUser } from '../support/test-app';
import { TestSocket } from '../support/ws-client';
import { isFrame, settle, subscribe, World } from './schedules-world';

/** Pings and pongs until the socket has sent `n` messages in this minute. */
async function pingTimes(s: TestSocket, n: number): Promise<void> {
  for (let i = 0; i < n; i++) s.send({ type: 'ping', timestamp: `p${i}` });
  for (let i = 0; i < n; i++) await s.next((f) => f.type === 'pong' && f.data.timestamp === `p${i}`);
}

async function expectRefused(s: TestSocket, code: string, closeCode: number): Promise<void> {
  const err = await s.next(isFrame('error'));
  assert.equal(err.action, 'connection_error');
  assert.equal(err.data.code, code);
  assert.equal(typeof err.data.message, 'string');
  assert.equal((await s.waitClose()).code, closeCode);
}

describe('schedules gateway limits (the seed’s defaults)', () => {
  let t: TestApp;
  let w: World;
  let users: TestUser[];

  before(async () => {
    // No SCHEDULES_* variable is set: these are the defaults. Server pings every 200 ms so pongs can be seen to count.
    t = await TestApp.start({ clock: new FakeClock(new Date('2024-01-15T10:30:00Z')), env: { JWT_ACCESS_TTL: '86400', WS_HEARTBEAT_MS: '200' } });
    w = new World(t);
    users = [await w.manager(), await w.manager(), await w.manager()];
  });
  // Each test starts a fresh minute for the per-address connection count.
  beforeEach(() => t.clock.advance(61_000));
  afterEach(() => w.closeAll());
  after(() => t.stop());

  it('refuses a sixth new socket a minute from one address with TOO_MANY_CONNECTIONS, then 4429, and admits one the next minute', async () => {
    const open = [];
    for (let i = 0; i < 5; i++) open.push(await w.connect(users[i % 3].token));
    await settle(...open);
    await expectRefused(await w.connect(users[2].token), 'TOO_MANY_CONNECTIONS', 4429);
    for (const s of open) assert.ok(s.isOpen);
    t.clock.advance(60_000);
    await settle(await w.connect(users[2].token));
  });

  it('refuses a fourth open socket of one user with TOO_MANY_CONNECTIONS, then 4429, and admits one after a close', async () => {
    const mine = [await w.connect(users[0].token), await w.connect(users[0].token), await w.connect(users[0].token)];
    await settle(...mine);
    await expectRefused(await w.connect(users[0].token), 'TOO_MANY_CONNECTIONS', 4429);
    mine[0].close();
    await mine[0].waitClose();
    await settle(mine[1]);
    await settle(await w.connect(users[0].token));
  });

  it('answers the 101st message in a minute with rate_limited and closes at twice the limit with 4429', async () => {
    const s = await w.connect(users[0].token);
    await pingTimes(s, 100);
    s.send({ type: 'ping', timestamp: 'over' });
    const limited = await s.next(isFrame('error'));
    assert.deepEqual(Object.keys(limited).sort(), ['action', 'data', 'timestamp', 'type', 'user_id']);
    assert.equal(limited.action, 'rate_limited');
    assert.equal(limited.data.code, 'RATE_LIMITED');
    assert.equal(typeof limited.data.message, 'string');
    assert.ok(limited.data.retry_after_ms > 0 && limited.data.retry_after_ms <= 60_000);
    assert.equal(s.seen((f) => f.type === 'pong' && f.data.timestamp === 'over').length, 0, 'the message over the limit was dropped');
    for (let i = 0; i < 99; i++) s.send({ type: 'ping' });
    s.send({ type: 'ping' });
    assert.equal((await s.waitClose()).code, 4429);
    assert.equal(s.seen(isFrame('error', 'rate_limited')).length, 100, 'every dropped message was answered');
  });

  it('counts messages per minute: after the minute the socket may send again', async () => {
    const s = await w.connect(users[1].token);
    await pingTimes(s, 100);
    s.send({ type: 'ping' });
    await s.next(isFrame('error', 'rate_limited'));
    t.clock.advance(60_000);
    await settle(s);
  });

  it('answers the 11th subscription request in a minute with RATE_LIMITED and changes nothing', async () => {
    const s = await w.connect(users[0].token);
    const typist = await w.connect(users[1].token);
    for (let i = 0; i < 10; i++) assert.equal((await subscribe(s, ['system'])).action, 'subscribed');
    const limited = await subscribe(s, ['presence']);
    assert.equal(limited.action, 'rate_limited');
    assert.equal(limited.data.code, 'RATE_LIMITED');
    assert.ok(limited.data.retry_after_ms > 0);
    typist.send({ type: 'presence', action: 'typing', data: { typing: true, context: 'shift_notes' } });
    await settle(typist);
    await settle(s);
    assert.equal(s.seen(isFrame('presence')).length, 0, 'the refused subscription was not made');
    t.clock.advance(60_000);
    assert.equal((await subscribe(s, ['presence'])).action, 'subscribed');
    typist.send({ type: 'presence', action: 'typing', data: { typing: false, context: 'shift_notes' } });
    await s.next(isFrame('presence', 'typing'));
  });

  it('closes a socket after five minutes without any sign of life, with 1000', async () => {
    const s = await w.connect(users[2].token);
    t.clock.advance(299_999);
    await settle(s); // still open, and a message counts as life
    t.clock.advance(299_999);
    await settle(s);
    t.clock.advance(300_000);
    const closed = await s.waitClose();
    assert.equal(closed.code, 1000);
    assert.equal(closed.reason, 'Idle timeout');
  });

  it('counts the pongs a socket returns to the server’s pings as signs of life', async () => {
    const s = await w.connect(users[2].token);
    const pings = () => new Promise<void>((resolve) => s.ws.once('ping', () => resolve()));
    t.clock.advance(200_000);
    // The second ping after the move proves the pong to the first one arrived (a missing pong ends the socket).
    await pings();
    await pings();
    t.clock.advance(200_000);
    assert.ok(s.isOpen);
    await settle(s);
  });
});

describe('schedules gateway: a token that expires on a live socket', () => {
  it('sends connection_error INVALID_TOKEN with token_expired and refresh_required, then closes 4401', async () => {
    const t = await TestApp.start({ clock: new FakeClock(new Date('2024-01-15T10:30:00Z')), env: { JWT_ACCESS_TTL: '600' } });
    try {
      const s = await new World(t).connect(t.adminToken);
      await settle(s);
      t.clock.advance(601_000);
      const err = await s.next(isFrame('error'));
      assert.equal(err.action, 'connection_error');
      assert.equal(err.data.code, 'INVALID_TOKEN');
      assert.deepEqual(err.data.details, { token_expired: true, refresh_required: true });
      assert.equal((await s.waitClose()).code, 4401);
    } finally {
      await t.stop();
    }
  });
});

describe('schedules gateway limits (configured)', () => {
  it('takes each limit from its SCHEDULES_* variable', async () => {
    const t = await TestApp.start({
      env: {
        SCHEDULES_CONNECTIONS_PER_MINUTE_PER_IP: '3',
        SCHEDULES_MAX_CONNECTIONS_PER_USER: '1',
        SCHEDULES_MESSAGES_PER_MINUTE: '4',
        SCHEDULES_SUBSCRIPTIONS_PER_MINUTE: '2',
      },
    });
    try {
      const w = new World(t);
      const [a, b] = [await w.manager(), await w.manager()];
      const s = await w.connect(a.token);
      await expectRefused(await w.connect(a.token), 'TOO_MANY_CONNECTIONS', 4429);
      await subscribe(s, ['system']);
      await subscribe(s, ['system']);
      assert.equal((await subscribe(s, ['system'])).action, 'rate_limited');
      s.send({ type: 'ping' });
      await s.next(isFrame('pong'));
      s.send({ type: 'ping' });
      assert.equal((await s.next(isFrame('error'))).action, 'rate_limited');
      await settle(await w.connect(b.token)); // the third new socket this minute
      const fourth = await w.connect(b.token);
      const err = await fourth.next(isFrame('error'));
      assert.equal(err.data.code, 'TOO_MANY_CONNECTIONS');
      assert.match(err.data.message, /address/);
      assert.equal((await fourth.waitClose()).code, 4429);
    } finally {
      await t.stop();
    }
  });
});
