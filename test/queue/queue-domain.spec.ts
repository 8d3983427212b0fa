import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { SpeechSynthesizer } from '../../src/queue/speech/speech-synthesizer';
import { FakeClock } from '../support/fake-clock';
import { TestApp } from '../support/test-app';
import { until } from '../support/wait';
import { silenceWav } from '../support/wav';
import { Frame } from '../support/ws-client';
import { isType, ofCounter, QueueWorld } from './queue-world';

const isSystemError = (f: Frame) => f.type === 'SYSTEM_ALERT' && f.payload.alert_type === 'system_error';

describe('queue: bad input is the client’s error, never a system_error', () => {
  let t: TestApp;
  let w: QueueWorld;

  before(async () => {
    t = await TestApp.start({ env: { QUEUE_STATS_INTERVAL_MS: '3600000' } });
    w = new QueueWorld(t);
  });
  after(() => t.stop());

  it('answers out-of-range ids and dates with ERROR or 400/404, and admins hear no alert', async () => {
    const counter = await w.counter();
    const admin = await w.client(t.adminToken, 'admin', 'admin-watching-bad-input');
    const kiosk = await w.client((await t.newDevice({ kind: 'kiosk' })).token, 'kiosk', 'kiosk-bad-input');
    await w.ticket(t.adminToken, counter.id);

    kiosk.send({ type: 'TICKET_CREATED', payload: { counter_id: 2147483648 } });
    assert.equal((await kiosk.next(isType('ERROR'))).payload.error_code, 'COUNTER_NOT_FOUND');
    kiosk.send({ type: 'TICKET_CREATED', payload: { counter_id: 1e20 } });
    assert.ok(['COUNTER_NOT_FOUND', 'INVALID_MESSAGE'].includes((await kiosk.next(isType('ERROR'))).payload.error_code));
    admin.send({ type: 'CALL_TICKET', payload: { counter_id: counter.id, ticket_number: 2147483648 } });
    const err = (await admin.next(isType('ERROR'))).payload;
    assert.ok(['TICKET_NOT_FOUND', 'INVALID_MESSAGE'].includes(err.error_code), err.error_code);
    assert.doesNotMatch(err.message, /integer|out of range for type|syntax/i, 'no database words');

    const rest: Array<[string, string, object | undefined, number[]]> = [
      ['GET', '/api/queue/tickets/99999999999999999999', undefined, [400, 404]],
      ['GET', '/api/queue/tickets?day=2024-13-45', undefined, [400]],
      ['POST', '/api/queue/tickets', { counter_id: 2147483648 }, [400, 404]],
      ['GET', '/api/queue/counters/2147483648', undefined, [400, 404]],
      ['POST', '/api/queue/counters/2147483648/call-next', {}, [400, 404]],
      ['GET', '/api/queue/procedures/99999999999', undefined, [400, 404]],
    ];
    for (const [method, path, body, statuses] of rest) {
      const r = await t.http(method, path, { token: t.adminToken, body });
      assert.ok(statuses.includes(r.status), `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
      assert.doesNotMatch(JSON.stringify(r.body), /out of range for type|invalid input syntax|date\/time field/i, `${path} leaks database text`);
    }
    await w.sync(admin);
    assert.equal(admin.seen(isSystemError).length, 0, JSON.stringify(admin.seen(isSystemError)));
  });
});

describe('queue: speech never delays QUEUE_UPDATE', () => {
  it('sends QUEUE_UPDATE at the call while the speech is being made, then the announcements in call order', async () => {
    const t = await TestApp.start({ env: { QUEUE_TTS_ENGINE: 'espeak', QUEUE_STATS_INTERVAL_MS: '3600000' } });
    try {
      // A speech engine that finishes when the test says so.
      const engine = t.get(SpeechSynthesizer as never) as unknown as { available: boolean; synthesize: SpeechSynthesizer['synthesize'] };
      const pending: Array<() => void> = [];
      engine.available = true;
      engine.synthesize = async (_text, _voice, out) => {
        await new Promise<void>((resolve) => pending.push(resolve));
        await writeFile(out, silenceWav());
      };
      const w = new QueueWorld(t);
      const counter = await w.counter();
      const tv = await w.client((await t.newDevice({ kind: 'display' })).token, 'tv', 'tv-speech-wait');
      await w.ticket(t.adminToken, counter.id);
      await w.ticket(t.adminToken, counter.id);

      const first = t.http('POST', `/api/queue/counters/${counter.id}/call-next`, { token: t.adminToken, body: {} });
      await tv.next((f) => ofCounter('QUEUE_UPDATE', counter.id)(f) && f.payload.current_number === 1);
      const second = t.http('POST', `/api/queue/counters/${counter.id}/call-next`, { token: t.adminToken, body: {} });
      await tv.next((f) => ofCounter('QUEUE_UPDATE', counter.id)(f) && f.payload.current_number === 2);
      await w.sync(tv);
      assert.equal(tv.seen(isType('TICKET_ANNOUNCEMENT')).length, 0, 'no announcement before its speech');

      // The second call's speech is ready first; its announcement still waits for the first.
      await until(() => pending.length === 2, 'both syntheses started', 5000);
      pending[1]();
      await w.sync(tv);
      assert.equal(tv.seen(isType('TICKET_ANNOUNCEMENT')).length, 0);
      pending[0]();
      const a1 = await tv.next(isType('TICKET_ANNOUNCEMENT'));
      const a2 = await tv.next(isType('TICKET_ANNOUNCEMENT'));
      assert.deepEqual([a1.payload.ticket_number, a2.payload.ticket_number], [1, 2]);
      assert.ok(a1.payload.audio_url && a2.payload.audio_url);
      assert.equal((await first).body.announcement.audio_url, a1.payload.audio_url);
      assert.equal((await second).body.announcement.ticket_number, 2);
    } finally {
      await t.stop();
    }
  });
});

describe('queue: what the TVs say aloud', () => {
  it('hands the speech engine the announcement in words, with the counter’s spoken name, and caches the audio by that text', async () => {
    const t = await TestApp.start({ env: { QUEUE_TTS_ENGINE: 'espeak', QUEUE_SPEECH_ZERO_TENS: 'linh', QUEUE_STATS_INTERVAL_MS: '3600000' } });
    try {
      const engine = t.get(SpeechSynthesizer as never) as unknown as { available: boolean; synthesize: SpeechSynthesizer['synthesize'] };
      const spoken: string[] = [];
      engine.available = true;
      engine.synthesize = async (text, _voice, out) => {
        spoken.push(text);
        await writeFile(out, silenceWav());
      };
      const w = new QueueWorld(t);
      const counter = await w.counter({ name: 'Quầy 3' });
      for (let i = 0; i < 104; i++) await t.http('POST', '/api/queue/tickets', { token: t.adminToken, body: { counter_id: counter.id } });
      const called = (await t.http('POST', `/api/queue/counters/${counter.id}/call-next`, { token: t.adminToken, body: { ticket_number: 104 } })).body;
      const recalled = (await t.http('POST', `/api/queue/tickets/${called.id}/recall`, { token: t.adminToken })).body;
      const calls = [called, recalled];
      // The screen keeps the template's text; the voice says it the way people do.
      assert.equal(calls[0].announcement.announcement_text, 'Mời khách hàng số 104 đến quầy Quầy 3');
      assert.deepEqual(spoken, ['Mời khách hàng số một trăm linh bốn đến quầy ba'], 'synthesized once: the second call reuses the cached audio');
      assert.equal(calls[1].announcement.audio_url, calls[0].announcement.audio_url);
    } finally {
      await t.stop();
    }
  });
});

describe('queue: each app keeps its own clock', () => {
  it('stamps ERROR frames with the clock of the app that sent them, with two apps in one process', async () => {
    const early = new FakeClock(new Date('2026-01-01T00:00:00Z'));
    const late = new FakeClock(new Date('2027-06-01T12:00:00Z'));
    const a = await TestApp.start({ clock: early });
    const b = await TestApp.start({ clock: late });
    try {
      for (const [t, clock] of [[a, early], [b, late]] as const) {
        const s = await t.socket('/ws/queue');
        s.send({ type: 'CALL_TICKET', payload: { counter_id: 1 } });
        assert.equal((await s.next(isType('ERROR'))).payload.timestamp, clock.date().toISOString());
      }
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
