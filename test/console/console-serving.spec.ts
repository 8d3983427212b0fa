import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestApp } from '../support/test-app';
import { assertConsoleBuilt } from '../browser/browser';

/** The console is served by the service itself: every file from here, nothing from a CDN (no browser needed for these). */
describe('console served at /console', () => {
  let t: TestApp;
  before(async () => {
    assertConsoleBuilt();
    t = await TestApp.start();
  });
  after(() => t?.stop());

  it('logs its URL at start-up', () => {
    assert.ok(
      t.logs.some((l) => l.includes('Operations console: http://127.0.0.1:3000/console/')),
      'the console URL is logged',
    );
  });

  it('serves the app at /console and at every screen URL, loading scripts and styles only from itself', async () => {
    for (const path of ['/console/', '/console/queue', '/console/screens/tv?token=x', '/console/screens/kiosk']) {
      const r = await t.http('GET', path);
      assert.equal(r.status, 200, path);
      assert.match(r.headers.get('content-type') ?? '', /text\/html/);
      assert.equal(r.headers.get('cache-control'), 'no-cache', 'index.html is revalidated so a new build is picked up');
      const refs = [...String(r.body).matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      assert.ok(refs.length >= 2, 'a script and a stylesheet');
      for (const ref of refs) assert.ok(ref.startsWith('/console/assets/'), `${ref} is served by the service`);
    }
    const html = String((await t.http('GET', '/console/')).body);
    const script = /src="([^"]+\.js)"/.exec(html)![1];
    const js = await t.http('GET', script);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('cache-control') ?? '', /immutable/);
    // The bundle opens sockets and calls REST on its own origin only.
    assert.doesNotMatch(String(js.body), /https?:\/\/(?!www\.w3\.org)[a-z0-9.-]+\.[a-z]{2,}\//i, 'no third-party URL in the bundle');
  });

  it('answers a missing asset with 404, not the app', async () => {
    assert.equal((await t.http('GET', '/console/assets/nope-123.js')).status, 404);
  });
});
