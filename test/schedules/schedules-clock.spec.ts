import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeClock } from '../support/fake-clock';
import { TestApp } from '../support/test-app';
import { connect, isFrame } from './schedules-world';

describe('schedules error frames and the injected clock', () => {
  let a: TestApp;
  let b: TestApp;
  before(async () => {
    // Started in this order on purpose: a codec holding a module-global clock would carry b's time in a's frames.
    a = await TestApp.start({ clock: new FakeClock(Date.parse('2031-03-01T10:00:00Z')) });
    b = await TestApp.start({ clock: new FakeClock(Date.parse('2032-07-09T08:30:00Z')) });
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
  });

  it('stamps each app’s error frames with that app’s own clock', async () => {
    for (const [t, expected] of [
      [a, '2031-03-01T10:00:00.000Z'],
      [b, '2032-07-09T08:30:00.000Z'],
    ] as const) {
      const s = await connect(t, t.adminToken);
      s.send('not json');
      const err = await s.next(isFrame('error'), 5000, 'the error frame');
      assert.equal(err.action, 'message_error');
      assert.equal(err.timestamp, expected);
      s.close();
      await s.waitClose();
    }
  });
});
