import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/app-config';
import { uploadSound } from '../bells/bells-world';
import { imageForm, PNG } from '../chat/chat-world';
import { TestApp } from '../support/test-app';

describe('security: headers, uploads and what a new user trips on', () => {
  let t: TestApp;
  before(async () => {
    // PUBLIC_URL unset: URLs follow the port the server listens on.
    t = await TestApp.start({ env: { PUBLIC_URL: '' } });
  });
  after(() => t.stop());

  it('sends the security headers on REST and /docs, with a CSP Swagger UI works with', async () => {
    for (const path of ['/api/users', '/health', '/docs', '/docs-json', '/api/nothing-here']) {
      const r = await t.http('GET', path, { token: t.adminToken });
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(r.headers.get('x-frame-options'), 'SAMEORIGIN', path);
      const csp = r.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'self'/, path);
      assert.match(csp, /script-src 'self'(;|$)/, `${path}: no inline or foreign scripts`);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.ok(r.headers.get('referrer-policy'), path);
      assert.equal(r.headers.get('x-powered-by'), null);
    }
    // Everything /docs runs is a same-origin script file, which the CSP allows.
    const docs = await t.http('GET', '/docs/');
    assert.equal(docs.status, 200);
    const scripts = [...String(docs.body).matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length >= 2);
    for (const [, attrs, inline] of scripts) {
      assert.match(attrs, /src="\.?\/?[^":]+"/, 'a relative src, same origin');
      assert.equal(inline.trim(), '');
    }
    const init = await t.http('GET', '/docs/swagger-ui-init.js');
    assert.equal(init.status, 200);
  });

  it('sends nosniff on every file route', async () => {
    const sound = await uploadSound(t);
    assert.equal(sound.status, 201, JSON.stringify(sound.body));
    const file = await t.http('GET', new URL(sound.body.url).pathname, { token: t.adminToken });
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('x-content-type-options'), 'nosniff');
    const up = await t.http('POST', '/api/chat/uploads', { token: t.adminToken, body: imageForm(PNG) });
    assert.equal(up.status, 201, JSON.stringify(up.body));
    const image = await t.http('GET', new URL(up.body.url).pathname);
    assert.equal(image.headers.get('x-content-type-options'), 'nosniff');
    const audio = await t.http('GET', '/api/queue/audio/missing.mp3');
    assert.equal(audio.headers.get('x-content-type-options'), 'nosniff');
  });

  it('builds media and sound URLs from the port it listens on when PUBLIC_URL is unset', async () => {
    const sound = (await uploadSound(t, 'Port')).body;
    assert.ok(sound.url.startsWith(`${t.baseUrl}/api/bells/sounds/`), sound.url);
    const up = (await t.http('POST', '/api/chat/uploads', { token: t.adminToken, body: imageForm(PNG) })).body;
    assert.ok(up.url.startsWith(`${t.baseUrl}/api/chat/uploads/`), up.url);
    assert.equal(loadConfig({ PORT: '3717' }).http.publicUrl, 'http://localhost:3717');
    assert.equal(loadConfig({ PORT: '3717', PUBLIC_URL: 'https://sb.example.com/' }).http.publicUrl, 'https://sb.example.com');
  });

  it('holds every multipart route to the same field limits: 400/413, never 500', async () => {
    const big = 'x'.repeat(1024 * 1024);
    const routes: Array<[string, string, string]> = [
      ['POST', '/api/chat/uploads', 'file'],
      ['POST', '/api/bells/sounds', 'file'],
      ['PUT', '/api/attendance/employees/1/image', 'image'],
    ];
    for (const [method, path] of routes) {
      const long = new FormData();
      long.append('name', big);
      long.append('other', big);
      const r1 = await t.http(method, path, { token: t.adminToken, body: long });
      assert.equal(r1.status, 413, `${path} long field: ${r1.status} ${JSON.stringify(r1.body)}`);
      assert.match(r1.body.message, /longer than 16384 bytes/);
      const many = new FormData();
      for (let i = 0; i < 100; i++) many.append(`f${i}`, 'v');
      const r2 = await t.http(method, path, { token: t.adminToken, body: many });
      assert.equal(r2.status, 400, `${path} many fields: ${r2.status} ${JSON.stringify(r2.body)}`);
      assert.match(r2.body.message, /more than 30 fields/);
      const deep = new FormData();
      deep.append('name' + '[a]'.repeat(40), 'v');
      const r3 = await t.http(method, path, { token: t.adminToken, body: deep });
      assert.ok(r3.status === 400, `${path} deep field name: ${r3.status} ${JSON.stringify(r3.body)}`);
    }
  });

  it('names the roles a 403 needed, answers a wrong method with 405 and Allow, and /users/me in snake_case', async () => {
    const member = await t.newUser({ role: 'member' });
    const forbidden = await t.http('GET', '/api/users', { token: member.token });
    assert.equal(forbidden.status, 403);
    assert.match(forbidden.body.message, /allowed: admin/);
    assert.deepEqual(forbidden.body.details.required_roles, ['admin']);
    const wrong = await t.http('DELETE', '/api/auth/login');
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'POST');
    const put = await t.http('PUT', '/api/users', { token: t.adminToken });
    assert.equal(put.status, 405);
    assert.equal(put.headers.get('allow'), 'GET, HEAD, POST');
    assert.equal((await t.http('GET', '/api/no-such-route')).status, 404);
    assert.equal((await t.http('GET', '/api/users/00000000-0000-4000-8000-000000000000', { token: t.adminToken })).status, 404, 'a handler’s own 404 stays 404');
    const me = (await t.http('GET', '/api/users/me', { token: member.token })).body;
    assert.deepEqual(Object.keys(me).sort(), ['email', 'family_id', 'id', 'kind', 'name', 'role']);
  });
});
