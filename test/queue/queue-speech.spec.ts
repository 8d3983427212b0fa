import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { SpeechSynthesizer } from '../../src/queue/speech/speech-synthesizer';
import { TestApp } from '../support/test-app';
import { until } from '../support/wait';
import { silenceWav } from '../support/wav';
import { isType, ofCounter, QueueWorld } from './queue-world';

const MINUTE = 60_000;

describe('queue: speech never delays QUEUE_UPDATE', () => {
  it('sends QUEUE_UPDATE at the call while the speech is being made, then the announcements in call order', async () => {
    const t = await TestApp.start({ env: { QUEUE_TTS_ENGINE: 'espeak', QUEUE_STATS_INTERVAL_MS: '3600000' } });
    try {
      // A speech engine that finishes when the test says so.
      const engine = t.get<{ available: boolean; synthesize: SpeechSynthesizer['synthesize'] }>(SpeechSynthesizer as never);
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
      const engine = t.get<{ available: boolean; synthesize: SpeechSynthesizer['synthesize'] }>(SpeechSynthesizer as never);
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

describe('queue alerts: system_error', () => {
  it('raises system_error once when the speech engine fails, and the announcement still goes out with audio_url null', async () => {
    const t = await TestApp.start({ env: { QUEUE_TTS_ENGINE: 'espeak', QUEUE_TTS_VOICE: 'zzinvalid', QUEUE_COUNTER_OFFLINE_MS: String(60 * MINUTE) } });
    try {
      const w = new QueueWorld(t);
      const admin = await w.client(t.adminToken, 'admin', 'admin-system-error');
      const counter = await w.counter();
      const kiosk = await t.newDevice({ kind: 'kiosk' });
      await w.ticket(kiosk.token, counter.id);
      await w.ticket(kiosk.token, counter.id);
      await t.http('POST', `/api/queue/counters/${counter.id}/call-next`, { token: t.adminToken, body: {} });
      const a = await admin.next(isType('TICKET_ANNOUNCEMENT'));
      assert.equal(a.payload.audio_url, null);
      const alert = await admin.next((f) => f.type === 'SYSTEM_ALERT' && f.payload.alert_type === 'system_error');
      assert.equal(alert.payload.severity, 'critical');
      assert.equal(alert.payload.counter_id, counter.id);
      assert.equal(alert.payload.message, 'speech synthesis failed inside the server', 'names the action, never what the engine or a driver said');
      await t.http('POST', `/api/queue/counters/${counter.id}/call-next`, { token: t.adminToken, body: {} });
      await admin.next((f) => f.type === 'TICKET_ANNOUNCEMENT' && f.payload.ticket_number === 2);
      await w.sync(admin);
      assert.equal(admin.seen((f) => f.type === 'SYSTEM_ALERT' && f.payload.alert_type === 'system_error').length, 0, 'not repeated until it clears');
    } finally {
      await t.stop();
    }
  });
});
