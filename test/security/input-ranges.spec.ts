import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestApp } from '../support/test-app';

/** Ids, offsets, limits and dates the database cannot hold are the caller's error: 400 or 404, never 500. */
describe('security: out-of-range input', () => {
  let t: TestApp;
  before(async () => {
    t = await TestApp.start();
  });
  after(() => t.stop());

  const get = (path: string) => t.http('GET', path, { token: t.adminToken });

  it('refuses path ids past int4 with 400', async () => {
    for (const path of ['/api/queue/tickets/99999999999999999999', '/api/queue/tickets/2147483648', '/api/employees/99999999999999999999', '/api/schedules/2147483648', '/api/queue/counters/-1']) {
      const r = await get(path);
      assert.equal(r.status, 400, `${path}: ${r.status} ${JSON.stringify(r.body)}`);
      assert.equal(r.body.error, 'VALIDATION_FAILED');
    }
    const largest = await get('/api/queue/tickets/2147483647');
    assert.equal(largest.status, 404, `the largest int4 is a valid id that does not exist: ${JSON.stringify(largest.body)}`);
  });

  it('refuses offsets and limits past int4, and impossible dates, with 400', async () => {
    for (const path of [
      '/api/schedules?offset=99999999999999999999',
      '/api/schedules?limit=99999999999999999999',
      '/api/queue/tickets?offset=2147483648',
      '/api/queue/tickets?day=2024-13-45',
      '/api/queue/tickets?day=2023-02-29',
      '/api/attendance/records/summary?date=2024-02-30',
      '/api/bells/upcoming?date=2024-13-01',
      '/api/bells/rings?limit=abc',
      '/api/chat/conversations?offset=1e30',
      '/api/event-sessions?offset=99999999999999999999',
    ]) {
      const r = await get(path);
      assert.equal(r.status, 400, `${path}: ${r.status} ${JSON.stringify(r.body)}`);
    }
    assert.equal((await get('/api/queue/tickets?day=2024-02-29')).status, 200, 'a leap day is a real date');
  });

  it('refuses body integers past int4 with 400', async () => {
    const r = await t.http('POST', '/api/queue/tickets', { token: t.adminToken, body: { counter_id: 2147483648 } });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    const e = await t.http('POST', '/api/schedules', { token: t.adminToken, body: { employee_id: 1e20, shift_id: 1, date: '2024-01-01' } });
    assert.equal(e.status, 400, JSON.stringify(e.body));
  });

  it('refuses a scalar query key given twice instead of picking one', async () => {
    for (const path of ['/api/schedules?offset=1&offset=2', '/api/queue/tickets?day=2024-01-01&day=2024-01-02', '/api/bells/rings?limit=1&limit=2', '/api/notifications?limit=1&limit=2']) {
      const r = await get(path);
      assert.equal(r.status, 400, `${path}: ${r.status} ${JSON.stringify(r.body)}`);
      assert.match(r.body.message, /must be given once/);
    }
    assert.equal((await get('/api/schedules?offset=1')).status, 200);
  });
});
