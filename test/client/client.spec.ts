import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { backoffDelay, ClientError, connectBells, connectQueue, connectSchedules, ConnectionState, Connector, SwitchboardRest, WebSocketFactory } from '../../packages/client/src';
import { QueueWorld } from '../queue/queue-world';
import { frameCheckFor } from '../support/frame-schemas';
import { TcpProxy } from '../support/tcp-proxy';
import { ADMIN, TestApp } from '../support/test-app';

/** Resolves with the first value `subscribe` hands over that matches, or fails after `ms`. */
function waitFor<T>(subscribe: (h: (v: T) => void) => () => void, match: (v: T) => boolean = () => true, ms = 5000, what = 'an event'): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
    const off = subscribe((v) => {
      if (!match(v)) return;
      clearTimeout(timer);
      off();
      resolve(v);
    });
  });
}

/** The next frame of this type on a connector, typed by the gateway's frame map. */
function nextFrame<M extends Record<string, unknown>, K extends keyof M & string>(c: Connector<M, any>, type: K, match: (f: M[K]) => boolean = () => true, ms = 5000): Promise<M[K]> {
  return waitFor<M[K]>((h) => c.on(type, h), match, ms, type);
}

const fast = { initialDelayMs: 20, maxDelayMs: 200 };

describe('@switchboard/client against the real server', () => {
  let t: TestApp;
  let world: QueueWorld;
  let proxy: TcpProxy;
  const open: Array<Connector<Record<string, unknown>, unknown>> = [];
  const track = <C>(c: C): C => (open.push(c as never), c);

  before(async () => {
    t = await TestApp.start();
    world = new QueueWorld(t);
    proxy = await TcpProxy.start(Number(new URL(t.baseUrl).port));
  });
  after(async () => {
    for (const c of open) c.close();
    await proxy.stop();
    await t.stop();
  });

  it('keeps a queue TV up to date across a network drop: reconnects, registers again and keeps receiving', async () => {
    const counter = await world.counter();
    const display = await t.newDevice({ kind: 'display' });
    const tv = track(connectQueue({ url: proxy.url, token: display.token, register: { client_type: 'tv', client_id: 'tv-hall', location: 'hall' }, reconnect: fast }));
    const check = frameCheckFor(`${t.wsBase}/ws/queue`)!;
    const states: ConnectionState[] = [];
    tv.onState((s) => states.push(s));

    // The welcome snapshot follows the acknowledgement at once: listen for both before either arrives.
    const welcome = nextFrame(tv, 'QUEUE_UPDATE', (f) => f.payload.counter_id === counter.id);
    const ack = await nextFrame(tv, 'CONNECTION_ACK');
    assert.equal(ack.payload.client_id, 'tv-hall');
    assert.equal(check(ack), null);
    const snapshot = await welcome;
    assert.equal(snapshot.payload.waiting_count, 0);

    const dropped = waitFor<ClientError>(
      (h) => tv.onError(h),
      (e) => e.kind === 'closed',
      5000,
      'the close',
    );
    const again = nextFrame(tv, 'CONNECTION_ACK');
    proxy.drop();
    const closed = await dropped;
    assert.equal(closed.kind === 'closed' && closed.willReconnect, true);
    await again;
    assert.deepEqual(states.slice(0, 2), ['open', 'reconnecting']);
    assert.equal(tv.state, 'open');

    // Still receiving on the new socket: a ticket issued over REST reaches the TV.
    const created = nextFrame(tv, 'TICKET_CREATED', (f) => f.payload.counter_id === counter.id);
    const ticket = await world.ticket(t.adminToken, counter.id);
    const frame = await created;
    assert.equal(frame.payload.ticket_number, ticket.ticket_number);
    assert.equal(check(frame), null);
  });

  it('notices a link that died silently through its unanswered heartbeat, and reconnects', async () => {
    const display = await t.newDevice({ kind: 'display' });
    const tv = track(connectQueue({ url: proxy.url, token: display.token, register: { client_type: 'tv', client_id: 'tv-frozen' }, reconnect: fast, heartbeatMs: 100, heartbeatTimeoutMs: 300 }));
    await nextFrame(tv, 'CONNECTION_ACK');
    const dead = waitFor<ClientError>(
      (h) => tv.onError(h),
      (e) => e.kind === 'network' && /heartbeat/.test(e.message),
      5000,
      'the heartbeat timeout',
    );
    const again = nextFrame(tv, 'CONNECTION_ACK');
    proxy.freeze();
    await dead;
    await again;
    const pong = await nextFrame(tv, 'PONG');
    assert.ok(pong.payload.server_time);
  });

  it('authenticates by query as a browser must, and hands errors over as typed values', async () => {
    const member = await t.newUser({ role: 'member' });
    // The `ws` package standing in for a browser's WebSocket: no headers, so the token rides in the query.
    const bells = track(connectBells({ url: t.baseUrl, token: member.token, clientName: 'Hall speaker', WebSocket: WebSocket as unknown as WebSocketFactory, reconnect: false }));
    await waitFor(
      (h) => bells.onState(h),
      (s) => s === 'open',
      5000,
      'open',
    );
    bells.send({ type: 'register', payload: { client_type: 'client', client_name: 'Hall speaker' } });
    const ack = await nextFrame(bells, 'connection_acknowledged');
    assert.equal(ack.payload.client_type, 'client');

    const error = waitFor<ClientError>(
      (h) => bells.onError(h),
      (e) => e.kind === 'server',
      5000,
      'the error',
    );
    bells.send({ type: 'register', payload: { client_type: 'admin' } });
    assert.deepEqual(await error.then((e) => e.kind === 'server' && e.code), 'FORBIDDEN');
    assert.equal(bells.state, 'open', 'an error frame does not end the connection');
  });

  it('does not reconnect once replaced by a newer connection (4409)', async () => {
    const display = await t.newDevice({ kind: 'display' });
    const first = track(connectQueue({ url: t.baseUrl, token: display.token, register: { client_type: 'tv', client_id: 'tv-twice' }, reconnect: fast }));
    await nextFrame(first, 'CONNECTION_ACK');
    const replaced = waitFor<ClientError>(
      (h) => first.onError(h),
      (e) => e.kind === 'closed',
      5000,
      'the 4409',
    );
    const second = track(connectQueue({ url: t.baseUrl, token: display.token, register: { client_type: 'tv', client_id: 'tv-twice' }, reconnect: fast }));
    await nextFrame(second, 'CONNECTION_ACK');
    assert.deepEqual(await replaced, { kind: 'closed', code: 4409, reason: ((await replaced) as { reason: string }).reason, willReconnect: false });
    assert.equal(first.state, 'closed');
  });

  it('logs in, refreshes tokens and feeds them to a connector', async () => {
    const rest = new SwitchboardRest(t.baseUrl);
    const login = await rest.login(ADMIN.email, ADMIN.password);
    assert.equal(login.token_type, 'Bearer');
    const refreshed = await rest.refresh();
    assert.notEqual(refreshed.refresh_token, login.refresh_token);
    await assert.rejects(rest.login(ADMIN.email, 'wrong'), (e: { status: number }) => e.status === 401);
    await rest.login(ADMIN.email, ADMIN.password);
    const schedules = track(connectSchedules({ url: t.baseUrl, token: () => rest.accessToken(), subscribe: { events: ['system'] }, reconnect: fast }));
    const subscribed = await nextFrame(schedules, 'subscription/subscribed');
    assert.deepEqual(subscribed.data.events, ['system']);
    assert.equal((await rest.request<unknown[]>('GET', '/api/users')).length > 0, true);
  });

  it('spreads reconnects with jittered exponential backoff', () => {
    assert.equal(
      backoffDelay(0, { initialDelayMs: 100 }, () => 1),
      100,
    );
    assert.equal(
      backoffDelay(3, { initialDelayMs: 100 }, () => 1),
      800,
    );
    assert.equal(
      backoffDelay(20, { initialDelayMs: 100, maxDelayMs: 5000 }, () => 1),
      5000,
    );
    assert.equal(
      backoffDelay(5, { initialDelayMs: 100 }, () => 0),
      10,
      'never a tight loop',
    );
    const spread = new Set(Array.from({ length: 20 }, () => backoffDelay(4, { initialDelayMs: 100 })));
    assert.ok(spread.size > 5, 'delays differ between clients');
  });
});
