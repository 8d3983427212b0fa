import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RealtimeMetrics } from '../src/realtime/realtime-metrics';
import { bellsSocket, isType } from './bells/bells-world';
import { TestApp } from './support/test-app';
import { until } from './support/wait';

describe('devices connected now: GET /api/devices/connections', () => {
  let t: TestApp;
  before(async () => {
    t = await TestApp.start();
  });
  after(() => t.stop());

  const list = async () => {
    const r = await t.http('GET', '/api/devices/connections', { token: t.adminToken });
    assert.equal(r.status, 200);
    return r.body as Array<Record<string, any>>;
  };

  it('is for admins only', async () => {
    const member = await t.newUser({ role: 'member' });
    assert.equal((await t.http('GET', '/api/devices/connections', { token: member.token })).status, 403);
    assert.equal((await t.http('GET', '/api/devices/connections')).status, 401);
  });

  it('lists device and client sockets with since when, gateway details and instance; a closed one leaves the list', async () => {
    const display = await t.newDevice({ kind: 'display', name: 'Hall TV' });
    const player = await t.newDevice({ kind: 'player', name: 'Corridor speaker' });
    const tvSince = new Date(t.clock.now()).toISOString();
    const tv = await t.socket('/ws/queue', { token: display.token });
    tv.send({ type: 'REGISTER_CLIENT', payload: { client_type: 'tv', client_id: 'tv-listed', location: 'hall' } });
    await tv.next(isType('CONNECTION_ACK'));
    t.clock.advance(60_000);
    const playerSince = new Date(t.clock.now()).toISOString();
    const bells = await bellsSocket(t, { token: player.token, zone: 'east' });
    // A console's own socket is a user's, with no client id: not a device, not listed.
    await bellsSocket(t, { token: t.adminToken, type: 'admin' });

    await until(async () => (await list()).some((c) => c.player_id), 'the player to be listed');
    const all = await list();
    const instance = t.get(RealtimeMetrics).instance;
    const mine = all.filter((c) => c.device_id === display.id || c.device_id === player.id);
    assert.deepEqual(
      mine.map((c) => [c.gateway, c.device_name, c.device_kind, c.connected_at, c.instance, c.client_id, c.client_type]),
      [
        ['queue', 'Hall TV', 'display', tvSince, instance, 'tv-listed', 'tv'],
        ['bells', 'Corridor speaker', 'player', playerSince, instance, null, 'client'],
      ],
    );
    assert.equal(mine[1].player_id, `device:${player.id}`);
    assert.equal(mine[1].zone, 'east');
    assert.ok(!all.some((c) => c.gateway === 'bells' && c.client_type === 'admin'), 'the admin panel is not listed');

    tv.close();
    await until(async () => !(await list()).some((c) => c.device_id === display.id), 'the closed TV to leave the list');
    // Revoking a device closes its sockets, and it leaves the list with them.
    assert.equal((await t.http('DELETE', `/api/devices/${player.id}`, { token: t.adminToken })).status, 204);
    await bells.waitClose();
    await until(async () => !(await list()).some((c) => c.device_id === player.id), 'the revoked player to leave the list');
  });
});
