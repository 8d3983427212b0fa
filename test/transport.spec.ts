import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RealtimeMetrics } from '../src/realtime/realtime-metrics';
import { MemoryTransport } from '../src/realtime/transports/memory.transport';
import { RedisTransport } from '../src/realtime/transports/redis.transport';
import { Transport } from '../src/realtime/transports/transport';
import { redisAvailable, TestRedis } from './support/redis-server';
import { until } from './support/wait';

type Received = Array<[string, unknown]>;

function collect(t: Transport): Received {
  const got: Received = [];
  t.onMessage((name, payload) => got.push([name, payload]));
  return got;
}

/** The contract every transport keeps; run against each implementation. */
function transportSuite(name: string, make: () => Promise<Transport[]>, teardown: () => Promise<void> = async () => undefined) {
  describe(`${name} transport`, () => {
    let instances: Transport[];
    before(async () => {
      instances = await make();
    });
    after(async () => {
      await Promise.all(instances.map((t) => t.close()));
      await teardown();
    });

    it('delivers an event to every instance once, the publisher included', async () => {
      const received = instances.map(collect);
      instances[0].publish('probe.announced', { room: 'a', text: 'hello' });
      await until(() => received.every((r) => r.length >= 1), 'delivery everywhere');
      await new Promise((r) => setTimeout(r, 50));
      for (const r of received) assert.deepEqual(r, [['probe.announced', { room: 'a', text: 'hello' }]]);
    });

    it('keeps publish order per publisher', async () => {
      const received = instances.map(collect);
      for (let i = 0; i < 500; i++) instances[0].publish('n', { i });
      await until(() => received.every((r) => r.length === 500), '500 events everywhere');
      for (const r of received)
        assert.deepEqual(
          r.map(([, p]) => (p as { i: number }).i),
          Array.from({ length: 500 }, (_, i) => i),
        );
    });

    it('carries payloads as JSON, the same on every instance', async () => {
      const received = instances.map(collect);
      instances[0].publish('j', { at: new Date('2026-01-01T00:00:00Z'), nested: { list: [1, 'two', null] } });
      await until(() => received.every((r) => r.length === 1), 'delivery');
      for (const r of received) assert.deepEqual(r[0][1], { at: '2026-01-01T00:00:00.000Z', nested: { list: [1, 'two', null] } });
    });

    it('reports itself healthy', () => {
      assert.ok(instances.every((t) => t.healthy()));
    });
  });
}

transportSuite('memory', async () => [new MemoryTransport()]);

if (redisAvailable()) {
  let redis: TestRedis;
  transportSuite(
    'redis',
    async () => {
      redis = await TestRedis.start();
      const ts = [new RedisTransport(redis.url, new RealtimeMetrics()), new RedisTransport(redis.url, new RealtimeMetrics())];
      await Promise.all(ts.map((t) => t.ready()));
      return ts;
    },
    () => redis.stopProcess(),
  );

  describe('redis transport outage', () => {
    it('keeps local delivery while Redis is down, drops instead of queueing, and resumes by itself', async () => {
      const redis = await TestRedis.start();
      const metrics = new RealtimeMetrics();
      const a = new RedisTransport(redis.url, metrics);
      const b = new RedisTransport(redis.url, new RealtimeMetrics());
      try {
        await Promise.all([a.ready(), b.ready()]);
        const onA = collect(a);
        const onB = collect(b);
        await redis.stopProcess();
        await until(() => !a.healthy(), 'a to notice');
        a.publish('x', { during: true });
        assert.deepEqual(onA, [['x', { during: true }]]);
        // Counted at once, or when the write to the dead connection fails.
        await until(async () => (await metrics.transportDropped.get()).values[0]?.value === 1, 'the event counted as dropped');
        await redis.startProcess();
        await Promise.all([a.ready(15000), b.ready(15000)]);
        a.publish('x', { after: true });
        await until(() => onB.length === 1, 'delivery after Redis returned', 10000);
        assert.deepEqual(onB, [['x', { after: true }]]);
      } finally {
        await Promise.all([a.close(), b.close()]);
        await redis.stopProcess();
      }
    });
  });
}
