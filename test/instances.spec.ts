import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RealtimeMetrics } from '../src/realtime/realtime-metrics';
import { bellsSocket } from './bells/bells-world';
import { TestApp } from './support/test-app';

describe('instances: GET /api/instances', () => {
  let t: TestApp;
  before(async () => {
    t = await TestApp.start();
  });
  after(() => t.stop());

  it('is for admins only', async () => {
    const leader = await t.newUser({ role: 'leader' });
    assert.equal((await t.http('GET', '/api/instances', { token: leader.token })).status, 403);
    assert.equal((await t.http('GET', '/api/instances')).status, 401);
  });

  it('lists this instance alone without Redis, with its sockets per gateway measured when asked', async () => {
    const before = await t.http('GET', '/api/instances', { token: t.adminToken });
    assert.equal(before.status, 200);
    assert.deepEqual(
      before.body.map((i: { instance: string }) => i.instance),
      [t.get(RealtimeMetrics).instance],
    );
    const bells = (body: Array<{ gateways: Array<{ gateway: string; sockets: number }> }>) => body[0].gateways.find((g) => g.gateway === 'bells')!;
    const open = bells(before.body).sockets;
    const s = await bellsSocket(t, { token: t.adminToken, type: 'admin' });
    const now = (await t.http('GET', '/api/instances', { token: t.adminToken })).body;
    assert.equal(bells(now).sockets, open + 1);
    assert.deepEqual(Object.keys(bells(now)).sort(), ['broadcasts_per_s', 'frames_in_per_s', 'frames_out_per_s', 'gateway', 'sockets']);
    assert.ok(now[0].gateways.some((g: { gateway: string }) => g.gateway === 'queue'));
    assert.equal(now[0].updated_at, t.clock.date().toISOString());
    s.close();
    await s.waitClose();
  });
});
