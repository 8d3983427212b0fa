import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { FakeClock } from '../support/fake-clock';
import { TestApp, TestDevice, TestUser } from '../support/test-app';
import { Frame, TestSocket } from '../support/ws-client';

const START = new Date('2024-03-13T15:00:00Z');
const HOUR = 3_600_000;
const isAttempt = (f: Frame) => 'checkin_time' in f && 'session_id' in f;

describe('check-in tickets, guests, capacity and undo', () => {
  let t: TestApp;
  let host: TestUser;
  let member: TestUser;
  let scanner: TestDevice;
  const sockets: TestSocket[] = [];

  before(async () => {
    t = await TestApp.start({ clock: new FakeClock(START), env: { JWT_ACCESS_TTL: '2592000' } });
    host = await t.newUser({ role: 'member', name: 'Hana Host' });
    member = await t.newUser({ role: 'member', name: 'Mia Member' });
    scanner = await t.newDevice({ kind: 'scanner', name: 'Door scanner' });
  });
  afterEach(async () => {
    const open = sockets.splice(0);
    for (const s of open) s.close();
    await Promise.all(open.map((s) => s.waitClose().catch(() => undefined)));
  });
  after(() => t.stop());

  async function session(body: Record<string, unknown> = {}): Promise<Frame> {
    const now = t.clock.now();
    const r = await t.http('POST', '/api/event-sessions', {
      token: host.token,
      body: { name: 'Keynote', starts_at: new Date(now - HOUR).toISOString(), ends_at: new Date(now + HOUR).toISOString(), ...body },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  }

  async function register(sessionId: string, body: Record<string, unknown>): Promise<Frame> {
    const r = await t.http('POST', `/api/event-sessions/${sessionId}/registrations`, { token: host.token, body });
    assert.ok(r.status === 201 || r.status === 200, JSON.stringify(r.body));
    return r.body;
  }

  const scan = (sessionId: string, body: Record<string, unknown>, token = scanner.token) => t.http('POST', `/api/event-sessions/${sessionId}/scans`, { token, body });
  const counts = async (sessionId: string) => (await t.http('GET', `/api/event-sessions/${sessionId}/check-ins`)).body.counts;

  async function watch(sessionId: string, state = false): Promise<TestSocket> {
    const s = await t.socket(`/ws/dashboard/${sessionId}${state ? '?state=1' : ''}`);
    sockets.push(s);
    if (state) await s.next((f) => f.event === 'state', 5000, 'the state frame');
    s.send({ ping: true });
    await s.next((f) => f.event === 'error', 5000, 'the round trip');
    return s;
  }

  it('gives each registration a signed ticket; one scan checks in, a second is a repeat', async () => {
    const s0 = await session();
    const reg = await register(s0.id, { user_id: member.id });
    assert.match(reg.ticket, /^SBT1\.[\w-]+\.[\w-]+$/);
    const dash = await watch(s0.id);
    const first = await scan(s0.id, { ticket: reg.ticket });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.success, true);
    assert.equal(first.body.user_id, member.id);
    assert.equal(first.body.user_name, 'Mia Member');
    assert.equal(first.body.replayed, false);
    const second = await scan(s0.id, { ticket: reg.ticket });
    assert.equal(second.status, 200);
    assert.match(second.body.message, /already checked in/i);
    assert.deepEqual([(await dash.next(isAttempt)).success, (await dash.next(isAttempt)).success], [true, false]);
    assert.equal((await counts(s0.id)).successful, 1);

    const ticket = await t.http('GET', `/api/event-sessions/${s0.id}/registrations/${member.id}/ticket`, { token: host.token });
    assert.equal(ticket.body.ticket, reg.ticket);
    assert.match(ticket.body.qr_svg, /^<svg[^>]*>/);
    assert.equal((await t.http('GET', `/api/event-sessions/${s0.id}/registrations/${member.id}/ticket`, { token: member.token })).status, 403);
  });

  it('refuses a forged ticket and one for another session, recording nothing', async () => {
    const s0 = await session();
    const other = await session({ name: 'Other room' });
    const reg = await register(s0.id, { user_id: member.id });
    const [p, body, sig] = reg.ticket.split('.');
    const forged = `${p}.${body}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
    assert.equal((await scan(s0.id, { ticket: forged })).status, 400);
    assert.equal((await scan(s0.id, { ticket: 'hello' })).status, 400);
    const elsewhere = await scan(other.id, { ticket: reg.ticket });
    assert.equal(elsewhere.status, 400);
    assert.match(elsewhere.body.message, /another session/);
    assert.equal((await scan(s0.id, { ticket: reg.ticket }, member.token)).status, 403, 'only the host, admins and scanners scan');
    assert.equal((await counts(s0.id)).total_attempts, 0);
    assert.equal((await counts(other.id)).total_attempts, 0);
  });

  it('applies an offline scan once, however often it is sent, at the time it was made', async () => {
    const s0 = await session();
    const reg = await register(s0.id, { user_id: member.id });
    const dash = await watch(s0.id);
    const scanId = randomUUID();
    const madeAt = new Date(t.clock.now() - 10 * 60_000).toISOString();
    t.clock.advance(2 * HOUR); // the session has ended by the time the scanner is back online
    try {
      const sent = await Promise.all([scan(s0.id, { ticket: reg.ticket, scan_id: scanId, scanned_at: madeAt }), scan(s0.id, { ticket: reg.ticket, scan_id: scanId, scanned_at: madeAt })]);
      assert.deepEqual(sent.map((r) => r.status).sort(), [200, 201]);
      assert.deepEqual(sent.map((r) => r.body.replayed).sort(), [false, true]);
      for (const r of sent) assert.equal(r.body.checkin_time, madeAt);
      const again = await scan(s0.id, { ticket: reg.ticket, scan_id: scanId.toUpperCase(), scanned_at: madeAt });
      assert.equal(again.body.replayed, true);
      assert.equal(again.body.success, true);
      const c = await counts(s0.id);
      assert.equal(c.total_attempts, 1);
      assert.equal(c.successful, 1);
      await dash.next(isAttempt);
      dash.send({ ping: true });
      await dash.next((f) => f.event === 'error');
      assert.equal(dash.seen(isAttempt).length, 0, 'a replay is not announced again');
      // A scan dated in the future counts as now: here, after the end.
      const late = await register(s0.id, { guest: { name: 'Lou Late', email: 'lou@example.com' } });
      const future = await scan(s0.id, { ticket: late.ticket, scanned_at: new Date(t.clock.now() + HOUR).toISOString() });
      assert.match(future.body.message, /closed/);
    } finally {
      t.clock.set(START);
    }
  });

  it('registers guests without accounts, once per e-mail, and checks them in by ticket', async () => {
    const s0 = await session();
    const guest = await t.http('POST', `/api/event-sessions/${s0.id}/registrations`, { token: host.token, body: { guest: { name: '<b>Gina</b> Guest', email: 'Gina@Example.com' } } });
    assert.equal(guest.status, 201, JSON.stringify(guest.body));
    assert.equal(guest.body.guest, true);
    assert.equal(guest.body.user_name, 'Gina Guest');
    assert.equal(guest.body.guest_email, 'gina@example.com');
    const again = await t.http('POST', `/api/event-sessions/${s0.id}/registrations`, { token: host.token, body: { guest: { name: 'Gina', email: 'gina@example.com' } } });
    assert.equal(again.status, 200);
    assert.equal(again.body.user_id, guest.body.user_id);
    for (const bad of [{}, { user_id: member.id, guest: { name: 'x', email: 'x@example.com' } }, { guest: { name: 'x', email: 'not-an-email' } }, { guest: { name: '', email: 'x@example.com' } }]) {
      assert.equal((await t.http('POST', `/api/event-sessions/${s0.id}/registrations`, { token: host.token, body: bad })).status, 400, JSON.stringify(bad));
    }
    const scanned = await scan(s0.id, { ticket: guest.body.ticket });
    assert.equal(scanned.status, 201);
    assert.deepEqual([scanned.body.user_id, scanned.body.user_name], [guest.body.user_id, 'Gina Guest']);
    const byHand = await t.http('POST', `/api/event-sessions/${s0.id}/check-ins`, { token: host.token, body: { user_id: guest.body.user_id } });
    assert.match(byHand.body.message, /already checked in/i);
    const regs = await t.http('GET', `/api/event-sessions/${s0.id}/registrations`, { token: host.token });
    assert.deepEqual(
      regs.body.map((r: Frame) => [r.user_name, r.guest]),
      [['Gina Guest', true]],
    );
    assert.equal((await counts(s0.id)).not_checked_in, 0);
  });

  it('refuses check-ins beyond capacity clearly, and lets the host undo one to free a place', async () => {
    const s0 = await session({ capacity: 1 });
    assert.equal(s0.capacity, 1);
    const a = await register(s0.id, { user_id: member.id });
    const b = await register(s0.id, { guest: { name: 'Ben', email: 'ben@example.com' } });
    const dash = await watch(s0.id, true);
    const seed = await watch(s0.id);
    const ok = await scan(s0.id, { ticket: a.ticket });
    assert.equal(ok.status, 201);
    const full = await scan(s0.id, { ticket: b.ticket });
    assert.equal(full.status, 200);
    assert.equal(full.body.success, false);
    assert.equal(full.body.message, 'Session is full: all 1 places are taken');

    const list = await t.http('GET', `/api/event-sessions/${s0.id}/check-ins`);
    const checkedIn = list.body.items.find((i: Frame) => i.outcome === 'checked_in');
    assert.equal((await t.http('DELETE', `/api/event-sessions/${s0.id}/check-ins/${checkedIn.id}`, { token: member.token })).status, 403);
    const undone = await t.http('DELETE', `/api/event-sessions/${s0.id}/check-ins/${checkedIn.id}`, { token: host.token });
    assert.equal(undone.status, 200);
    assert.equal(undone.body.outcome, 'undone');
    assert.equal(undone.body.undone_by, 'Hana Host');
    assert.equal((await t.http('DELETE', `/api/event-sessions/${s0.id}/check-ins/${checkedIn.id}`, { token: host.token })).body.outcome, 'undone', 'undoing again changes nothing');
    const failed = list.body.items.find((i: Frame) => i.outcome === 'full');
    assert.equal((await t.http('DELETE', `/api/event-sessions/${s0.id}/check-ins/${failed.id}`, { token: host.token })).status, 409);

    await dash.next(isAttempt);
    await dash.next(isAttempt);
    const heard = await dash.next(isAttempt);
    assert.deepEqual([heard.id, heard.outcome, heard.success, heard.message], [checkedIn.id, 'undone', false, 'Check-in undone by Hana Host']);
    await seed.next(isAttempt);
    await seed.next(isAttempt);
    const plain = await seed.next(isAttempt);
    assert.deepEqual(Object.keys(plain).sort(), ['checkin_time', 'message', 'profile_url', 'session_id', 'success', 'user_id', 'user_name']);

    assert.equal((await scan(s0.id, { ticket: b.ticket })).status, 201, 'the freed place is taken');
    const c = await counts(s0.id);
    assert.deepEqual([c.successful, c.full, c.undone, c.not_checked_in], [1, 1, 1, 1]);
  });

  it('keeps capacity under concurrent scans from several scanners', async () => {
    const s0 = await session({ capacity: 3 });
    const regs = [];
    for (let i = 0; i < 8; i++) regs.push(await register(s0.id, { guest: { name: `Guest ${i}`, email: `g${i}@example.com` } }));
    const second = await t.newDevice({ kind: 'scanner' });
    const results = await Promise.all(regs.map((r, i) => scan(s0.id, { ticket: r.ticket, scan_id: randomUUID() }, i % 2 ? scanner.token : second.token)));
    assert.equal(results.filter((r) => r.status === 201).length, 3);
    assert.equal(results.filter((r) => /full/.test(r.body.message)).length, 5);
    const c = await counts(s0.id);
    assert.deepEqual([c.successful, c.full], [3, 5]);
  });
});
