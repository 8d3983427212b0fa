import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isType, QueueWorld } from '../queue/queue-world';
import { TestApp } from '../support/test-app';

/** A queue client_id is replaced only by the principal that holds it. */
describe('security: queue client id takeover', () => {
  let t: TestApp;
  let q: QueueWorld;
  before(async () => {
    t = await TestApp.start();
    q = new QueueWorld(t);
  });
  after(() => t.stop());

  it('refuses a kiosk taking the leader dashboard’s client id; the dashboard stays', async () => {
    const leader = await t.newUser({ role: 'leader' });
    const dash = await q.client(leader.token, 'admin', 'leader-dash');
    const kiosk = await t.newDevice({ kind: 'kiosk' });
    const thief = await t.socket('/ws/queue');
    thief.send({ type: 'AUTH', payload: { token: `Bearer ${kiosk.token}` } });
    thief.send({ type: 'REGISTER_CLIENT', payload: { client_type: 'kiosk', client_id: 'leader-dash' } });
    const err = await thief.next(isType('ERROR'));
    assert.equal(err.payload.error_code, 'FORBIDDEN');
    await q.sync(dash);
    assert.ok(dash.isOpen, 'the dashboard is still connected');
    assert.ok(thief.isOpen, 'the refused socket may register under another id');
  });

  it('refuses an officer taking a TV’s client id, and lets the same device replace its own (4409)', async () => {
    const counter = await q.counter();
    const officer = await q.officer(counter.id);
    const tvDevice = await t.newDevice({ kind: 'display' });
    const tv = await q.client(tvDevice.token, 'tv', 'tv-hall');
    const s = await t.socket('/ws/queue');
    s.send({ type: 'AUTH', payload: { token: `Bearer ${officer.token}` } });
    s.send({ type: 'REGISTER_CLIENT', payload: { client_type: 'officer', client_id: 'tv-hall' } });
    assert.equal((await s.next(isType('ERROR'))).payload.error_code, 'FORBIDDEN');
    await q.sync(tv);
    const again = await q.client(tvDevice.token, 'tv', 'tv-hall');
    assert.equal((await tv.waitClose(2000)).code, 4409);
    assert.ok(again.isOpen);
  });
});
