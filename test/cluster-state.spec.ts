import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Broadcaster } from '../src/realtime/broadcaster';
import { EventPayload } from '../src/realtime/events';
import { ClusterState, LocalClusterState } from '../src/realtime/cluster/cluster-state';
import { RedisClusterState } from '../src/realtime/cluster/redis-cluster-state';
import { ProbeModule } from './fixtures/probe.gateway';
import { redisAvailable, TestRedis } from './support/redis-server';
import { until } from './support/wait';
import { TestApp } from './support/test-app';

describe('presence through the realtime core', () => {
  let t: TestApp;
  const events: Array<EventPayload<'probe.presence'>> = [];
  before(async () => {
    t = await TestApp.start({ modules: [ProbeModule] });
    t.get(Broadcaster).on('probe.presence', (e) => events.push(e));
  });
  after(() => t.stop());

  it('announces online at a user’s first socket and offline only when the last one closes', async () => {
    const user = await t.newUser({ role: 'employee' });
    const mine = () => events.filter((e) => e.user_id === user.id);
    const a = await t.socket('/test/probe', { token: user.token, headers: { 'user-agent': 'Mozilla/5.0 Chrome/120.0' } });
    await until(() => mine().length === 1, 'online');
    assert.equal(mine()[0].status, 'online');
    assert.match(mine()[0].user_agent ?? '', /Chrome/);
    const b = await t.socket('/test/probe', { token: user.token });
    b.send({ type: 'whoami' });
    await b.next((f) => f.type === 'whoami');
    a.close();
    await a.waitClose();
    b.send({ type: 'whoami' });
    await b.next((f) => f.type === 'whoami');
    assert.equal(mine().length, 1, 'still online while one socket is open');
    b.close();
    await until(() => mine().length === 2, 'offline');
    assert.equal(mine()[1].status, 'offline');
  });
});

/** The contract of the cluster state, for one process or many instances sharing Redis. */
function clusterSuite(name: string, make: () => Promise<[ClusterState, ClusterState]>, teardown: () => Promise<void>) {
  describe(`${name} cluster state`, () => {
    let a: ClusterState;
    let b: ClusterState;
    before(async () => {
      [a, b] = await make();
    });
    after(async () => {
      await a.close();
      await b.close();
      await teardown();
    });

    it('counts a user’s sockets across instances', async () => {
      assert.equal(await a.addUserSocket('g', 'u1', 1), 1);
      assert.equal(await b.addUserSocket('g', 'u1', 1), 2);
      assert.equal(await a.userSockets('g', 'u1'), 2);
      assert.equal(await a.addUserSocket('g', 'u1', -1), 1);
      assert.equal(await b.addUserSocket('g', 'u1', -1), 0);
      assert.equal(await b.userSockets('g', 'u1'), 0);
    });

    it('counts an address’s open sockets across instances', async () => {
      assert.equal(await a.addAddressSocket('10.0.0.7', 1), 1);
      assert.equal(await b.addAddressSocket('10.0.0.7', 1), 2);
      assert.equal(await a.addAddressSocket('10.0.0.8', 1), 1, 'each address counts apart');
      assert.equal(await a.addAddressSocket('10.0.0.7', -1), 1);
      assert.equal(await b.addAddressSocket('10.0.0.7', -1), 0);
      assert.equal(await a.addAddressSocket('10.0.0.8', -1), 0);
    });

    it('counts hits of a key in one window across instances, and starts again when the window has passed', async () => {
      const t0 = 1_700_000_000_000;
      assert.equal(await a.hit('gw|10.0.0.9', 60_000, t0), 1);
      assert.equal(await b.hit('gw|10.0.0.9', 60_000, t0 + 10), 2);
      assert.equal(await a.hit('gw|10.0.0.9', 60_000, t0 + 59_999), 3);
      assert.equal(await b.hit('other|10.0.0.9', 60_000, t0), 1, 'each key counts apart');
      assert.equal(await b.hit('gw|10.0.0.9', 60_000, t0 + 60_000), 1, 'a new window');
      assert.equal(await a.hit('gw|10.0.0.9', 60_000, t0 + 60_001), 2);
    });

    it('lists registered clients of every instance', async () => {
      await a.putClient('bells', 'c1', { id: 'c1', on: 'a' });
      await b.putClient('bells', 'c2', { id: 'c2', on: 'b' });
      const ids = (await a.clients('bells')).map((c) => c.id).sort();
      assert.deepEqual(ids, ['c1', 'c2']);
      assert.equal(await b.countClients('bells'), 2);
      await b.removeClient('bells', 'c2');
      assert.deepEqual(
        (await a.clients('bells')).map((c) => c.id),
        ['c1'],
      );
      await a.removeClient('bells', 'c1');
    });

    it('hands a client id to the newest connection and names the one it replaced', async () => {
      assert.equal(await a.claimClientId('queue', 'tv-1', 'conn-a'), null);
      assert.equal(await b.claimClientId('queue', 'tv-1', 'conn-b'), 'conn-a');
      await a.releaseClientId('queue', 'tv-1', 'conn-a');
      assert.equal(await a.claimClientId('queue', 'tv-1', 'conn-c'), 'conn-b', 'a stale release does not free a newer claim');
    });

    it('names the directory entry of a client id’s holder, on any instance, without listing the directory', async () => {
      assert.equal(await a.clientHolder('queue', 'tv-holder'), null);
      await b.claimClientId('queue', 'tv-holder', 'conn-h1');
      assert.equal(await a.clientHolder('queue', 'tv-holder'), null, 'claimed but not listed yet');
      await b.putClient('queue', 'conn-h1', { client_id: 'tv-holder', owner: 'device:1' });
      assert.deepEqual(await a.clientHolder('queue', 'tv-holder'), { client_id: 'tv-holder', owner: 'device:1' });
      await a.claimClientId('queue', 'tv-holder', 'conn-h2');
      await a.putClient('queue', 'conn-h2', { client_id: 'tv-holder', owner: 'device:2' });
      assert.deepEqual(await b.clientHolder('queue', 'tv-holder'), { client_id: 'tv-holder', owner: 'device:2' }, 'the newest holder');
      await a.removeClient('queue', 'conn-h2');
      await a.releaseClientId('queue', 'tv-holder', 'conn-h2');
      await b.removeClient('queue', 'conn-h1');
      assert.equal(await b.clientHolder('queue', 'tv-holder'), null);
    });
  });
}

const shared = new LocalClusterState();
clusterSuite(
  'memory',
  async () => [shared, shared],
  async () => undefined,
);

if (redisAvailable()) {
  let redis: TestRedis;
  clusterSuite(
    'redis',
    async () => {
      redis = await TestRedis.start();
      const a = new RedisClusterState(redis.url, 'inst-a', 1500, 200);
      const b = new RedisClusterState(redis.url, 'inst-b', 1500, 200);
      await until(() => a.healthy() && b.healthy(), 'redis');
      await new Promise((r) => setTimeout(r, 300));
      return [a, b];
    },
    () => redis.stopProcess(),
  );

  describe('redis cluster state: a dead instance', () => {
    it('loses its sockets from presence, address counts and client lists within the expiry, and reports users who went offline', async () => {
      const redis = await TestRedis.start();
      const survivor = new RedisClusterState(redis.url, 'survivor', 1000, 150);
      const doomed = new RedisClusterState(redis.url, 'doomed', 1000, 150);
      const gone: string[] = [];
      survivor.onUserGone((gateway, user) => gone.push(`${gateway}/${user}`));
      try {
        await until(() => survivor.healthy() && doomed.healthy(), 'redis');
        await doomed.addUserSocket('schedules', 'only-there', 1);
        await doomed.addUserSocket('schedules', 'both', 1);
        await survivor.addUserSocket('schedules', 'both', 1);
        await doomed.putClient('bells', 'd1', { id: 'd1' });
        await doomed.addAddressSocket('10.9.9.9', 1);
        assert.equal(await survivor.addAddressSocket('10.9.9.9', 1), 2);
        await until(async () => (await survivor.clients('bells')).length === 1, 'the doomed client to be listed');
        // Stop heartbeating without cleaning up: what kill -9 leaves behind.
        clearInterval((doomed as unknown as { timer: NodeJS.Timeout }).timer);
        (doomed as unknown as { redis: { disconnect(): void } }).redis.disconnect();
        await until(() => gone.includes('schedules/only-there'), 'the dead instance to be cleaned up', 8000);
        assert.ok(!gone.includes('schedules/both'), 'a user with a socket elsewhere stays online');
        assert.equal(await survivor.userSockets('schedules', 'only-there'), 0);
        assert.equal(await survivor.userSockets('schedules', 'both'), 1);
        assert.deepEqual(await survivor.clients('bells'), []);
        assert.equal(await survivor.addAddressSocket('10.9.9.9', -1), 0, 'the dead instance’s sockets no longer count against the address');
      } finally {
        await survivor.close();
        await redis.stopProcess();
      }
    });
  });
}
