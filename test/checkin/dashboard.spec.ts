import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { FakeClock } from '../support/fake-clock';
import { TestApp, TestDevice, TestUser } from '../support/test-app';
import { Frame, TestSocket } from '../support/ws-client';

const START = new Date('2024-03-13T15:00:00Z');
const HOUR = 3_600_000;
const FRAME_KEYS = ['checkin_time', 'message', 'profile_url', 'session_id', 'success', 'user_id', 'user_name'];
const isAttempt = (f: Frame) => 'checkin_time' in f && 'session_id' in f;
const isError = (f: Frame) => f.event === 'error';

/**
 * A round trip on a dashboard socket: it takes no messages, so any frame is
 * answered with INVALID_MESSAGE — after the socket has joined its session
 * (messages wait for that) and after every frame written before.
 */
async function settle(...sockets: TestSocket[]): Promise<void> {
  await Promise.all(
    sockets.map(async (s) => {
      s.send({ ping: true });
      await s.next((f) => f.event === 'error' && f.code === 'INVALID_MESSAGE', 5000, 'the INVALID_MESSAGE answer of a round trip');
    }),
  );
}

describe('check-in dashboard', () => {
  let t: TestApp;
  let host: TestUser;
  let guest: TestUser;
  let stranger: TestUser;
  let scanner: TestDevice;
  const sockets: TestSocket[] = [];

  async function watch(sessionId: string, token?: string, via: 'header' | 'query' = 'header'): Promise<TestSocket> {
    const path = `/ws/dashboard/${sessionId}`;
    const s = token && via === 'query' ? await t.socket(`${path}?token=${encodeURIComponent(token)}`) : await t.socket(path, token ? { token } : {});
    sockets.push(s);
    return s;
  }

  async function session(body: Record<string, unknown> = {}, by: TestUser = host): Promise<Frame> {
    const now = t.clock.now();
    const r = await t.http('POST', '/api/event-sessions', {
      token: by.token,
      body: { name: 'Keynote', starts_at: new Date(now - HOUR).toISOString(), ends_at: new Date(now + HOUR).toISOString(), ...body },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  }

  async function register(sessionId: string, user: TestUser, token = host.token): Promise<void> {
    const r = await t.http('POST', `/api/event-sessions/${sessionId}/registrations`, { token, body: { user_id: user.id } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }

  function checkIn(sessionId: string, userId: string, token: string) {
    return t.http('POST', `/api/event-sessions/${sessionId}/check-ins`, { token, body: { user_id: userId } });
  }

  before(async () => {
    t = await TestApp.start({ clock: new FakeClock(START), env: { JWT_ACCESS_TTL: '2592000' } });
    host = await t.newUser({ role: 'member', name: 'Hana Host' });
    guest = await t.newUser({ role: 'member', name: 'Gus Guest' });
    stranger = await t.newUser({ role: 'member', name: 'Stan Stranger' });
    scanner = await t.newDevice({ kind: 'scanner', name: 'Door scanner' });
  });
  afterEach(async () => {
    const open = sockets.splice(0);
    for (const s of open) s.close();
    await Promise.all(open.map((s) => s.waitClose().catch(() => undefined)));
  });
  after(() => t.stop());

  /** Every outcome, in order, each one frame on the dashboard and one stored row. */
  async function everyOutcome(s: TestSocket, sessionId: string, token: string): Promise<void> {
    const late = await t.newUser({ role: 'member', name: 'Lou Late' });
    await register(sessionId, guest);
    await register(sessionId, late);
    const expect = async (res: Awaited<ReturnType<typeof checkIn>>, status: number, success: boolean, message: RegExp, user: TestUser | null) => {
      assert.equal(res.status, status, JSON.stringify(res.body));
      const frame = await s.next(isAttempt);
      assert.deepEqual(Object.keys(frame).sort(), FRAME_KEYS);
      assert.deepEqual(frame, res.body, 'the REST answer is the frame');
      assert.equal(frame.session_id, sessionId);
      assert.equal(frame.success, success);
      assert.match(frame.message, message);
      assert.equal(frame.profile_url, null);
      assert.equal(frame.checkin_time, t.clock.date().toISOString());
      if (user) {
        assert.equal(frame.user_id, user.id);
        assert.equal(frame.user_name, user.name);
      }
    };
    // Not open yet: an hour before the start.
    const start = t.clock.now();
    await t.http('PATCH', `/api/event-sessions/${sessionId}`, { token: host.token, body: { starts_at: new Date(start + HOUR).toISOString(), ends_at: new Date(start + 3 * HOUR).toISOString() } });
    await expect(await checkIn(sessionId, guest.id, token), 200, false, /not opened yet/i, guest);
    t.clock.advance(HOUR);
    await expect(await checkIn(sessionId, guest.id, token), 201, true, /^Check-in successful$/, guest);
    await expect(await checkIn(sessionId, guest.id, scanner.token), 200, false, /already checked in/i, guest);
    await expect(await checkIn(sessionId, stranger.id, token), 200, false, /not registered/i, stranger);
    t.clock.advance(2 * HOUR);
    await expect(await checkIn(sessionId, late.id, token), 200, false, /closed/i, late);

    const list = await t.http('GET', `/api/event-sessions/${sessionId}/check-ins`, { token: host.token });
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.counts, {
      total_attempts: 5,
      successful: 1,
      failed: 4,
      registered: 2,
      not_checked_in: 1,
      already_checked_in: 1,
      not_registered: 1,
      not_open: 1,
      closed: 1,
      full: 0,
      undone: 0,
    });
    assert.deepEqual(
      list.body.items.map((i: Frame) => i.outcome),
      ['closed', 'not_registered', 'already_checked_in', 'checked_in', 'not_open'],
    );
    assert.deepEqual(list.body.items[2].recorded_by, { kind: 'device', id: scanner.id, name: 'Door scanner' });
    t.clock.set(START);
  }

  describe('a public dashboard', () => {
    it('needs no token and gets one frame per attempt: success, repeat, not registered, not open yet, closed', async () => {
      const s0 = await session();
      const s = await watch(s0.id);
      await settle(s);
      await everyOutcome(s, s0.id, host.token);
      await settle(s);
      assert.equal(s.seen(isAttempt).length, 0, 'no frame beyond the five');
    });

    it('hears only its own session', async () => {
      const a = await session({ name: 'Room A' });
      const b = await session({ name: 'Room B' });
      await register(a.id, guest);
      const watchA = await watch(a.id);
      const watchB = await watch(b.id, stranger.token);
      await settle(watchA, watchB);
      assert.equal((await checkIn(a.id, guest.id, scanner.token)).status, 201);
      assert.equal((await watchA.next(isAttempt)).session_id, a.id);
      await settle(watchB);
      assert.equal(watchB.seen(isAttempt).length, 0);
    });
  });

  describe('a private dashboard', () => {
    it("takes the host's token (header or query) and an admin's, and gets every outcome", async () => {
      const s0 = await session({ dashboard_public: false });
      assert.equal(s0.dashboard_public, false);
      const byHeader = await watch(s0.id, host.token, 'header');
      const byQuery = await watch(s0.id, host.token, 'query');
      const admin = await watch(s0.id, t.adminToken);
      await settle(byHeader, byQuery, admin);
      await everyOutcome(byHeader, s0.id, t.adminToken);
      for (const s of [byQuery, admin]) {
        await settle(s);
        assert.equal(s.seen(isAttempt).length, 5);
      }
    });

    for (const [label, token, code, close] of [
      ['no token', undefined, 'UNAUTHORIZED', 4401],
      ['a bad token', 'not-a-jwt', 'UNAUTHORIZED', 4401],
      ["another user's token", 'stranger', 'FORBIDDEN', 4403],
      ["a scanner's token", 'scanner', 'FORBIDDEN', 4403],
    ] as const) {
      it(`refuses ${label}: the error frame ${code}, then ${close}`, async () => {
        const s0 = await session({ dashboard_public: false });
        const tok = token === 'stranger' ? stranger.token : token === 'scanner' ? scanner.token : token;
        const s = await watch(s0.id, tok, 'query');
        const err = await s.next(isError);
        assert.deepEqual(Object.keys(err).sort(), ['code', 'event', 'message', ...(code === 'UNAUTHORIZED' && tok ? ['reason'] : [])].sort());
        assert.equal(err.code, code);
        assert.equal((await s.waitClose()).code, close);
      });
    }

    it('closes anonymous and foreign sockets when a public dashboard turns private, and keeps the host', async () => {
      const s0 = await session();
      const anonymous = await watch(s0.id);
      const other = await watch(s0.id, stranger.token);
      const mine = await watch(s0.id, host.token);
      await settle(anonymous, other, mine);
      const r = await t.http('PATCH', `/api/event-sessions/${s0.id}`, { token: host.token, body: { dashboard_public: false } });
      assert.equal(r.status, 200);
      assert.equal((await anonymous.next(isError)).code, 'UNAUTHORIZED');
      assert.equal((await anonymous.waitClose()).code, 4401);
      assert.equal((await other.next(isError)).code, 'FORBIDDEN');
      assert.equal((await other.waitClose()).code, 4403);
      await settle(mine);
      assert.ok(mine.isOpen);
    });
  });

  describe('state on connect', () => {
    it('sends the totals and latest attempts at once to a screen that asks, with no token, and ids on later frames', async () => {
      const s0 = await session();
      await register(s0.id, guest);
      await checkIn(s0.id, guest.id, scanner.token);
      await checkIn(s0.id, stranger.id, scanner.token);
      const screen = await t.socket(`/ws/dashboard/${s0.id}?state=1`);
      sockets.push(screen);
      const seed = await watch(s0.id);
      const state = await screen.next((f) => f.event === 'state', 5000, 'the state frame');
      assert.equal(state.session_id, s0.id);
      assert.equal(state.counts.successful, 1);
      assert.equal(state.counts.not_registered, 1);
      assert.equal(state.counts.not_checked_in, 0);
      assert.deepEqual(
        state.latest.map((r: Frame) => [r.user_id, r.outcome]),
        [
          [stranger.id, 'not_registered'],
          [guest.id, 'checked_in'],
        ],
      );
      await settle(seed);
      const again = await checkIn(s0.id, guest.id, scanner.token);
      const plain = await seed.next(isAttempt);
      assert.deepEqual(Object.keys(plain).sort(), FRAME_KEYS, 'a seed client sees the seed frame unchanged');
      const rich = await screen.next(isAttempt);
      assert.deepEqual(rich, { ...again.body, id: rich.id, outcome: 'already_checked_in' });
      const listed = await t.http('GET', `/api/event-sessions/${s0.id}/check-ins`);
      assert.equal(rich.id, listed.body.items[0].id);
    });

    it('sends nothing on connect to a seed client', async () => {
      const s0 = await session();
      await register(s0.id, guest);
      await checkIn(s0.id, guest.id, scanner.token);
      const seed = await watch(s0.id);
      await settle(seed);
      assert.deepEqual(
        seed.frames.filter((f: Frame) => !isError(f)),
        [],
      );
    });

    it('lists a public session’s check-ins without a token; a private one asks for one', async () => {
      const s0 = await session();
      assert.equal((await t.http('GET', `/api/event-sessions/${s0.id}/check-ins`)).status, 200);
      assert.equal((await t.http('GET', `/api/event-sessions/${s0.id}/check-ins`, { token: 'not-a-token' })).status, 401, 'a token that is given must be valid');
      await t.http('PATCH', `/api/event-sessions/${s0.id}`, { token: host.token, body: { dashboard_public: false } });
      assert.equal((await t.http('GET', `/api/event-sessions/${s0.id}/check-ins`)).status, 401);
      assert.equal((await t.http('GET', `/api/event-sessions/${s0.id}/check-ins`, { token: host.token })).status, 200);
    });
  });

  describe('unknown sessions', () => {
    for (const [label, id] of [
      ['an unknown session id', '00000000-0000-4000-8000-000000000000'],
      ['a malformed session id', 'not-a-uuid'],
    ] as const) {
      it(`completes the upgrade for ${label}, sends NOT_FOUND and closes 4404`, async () => {
        const s = await watch(id);
        const err = await s.next(isError);
        assert.equal(err.code, 'NOT_FOUND');
        assert.equal((await s.waitClose()).code, 4404);
      });
    }

    it('closes the dashboards of a deleted session with 4404', async () => {
      const s0 = await session();
      const s = await watch(s0.id);
      await settle(s);
      assert.equal((await t.http('DELETE', `/api/event-sessions/${s0.id}`, { token: stranger.token })).status, 403);
      assert.equal((await t.http('DELETE', `/api/event-sessions/${s0.id}`, { token: host.token })).status, 204);
      assert.equal((await s.next(isError)).code, 'NOT_FOUND');
      assert.equal((await s.waitClose()).code, 4404);
      assert.equal((await t.http('GET', `/api/event-sessions/${s0.id}`, { token: host.token })).status, 404);
    });
  });

  describe('REST', () => {
    it('lets the host, an admin or a scanner check people in, and nobody else', async () => {
      const s0 = await session();
      await register(s0.id, guest);
      const display = await t.newDevice({ kind: 'display' });
      assert.equal((await checkIn(s0.id, guest.id, stranger.token)).status, 403);
      assert.equal((await checkIn(s0.id, guest.id, guest.token)).status, 403);
      assert.equal((await checkIn(s0.id, guest.id, display.token)).status, 403);
      assert.equal((await checkIn(s0.id, guest.id, '')).status, 401);
      assert.equal((await checkIn('00000000-0000-4000-8000-000000000000', guest.id, host.token)).status, 404);
      assert.equal((await checkIn(s0.id, 'nobody', host.token)).status, 400);
      // A stranger's attempts were refused, not recorded.
      assert.equal((await t.http('GET', `/api/event-sessions/${s0.id}/check-ins`, { token: host.token })).body.counts.total_attempts, 0);
      assert.equal((await checkIn(s0.id, guest.id, scanner.token)).status, 201);
      const other = await t.newUser({ role: 'member' });
      await register(s0.id, other, t.adminToken);
      assert.equal((await checkIn(s0.id, other.id, t.adminToken)).status, 201);
    });

    it('records one success when two scanners read the same badge at once', async () => {
      const s0 = await session();
      await register(s0.id, guest);
      const second = await t.newDevice({ kind: 'scanner' });
      const s = await watch(s0.id);
      await settle(s);
      const results = await Promise.all([checkIn(s0.id, guest.id, scanner.token), checkIn(s0.id, guest.id, second.token), checkIn(s0.id, guest.id, host.token)]);
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 201]);
      const frames = [await s.next(isAttempt), await s.next(isAttempt), await s.next(isAttempt)];
      assert.equal(frames.filter((f) => f.success).length, 1);
      const counts = (await t.http('GET', `/api/event-sessions/${s0.id}/check-ins`, { token: host.token })).body.counts;
      assert.equal(counts.successful, 1);
      assert.equal(counts.already_checked_in, 2);
    });

    it('manages sessions and registrations: host or admin, valid windows, private lists', async () => {
      const s0 = await session({ name: '<b>Workshop</b>' });
      assert.equal(s0.name, 'Workshop');
      assert.equal(s0.host_id, host.id);
      assert.equal(s0.dashboard_public, true);
      assert.equal(s0.status, 'open');
      assert.equal(s0.warnings, undefined, 'a session that is still to come or open has nothing to warn about');
      const now = t.clock.now();
      const ended = await t.http('POST', '/api/event-sessions', {
        token: host.token,
        body: { name: 'Last week', starts_at: new Date(now - 9 * 24 * HOUR).toISOString(), ends_at: new Date(now - 8 * 24 * HOUR).toISOString() },
      });
      assert.equal(ended.status, 201, 'a past session may be recorded');
      assert.equal(ended.body.status, 'closed');
      assert.match(ended.body.warnings[0], /in the past.*refused as closed/);
      const reopened = await t.http('PATCH', `/api/event-sessions/${ended.body.id}`, { token: host.token, body: { ends_at: new Date(now + HOUR).toISOString() } });
      assert.equal(reopened.body.warnings, undefined);
      const bad = await t.http('POST', '/api/event-sessions', { token: host.token, body: { name: 'Backwards', starts_at: new Date(now).toISOString(), ends_at: new Date(now - 1).toISOString() } });
      assert.equal(bad.status, 400);
      assert.equal(
        (await t.http('POST', '/api/event-sessions', { token: scanner.token, body: { name: 'x', starts_at: new Date(now).toISOString(), ends_at: new Date(now + 1).toISOString() } })).status,
        403,
      );
      assert.equal((await t.http('PATCH', `/api/event-sessions/${s0.id}`, { token: stranger.token, body: { name: 'Mine now' } })).status, 403);
      const renamed = await t.http('PATCH', `/api/event-sessions/${s0.id}`, { token: t.adminToken, body: { name: 'Workshop B' } });
      assert.equal(renamed.body.name, 'Workshop B');
      assert.equal((await t.http('PATCH', `/api/event-sessions/${s0.id}`, { token: host.token, body: { ends_at: new Date(now - 2 * HOUR).toISOString() } })).status, 400);

      assert.equal((await t.http('POST', `/api/event-sessions/${s0.id}/registrations`, { token: stranger.token, body: { user_id: stranger.id } })).status, 403);
      assert.equal((await t.http('POST', `/api/event-sessions/${s0.id}/registrations`, { token: host.token, body: { user_id: '00000000-0000-4000-8000-000000000000' } })).status, 404);
      await register(s0.id, guest);
      const again = await t.http('POST', `/api/event-sessions/${s0.id}/registrations`, { token: host.token, body: { user_id: guest.id } });
      assert.equal(again.status, 200);
      const regs = await t.http('GET', `/api/event-sessions/${s0.id}/registrations`, { token: host.token });
      assert.deepEqual(
        regs.body.map((r: Frame) => [r.user_id, r.user_name]),
        [[guest.id, guest.name]],
      );
      assert.equal((await t.http('DELETE', `/api/event-sessions/${s0.id}/registrations/${guest.id}`, { token: host.token })).status, 204);
      assert.equal((await checkIn(s0.id, guest.id, host.token)).body.message, 'Not registered for this session');

      // Check-in lists: anyone signed in for a public session, host and admins for a private one.
      assert.equal((await t.http('GET', `/api/event-sessions/${s0.id}/check-ins`, { token: stranger.token })).status, 200);
      await t.http('PATCH', `/api/event-sessions/${s0.id}`, { token: host.token, body: { dashboard_public: false } });
      assert.equal((await t.http('GET', `/api/event-sessions/${s0.id}/check-ins`, { token: stranger.token })).status, 403);
      assert.equal((await t.http('GET', `/api/event-sessions/${s0.id}/check-ins`, { token: t.adminToken })).status, 200);

      const listed = await t.http('GET', '/api/event-sessions', { token: scanner.token });
      assert.equal(listed.status, 200);
      assert.ok(listed.body.some((x: Frame) => x.id === s0.id));
    });
  });
});
