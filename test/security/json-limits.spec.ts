import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jsonLimitProblem, valueLimitProblem } from '../../src/common/json-limits';
import { ADMIN, TestApp } from '../support/test-app';

describe('security: JSON shape limits', () => {
  it('counts brackets and commas outside strings only', () => {
    const limits = { maxDepth: 3, maxArrayLength: 3 };
    assert.equal(jsonLimitProblem('{"a":"[[[[[[,,,,,\\"[[[["}', limits), null);
    assert.equal(jsonLimitProblem('[[[1]]]', limits), null);
    assert.match(jsonLimitProblem('[[[[1]]]]', limits)!, /deeper than 3/);
    assert.equal(jsonLimitProblem('[1,2,3]', limits), null);
    assert.match(jsonLimitProblem(Buffer.from('[1,2,3,4]'), limits)!, /more than 3 elements/);
    assert.equal(jsonLimitProblem('[[1,2,3],[1,2,3],[1,2,3]]', limits), null, 'counted per array');
    assert.match(valueLimitProblem({ a: { b: { c: { d: 1 } } } }, limits)!, /deeper than 3/);
    assert.equal(valueLimitProblem({ a: { b: { c: 1 } } }, limits), null);
  });

  let t: TestApp;
  before(async () => {
    t = await TestApp.start({ env: { JSON_MAX_ARRAY_LENGTH: '1000' } });
  });
  after(() => t.stop());

  it('answers a 1 MB nested login body with a cheap 400, also eight at once', async () => {
    const depth = 500_000;
    const body = '['.repeat(depth) + ']'.repeat(depth);
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 8 }, () => t.http('POST', '/api/auth/login', { body })));
    const elapsed = Date.now() - started;
    for (const r of results) {
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.error, 'VALIDATION_FAILED');
      assert.match(r.body.message, /nested deeper than 32/);
    }
    // Before the limit each took about 1.5 s of CPU; a linear scan of 8 MB takes milliseconds.
    assert.ok(elapsed < 3000, `8 refusals took ${elapsed} ms`);
    assert.equal((await t.http('GET', '/health')).status, 200);
  });

  it('refuses an over-long array and a deep object anywhere in a body, and accepts a normal one', async () => {
    const long = await t.http('POST', '/api/auth/login', { body: { email: ADMIN.email, password: Array.from({ length: 1001 }, () => 1) } });
    assert.equal(long.status, 400);
    assert.match(long.body.message, /more than 1000 elements/);
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { x: deep };
    const nested = await t.http('PATCH', '/api/users/00000000-0000-4000-8000-000000000000', { token: t.adminToken, body: { name: deep } });
    assert.equal(nested.status, 400);
    assert.equal((await t.http('POST', '/api/auth/login', { body: ADMIN })).status, 200);
  });
});
