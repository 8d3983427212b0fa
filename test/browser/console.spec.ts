import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { RealtimeMetrics } from '../../src/realtime/realtime-metrics';
import { newSound } from '../bells/bells-world';
import { ADMIN, TestApp } from '../support/test-app';
import { form, PNG } from '../attendance/attendance-helpers';
import { assertConsoleBuilt, browserSkipReason, launch, newContext, screenshot } from './browser';

/**
 * The console and the device screens in real Chromium against the real
 * server: a counter floor set up and run from the browser alone, a TV that
 * loses its network and catches up, a bell rung from the console reaching a
 * player page. Every screen is photographed into docs/console/.
 */
describe('operations console and device screens (Chromium)', { skip: browserSkipReason() }, () => {
  let t: TestApp;
  let browser: Browser;
  let adminCtx: BrowserContext;
  let admin: Page;
  const contexts: BrowserContext[] = [];
  const devices: Record<string, { token: string; url: string }> = {};
  let counterId = 0;
  const ADMIN_NAME = 'Administrator';

  const open = async (url: string, size?: { width: number; height: number }) => {
    const ctx = await newContext(browser, size);
    contexts.push(ctx);
    const page = await ctx.newPage();
    await page.goto(url);
    return { ctx, page };
  };

  before(async () => {
    assertConsoleBuilt();
    t = await TestApp.start();
    // URLs in frames (audio_url) must name the port the test server really listens on.
    t.config.http.publicUrl = t.baseUrl;
    browser = await launch();
    adminCtx = await newContext(browser);
    admin = await adminCtx.newPage();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await adminCtx?.close().catch(() => undefined);
    await browser?.close();
    await t?.stop();
  });

  it('logs in with the REST auth and shows the live overview', async () => {
    await admin.goto(`${t.baseUrl}/console/`);
    await admin.getByLabel('Email').fill(ADMIN.email);
    await admin.getByLabel('Password').fill('wrong-password');
    await admin.getByRole('button', { name: 'Log in' }).click();
    await admin.getByRole('alert').waitFor();
    await screenshot(admin, 'login');
    await admin.getByLabel('Password').fill(ADMIN.password);
    await admin.getByRole('button', { name: 'Log in' }).click();
    await admin.getByRole('heading', { name: 'Overview' }).waitFor();
    // The console's own admin sockets show up in the per-gateway table within a poll or two.
    await admin.locator('[data-testid=gateways] tr', { hasText: 'queue' }).waitFor();
    // An admin sees every instance of the cluster (here the only one) from /api/instances.
    const instance = t.get(RealtimeMetrics).instance;
    await admin.locator('[data-testid=instances] tr', { hasText: instance }).first().waitFor();
    assert.equal(await admin.locator('[data-testid=instances] tr td').first().innerText(), instance);
    await screenshot(admin, 'overview');
  });

  it('sets up a counter, then a kiosk and a TV whose token and QR code are shown once', async () => {
    await admin.getByRole('link', { name: 'Queue floor' }).click();
    await admin.locator('input[name=procedure-name]').fill('Certified copies');
    await admin.getByRole('button', { name: 'Add service' }).click();
    await admin.getByRole('checkbox', { name: 'Certified copies' }).check();
    await admin.locator('input[name=counter-name]').fill('Counter 1');
    await admin.getByRole('button', { name: 'Add counter' }).click();
    await admin.locator('[data-testid=counters] tr', { hasText: 'Counter 1' }).waitFor();
    counterId = Number(await admin.locator('[data-testid=counters] tr', { hasText: 'Counter 1' }).getAttribute('data-counter'));
    assert.ok(counterId > 0);

    await admin.getByRole('link', { name: 'Devices & users' }).click();
    for (const [name, kind] of [
      ['Entrance kiosk', 'kiosk'],
      ['Hall TV', 'display'],
      ['Hall bells', 'player'],
    ]) {
      await admin.locator('input[name=device-name]').fill(name);
      await admin.locator('select[name=device-kind]').selectOption(kind);
      await admin.getByRole('button', { name: 'Create device' }).click();
      await admin.locator('[data-testid=device-created]', { hasText: name }).waitFor();
      devices[kind] = { token: await admin.getByTestId('device-token').innerText(), url: await admin.getByTestId('device-url').getAttribute('href').then(String) };
      assert.match(devices[kind].url, new RegExp(`/console/screens/(kiosk|tv|bells)\\?token=`));
      assert.ok(await admin.getByRole('img', { name: new RegExp(`QR code .* ${name}`) }).isVisible(), 'the QR code of the device URL');
      if (kind === 'display') await screenshot(admin, 'devices');
      await admin.getByRole('button', { name: 'I have stored it' }).click();
    }
    const listed = await admin.getByTestId('devices').innerText();
    for (const name of ['Entrance kiosk', 'Hall TV', 'Hall bells']) assert.ok(listed.includes(name), `${name} is listed`);
  });

  it('runs tickets: kiosk → officer panel → TV with its audio; the TV catches up after a network cut', async () => {
    const kiosk = await open(devices.kiosk.url, { width: 1080, height: 800 });
    const tv = await open(devices.display.url, { width: 1920, height: 1080 });
    await tv.page.locator('[data-state=open]').waitFor();
    await tv.page.getByTestId(`serving-${counterId}`).waitFor();

    // The visitor takes a ticket: number and estimated wait on the kiosk, the queue grows on the TV.
    await kiosk.page.getByRole('button', { name: 'Certified copies' }).click();
    await kiosk.page.getByTestId('kiosk-ticket').waitFor();
    assert.equal(await kiosk.page.locator('.kiosk-number').innerText(), '1');
    assert.match(await kiosk.page.getByTestId('kiosk-wait').innerText(), /Estimated wait/);
    await screenshot(kiosk.page, 'kiosk-ticket');
    await tv.page.locator('.tv-waiting', { hasText: '1 waiting' }).waitFor();

    // The officer calls it; the TV shows it and fetches its spoken announcement.
    const audio = tv.page.waitForRequest((r) => r.url().includes('/api/queue/audio/'), { timeout: 20_000 });
    await admin.goto(`${t.baseUrl}/console/screens/officer?counter=${counterId}`);
    await admin.getByRole('button', { name: 'Call next' }).click();
    await admin.getByTestId('officer-current').filter({ hasText: '1' }).waitFor();
    await tv.page.getByTestId(`serving-${counterId}`).filter({ hasText: /^1$/ }).waitFor();
    await tv.page.getByTestId('tv-flash').filter({ hasText: 'Number 1' }).waitFor();
    const req = await audio;
    assert.ok(req.url().startsWith(`${t.baseUrl}/api/queue/audio/`), req.url());
    await screenshot(tv.page, 'tv');

    // A second visitor; the officer panel sees them waiting.
    await kiosk.page.getByRole('button', { name: 'Done' }).click();
    await kiosk.page.getByRole('button', { name: 'Certified copies' }).click();
    await kiosk.page.locator('.kiosk-number', { hasText: '2' }).waitFor();
    await admin.getByTestId('officer-waiting').filter({ hasText: '2' }).waitFor();
    await screenshot(admin, 'officer');

    // The TV loses its network: its socket drops and it keeps retrying.
    await tv.ctx.setOffline(true);
    await tv.page.locator('[data-state=reconnecting]').waitFor({ timeout: 30_000 });
    await admin.getByRole('button', { name: 'Call next' }).click();
    await admin.getByTestId('officer-current').filter({ hasText: '2' }).waitFor();
    assert.equal(await tv.page.getByTestId(`serving-${counterId}`).innerText(), '1', 'an offline TV cannot know yet');
    await screenshot(tv.page, 'tv-offline');

    // Back online: it reconnects at once, the missed call is replayed (shown and spoken) and the board is up to date.
    const replayedAudio = tv.page.waitForRequest((r) => r.url().includes('/api/queue/audio/'), { timeout: 20_000 });
    await tv.ctx.setOffline(false);
    await tv.page.locator('[data-state=open]').waitFor({ timeout: 20_000 });
    await tv.page.getByTestId(`serving-${counterId}`).filter({ hasText: /^2$/ }).waitFor();
    await tv.page.getByTestId('tv-flash').filter({ hasText: 'Number 2' }).waitFor();
    await replayedAudio;
    assert.match(await tv.page.getByTestId('recent-calls').innerText(), /2/);
  });

  it('sends a leader announcement to the TV as a banner and shows the floor', async () => {
    const tv = await open(devices.display.url, { width: 1920, height: 1080 });
    await tv.page.locator('[data-state=open]').waitFor();
    await admin.goto(`${t.baseUrl}/console/queue`);
    await admin.getByLabel('Message').fill('Counter 1 closes at noon today');
    await admin.getByRole('button', { name: 'Send' }).click();
    await tv.page.getByTestId('tv-banner').filter({ hasText: 'closes at noon' }).waitFor();
    await screenshot(tv.page, 'tv-announcement');
    await admin.locator('[data-testid=counters] tr', { hasText: 'Counter 1' }).locator('td', { hasText: /^2$/ }).first().waitFor();
    await screenshot(admin, 'queue-floor');
    // The devices page lists the TV among what is connected now, with since when.
    await admin.goto(`${t.baseUrl}/console/devices`);
    const row = admin.locator('[data-testid=connected] tr', { hasText: 'Hall TV' }).first();
    await row.waitFor();
    assert.match(await row.innerText(), /queue\s+display · tv\s+\d{1,2}:\d{2}:\d{2}/);
    await row.scrollIntoViewIfNeeded();
    await screenshot(admin, 'devices-connected');
  });

  it('transfers the ticket a counter serves to another counter from the queue floor', async () => {
    await admin.goto(`${t.baseUrl}/console/queue`);
    await admin.locator('input[name=counter-name]').fill('Counter 2');
    await admin.getByRole('checkbox', { name: 'Certified copies' }).check();
    await admin.getByRole('button', { name: 'Add counter' }).click();
    const second = admin.locator('[data-testid=counters] tr', { hasText: 'Counter 2' });
    await second.waitFor();
    const secondId = Number(await second.getAttribute('data-counter'));

    await admin.getByRole('button', { name: 'Transfer the ticket Counter 1 serves' }).click();
    const form = admin.getByTestId('transfer-form');
    assert.match(await form.innerText(), /Transfer number 2 from Counter 1/);
    await form.locator('select[name=transfer-to]').selectOption(`counter:${secondId}`);
    await form.getByLabel('Place in line').selectOption('first');
    await form.locator('input[name=transfer-note]').fill('Needs the stamp');
    await form.getByRole('button', { name: 'Transfer' }).click();
    await form.waitFor({ state: 'detached' });
    // Live from QUEUE_UPDATE: number 2 waits at Counter 2, first in line, with its note; at Counter 1 it is closed as transferred.
    await second.locator('td').nth(3).filter({ hasText: /^1$/ }).waitFor();
    const moved = (await t.http('GET', `/api/queue/tickets?counter_id=${counterId}&status=transferred`, { token: t.adminToken })).body;
    assert.deepEqual(
      moved.map((x: { ticket_number: number }) => x.ticket_number),
      [2],
    );
    const waiting = (await t.http('GET', `/api/queue/tickets?counter_id=${secondId}&status=waiting`, { token: t.adminToken })).body;
    assert.deepEqual(
      waiting.map((x: { ticket_number: number; note: string | null }) => [x.ticket_number, x.note]),
      [[2, 'Needs the stamp']],
    );
  });

  it('adds a user, disables and enables them on the devices & users page', async () => {
    await admin.goto(`${t.baseUrl}/console/devices`);
    const form = admin.locator('form', { hasText: 'Add user' });
    const user = { email: 'grace@example.com', password: 'password-grace-1', name: 'Grace Hopper' };
    await form.getByLabel('Email').fill(user.email);
    await form.getByLabel('Name').fill(user.name);
    await form.getByLabel('Password').fill(user.password);
    await form.getByLabel('Role').selectOption('officer');
    await form.getByRole('button', { name: 'Add user' }).click();
    const row = admin.locator('[data-testid=users] tr', { hasText: user.email });
    await row.getByRole('button', { name: 'Disable Grace Hopper' }).waitFor();
    assert.equal((await t.http('POST', '/api/auth/login', { body: user })).status, 200);
    assert.equal(await admin.getByRole('button', { name: `Disable ${ADMIN_NAME}` }).count(), 0, 'an admin cannot disable themselves here');

    admin.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Disable Grace Hopper' }).click();
    await row.getByRole('button', { name: 'Enable Grace Hopper' }).waitFor();
    assert.match(await row.innerText(), /disabled/);
    assert.equal((await t.http('POST', '/api/auth/login', { body: user })).status, 401);
    await row.getByRole('button', { name: 'Enable Grace Hopper' }).click();
    await row.getByRole('button', { name: 'Disable Grace Hopper' }).waitFor();
    assert.equal((await t.http('POST', '/api/auth/login', { body: user })).status, 200);
  });

  it('rings a bell from the console; the player page receives and plays it', async () => {
    const sound = await newSound(t, 'School bell');
    const player = await open(devices.player.url, { width: 1024, height: 700 });
    await player.page.locator('[data-state=open]').waitFor();
    const fetched = player.page.waitForRequest((r) => r.url().includes(`/api/bells/sounds/${sound.id}/file`), { timeout: 15_000 });

    await admin.goto(`${t.baseUrl}/console/bells`);
    await admin.locator('select[name=ring-sound] option', { hasText: 'School bell' }).waitFor({ state: 'attached' });
    await admin.locator('input[name=ring-name]').fill('Fire drill test');
    await admin.getByRole('button', { name: 'Ring now' }).click();

    await player.page.getByTestId('last-bell').filter({ hasText: 'Fire drill test' }).waitFor();
    await fetched;
    await admin.getByTestId('ring-log').filter({ hasText: 'Fire drill test' }).waitFor();

    // The schedule editor: a schedule and one bell in it.
    await admin.getByLabel('New schedule').fill('Regular day');
    await admin.getByRole('button', { name: 'Add schedule' }).click();
    const schedule = admin.locator('.sub', { hasText: 'Regular day' });
    await schedule.getByLabel('Time').fill('08:00');
    await schedule.getByLabel('Name').fill('First lesson');
    await schedule.getByRole('button', { name: 'Add bell' }).click();
    await schedule.locator('li', { hasText: '08:00 First lesson' }).waitFor();
    await screenshot(player.page, 'bell-player');
    await screenshot(admin, 'bells');
  });

  it('shows a check-in session on its dashboard screen, live', async () => {
    const now = t.clock.date().getTime();
    const s = await t.http('POST', '/api/event-sessions', {
      token: t.adminToken,
      body: { name: 'Open day', starts_at: new Date(now - 3600_000).toISOString(), ends_at: new Date(now + 3600_000).toISOString(), dashboard_public: true },
    });
    assert.equal(s.status, 201, JSON.stringify(s.body));
    const guest = await t.newUser({ name: 'Ada Lovelace' });
    assert.equal((await t.http('POST', `/api/event-sessions/${s.body.id}/registrations`, { token: t.adminToken, body: { user_id: guest.id } })).status, 201);
    const screen = await open(`${t.baseUrl}/console/screens/checkin?session=${s.body.id}`, { width: 1280, height: 800 });
    await screen.page.locator('[data-state=open]').waitFor();
    const r = await t.http('POST', `/api/event-sessions/${s.body.id}/check-ins`, { token: t.adminToken, body: { user_id: guest.id } });
    assert.ok(r.status < 300, JSON.stringify(r.body));
    await screen.page.getByTestId('checkin-feed').filter({ hasText: 'Ada Lovelace' }).waitFor();
    await screen.page.getByTestId('count-successful').filter({ hasText: '1' }).waitFor();
    await screenshot(screen.page, 'checkin-screen');

    await admin.goto(`${t.baseUrl}/console/checkin`);
    await admin.getByRole('button', { name: 'Open day' }).click();
    await admin.getByTestId('checkin-feed').filter({ hasText: 'Ada Lovelace' }).waitFor();
    await screenshot(admin, 'checkin');
  });

  it('lists every frame in the live event log, filterable', async () => {
    await admin.goto(`${t.baseUrl}/console/events`);
    await admin.getByRole('heading', { name: 'Event log' }).waitFor();
    // A frame that arrives while the page is open: a status change of the counter.
    const r = await t.http('PUT', `/api/queue/counters/${counterId}/status`, { token: t.adminToken, body: { status: 'paused', reason: 'Lunch break' } });
    assert.equal(r.status, 200);
    await admin.getByTestId('event-log').filter({ hasText: 'Lunch break' }).waitFor();
    await admin.getByLabel('Filter').fill('COUNTER_STATUS_UPDATE');
    await screenshot(admin, 'events');
  });

  it("shows attendance clients with their visits and today's staff records, updated live", async () => {
    const camera = await t.newDevice({ kind: 'camera' });
    const at = (agoMs: number) => new Date(t.clock.now() - agoMs).toISOString();
    const client = await t.http('POST', '/api/attendance/clients', { token: t.adminToken, body: form({ gender: 'female', age: 34 }, { bytes: PNG }) });
    assert.equal(client.status, 201, JSON.stringify(client.body));
    const id: number = client.body.id;
    const seen = await t.http('POST', '/api/attendance/recognitions', { token: camera.token, body: form({ device_id: 'door-1', client_id: id, datetime: at(120_000) }, { bytes: PNG }) });
    assert.equal(seen.status, 201, JSON.stringify(seen.body));
    const grace = await t.http('POST', '/api/employees', { token: t.adminToken, body: { first_name: 'Grace', last_name: 'Hopper' } });
    assert.equal(grace.status, 201, JSON.stringify(grace.body));
    const record = (employee_id: number, device_id: string) =>
      t.http('POST', '/api/attendance/records', { token: camera.token, body: form({ employee_id, device_id, score: 97, datetime: at(60_000) }, { bytes: PNG }) });
    assert.equal((await record(grace.body.id, 'desk-1')).status, 201);

    // Served by the console's own origin through its signed path (the server's PUBLIC_URL is not this test server's port).
    const photo = admin.waitForResponse((r) => r.url().startsWith(t.baseUrl) && new URL(r.url()).pathname === new URL(client.body.image).pathname);
    await admin.goto(`${t.baseUrl}/console/attendance`);
    // The attendance socket is up before anything is sent that the page must see live.
    await admin.getByRole('region', { name: 'Live feed' }).locator('[data-state=open]').waitFor();
    const clients = admin.getByRole('table', { name: 'Clients, newest first' });
    await admin.getByTestId(`visit-count-${id}`).filter({ hasText: /^1$/ }).waitFor();
    const row = clients.getByRole('row').filter({ hasText: `#${id}` });
    await row.getByText('female, 34 y').waitFor();
    // The client's photo is served through its signed URL.
    // (lazy: it loads once scrolled into view)
    await row.getByRole('img', { name: `Client #${id}` }).scrollIntoViewIfNeeded();
    assert.equal((await photo).status(), 200);
    await admin.getByTestId('attendance-records').getByRole('row').filter({ hasText: 'Grace Hopper' }).filter({ hasText: 'desk-1' }).waitFor();

    await row.getByRole('button', { name: `Visits of client #${id}` }).press('Enter');
    const visits = admin.getByTestId('attendance-visits');
    await visits.getByRole('row').filter({ hasText: 'door-1' }).waitFor();

    // Live: a camera sees the client again and records another employee; the page follows without a reload.
    const again = await t.http('POST', '/api/attendance/recognitions', { token: camera.token, body: form({ device_id: 'door-2', client_id: id }, { bytes: PNG }) });
    assert.equal(again.status, 201, JSON.stringify(again.body));
    await admin.getByTestId(`visit-count-${id}`).filter({ hasText: /^2$/ }).waitFor();
    await visits.getByRole('row').filter({ hasText: 'door-2' }).waitFor();
    const alan = await t.http('POST', '/api/employees', { token: t.adminToken, body: { first_name: 'Alan', last_name: 'Turing' } });
    assert.equal((await record(alan.body.id, 'desk-2')).status, 201);
    await admin.getByTestId('attendance-records').getByRole('row').filter({ hasText: 'Alan Turing' }).waitFor();
    await admin.getByTestId('attendance-feed').filter({ hasText: 'door-2' }).waitFor();
    await screenshot(admin, 'attendance');
  });
});
