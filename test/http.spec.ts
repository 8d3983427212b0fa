import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProbeModule } from './fixtures/probe.gateway';
import { TestApp } from './support/test-app';
import { UpgradeRefused } from './support/ws-client';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

describe('HTTP surface', () => {
  let t: TestApp;
  before(async () => {
    t = await TestApp.start();
  });
  after(() => t.stop());

  it('describes every route it serves in /docs-json, with bearer auth', async () => {
    const doc = (await t.http('GET', '/docs-json')).body;
    assert.equal(doc.openapi.startsWith('3'), true);
    assert.ok(doc.components.securitySchemes.bearer, 'bearer auth is declared');
    const stack: Layer[] = t.app.getHttpAdapter().getInstance().router.stack;
    const served = stack
      .filter((l) => l.route && !l.route.path.startsWith('/docs') && !l.route.path.startsWith('/console')) // web pages, not API routes
      .flatMap((l) => Object.keys(l.route!.methods).map((m) => [m, l.route!.path.replace(/:([A-Za-z_]+)/g, '{$1}')] as const));
    assert.ok(served.length > 50, `found ${served.length} routes`);
    const missing = served.filter(([method, path]) => !doc.paths[path]?.[method]);
    assert.deepEqual(missing, [], 'routes missing from the OpenAPI document');
    assert.ok(doc.paths['/api/users'].get.security.some((s: Record<string, unknown>) => 'bearer' in s));
  });

  it('reports health and liveness', async () => {
    const health = await t.http('GET', '/health');
    assert.equal(health.status, 200);
    assert.equal(health.body.status, 'ok');
    assert.equal(health.body.checks.database, 'up');
    assert.equal((await t.http('GET', '/health/live')).status, 200);
    assert.equal((await t.http('GET', '/health/ready')).body.checks.database, 'up');
  });

  it('answers an unknown route with 404 JSON and a body that is not JSON with 400 VALIDATION_FAILED', async () => {
    const missing = await t.http('GET', '/api/nothing-here');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error, 'NOT_FOUND');
    const bad = await t.http('POST', '/api/auth/login', { body: '{"email": ', headers: { 'content-type': 'application/json' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'VALIDATION_FAILED');
    assert.ok(bad.headers.get('x-request-id'), 'a rejected body still gets a request id');
  });

  it('gives every response a request id, keeping one the caller sends', async () => {
    const r = await t.http('GET', '/health/live');
    assert.match(r.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const mine = await t.http('GET', '/health/live', { headers: { 'x-request-id': 'trace-123' } });
    assert.equal(mine.headers.get('x-request-id'), 'trace-123');
  });

  it('logs JSON lines with the request id and never a token', async () => {
    const token = t.adminToken;
    await t.http('GET', `/api/users?token=${token}`, { token, headers: { 'x-request-id': 'log-check-1' } });
    await t.http('GET', `/api/bells/sounds/00000000-0000-4000-8000-000000000000/file?token=${token}`);
    const lines = t.logs.map((l) => JSON.parse(l));
    assert.ok(lines.every((l) => typeof l.time === 'string' && typeof l.level === 'string'));
    const request = lines.find((l) => l.request_id === 'log-check-1' && l.msg === 'request');
    assert.ok(request, 'the request is logged with its id');
    assert.match(request.url, /token=\[redacted\]/);
    assert.ok(!t.logs.some((l) => l.includes(token)), 'no log line contains the token');
  });
});

describe('allowed origins', () => {
  let t: TestApp;
  before(async () => {
    t = await TestApp.start({ modules: [ProbeModule], env: { ALLOWED_ORIGINS: 'http://good.example' } });
  });
  after(() => t.stop());

  it('refuses a socket from a foreign Origin with HTTP 403, and accepts the allowed one and none', async () => {
    await assert.rejects(t.socket('/test/rooms/a', { headers: { origin: 'http://evil.example' } }), (e: unknown) => e instanceof UpgradeRefused && e.status === 403);
    const good = await t.socket('/test/rooms/a', { headers: { origin: 'http://good.example' } });
    await good.next((f) => f.type === 'joined');
    const device = await t.socket('/test/rooms/a');
    await device.next((f) => f.type === 'joined');
  });
});
