import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { Device } from '../src/auth/entities/device.entity';
import { Leadership } from '../src/database/leadership';
import { TestApp, TestDatabase } from './support/test-app';
import { until } from './support/wait';

describe('database', () => {
  let t: TestApp;
  before(async () => {
    t = await TestApp.start();
  });
  after(() => t.stop());

  it('has a schema, built by migrations alone, that matches every entity', async () => {
    const ds = t.get(DataSource);
    const pending = await ds.driver.createSchemaBuilder().log();
    assert.deepEqual(
      pending.upQueries.map((q) => q.query.trim()),
      [],
      'entities and migrations disagree: run `npm run migration:generate -- Name`',
    );
    const applied = await ds.query('SELECT name FROM migrations ORDER BY id');
    assert.ok(applied.length >= 1);
  });

  it('keeps concurrent transactions apart: rolled-back work never leaks and committed work is never lost', async () => {
    const ds = t.get(DataSource);
    const before = await ds.getRepository(Device).count();
    const yieldNow = () => new Promise((r) => setImmediate(r));
    const work = Array.from({ length: 20 }, (_, i) =>
      ds
        .transaction(async (m) => {
          await m.insert(Device, { name: `tx-${i}`, kind: 'display', tokenHash: `h${i}-${Date.now()}-${Math.random()}`, counterId: null, location: null, revokedAt: null });
          await yieldNow();
          await m.query('SELECT 1');
          if (i % 2) throw new Error('roll back');
        })
        .then(
          () => 'committed',
          () => 'rolled back',
        ),
    );
    const outcomes = await Promise.all(work);
    assert.equal(outcomes.filter((o) => o === 'committed').length, 10);
    const names = (await ds.getRepository(Device).find()).map((d) => d.name).filter((n) => n.startsWith('tx-'));
    assert.equal((await ds.getRepository(Device).count()) - before, 10);
    assert.deepEqual(names.sort(), Array.from({ length: 10 }, (_, k) => `tx-${k * 2}`).sort());
  });
});

describe('leadership of periodic work', () => {
  it('is always this instance on the embedded database', { skip: !!process.env.TEST_DATABASE_URL && 'embedded database only' }, async () => {
    const t = await TestApp.start();
    try {
      assert.equal(t.get(Leadership).isLeader('queue.alerts'), true);
    } finally {
      await t.stop();
    }
  });

  it('goes to exactly one instance, and to another when the leader stops', { skip: !process.env.TEST_DATABASE_URL && 'needs PostgreSQL (TEST_DATABASE_URL)' }, async () => {
    const db = await TestDatabase.create();
    const a = await TestApp.start({ database: db });
    const b = await TestApp.start({ database: db });
    try {
      const la = a.get(Leadership);
      const lb = b.get(Leadership);
      await until(() => la.isLeader('job') || lb.isLeader('job'), 'a leader');
      await new Promise((r) => setTimeout(r, 2500));
      assert.notEqual(la.isLeader('job'), lb.isLeader('job'), 'exactly one leads');
      const [leader, follower] = la.isLeader('job') ? [a, b] : [b, a];
      await leader.stop({ keepDatabase: true });
      await until(() => follower.get(Leadership).isLeader('job'), 'take-over');
    } finally {
      await a.stop({ keepDatabase: true }).catch(() => undefined);
      await b.stop({ keepDatabase: true }).catch(() => undefined);
      await db.destroy();
    }
  });
});

describe('database: instances starting together', { skip: !process.env.TEST_DATABASE_URL && 'needs PostgreSQL (TEST_DATABASE_URL)' }, () => {
  it('run migrations once, under the advisory lock', async () => {
    const db = await TestDatabase.create();
    const [a, b] = await Promise.all([TestApp.start({ database: db }), TestApp.start({ database: db })]);
    try {
      const rows = await a.get(DataSource).query('SELECT name, count(*)::int AS n FROM migrations GROUP BY name');
      assert.ok(rows.length >= 1);
      assert.ok(rows.every((r: { n: number }) => r.n === 1));
      const admins = await a.get(DataSource).query(`SELECT count(*)::int AS n FROM users WHERE role = 'admin'`);
      assert.equal(admins[0].n, 1);
    } finally {
      await a.stop({ keepDatabase: true });
      await b.stop({ keepDatabase: true });
      await db.destroy();
    }
  });
});
