import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../support/fake-clock';
import { TestApp } from '../support/test-app';
import { bellsSocket, isType } from './bells-world';

describe('bells frames and the clock', () => {
  it('stamps each app’s frames, errors included, with its own injected clock when two apps share a process', async () => {
    const a = await TestApp.start({ clock: new FakeClock(new Date('2030-01-02T03:04:05.000Z')) });
    const b = await TestApp.start({ clock: new FakeClock(new Date('2031-06-07T08:09:10.000Z')) });
    try {
      const sa = await bellsSocket(a, { token: a.adminToken, type: 'admin', register: false });
      const sb = await bellsSocket(b, { token: b.adminToken, type: 'admin', register: false });
      for (const [s, when] of [
        [sa, '2030-01-02T03:04:05.000Z'],
        [sb, '2031-06-07T08:09:10.000Z'],
      ] as const) {
        s.send({ type: 'register', payload: { client_type: 'admin' } });
        const ack = await s.next(isType('connection_acknowledged'));
        assert.equal(ack.timestamp, when);
        assert.equal(ack.payload.server_time, when);
        s.send({ type: 'no_such_message' });
        const err = await s.next(isType('error'));
        assert.equal(err.timestamp, when);
      }
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
