import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SchedulerRegistry } from '@nestjs/schedule';
import { ClockJob } from '../../src/common/clock-job';
import { FakeClock } from '../support/fake-clock';

describe('clock job', () => {
  it('runs when the clock reaches the time it asked for, never two runs at once', async () => {
    const clock = new FakeClock(1_000);
    const registry = new SchedulerRegistry();
    const runs: number[] = [];
    let running = 0;
    const job = new ClockJob(
      'test-job',
      async (now) => {
        running++;
        assert.equal(running, 1, 'runs do not overlap');
        runs.push(now);
        await new Promise((r) => setImmediate(r));
        running--;
        return now + 10_000;
      },
      clock,
      registry,
    );
    await job.start();
    assert.deepEqual(runs, [1_000]);
    assert.ok(registry.doesExist('timeout', 'test-job'), 'the waiting timer is visible to Nest');
    void job.kick();
    void job.kick();
    await job.idle();
    assert.equal(runs.length, 3);
    clock.advance(10_000);
    await job.idle();
    assert.equal(runs.length, 4);
    job.stop();
    assert.equal(registry.doesExist('timeout', 'test-job'), false);
    clock.advance(60_000);
    await job.idle();
    assert.equal(runs.length, 4, 'a stopped job does not run');
  });

  it('keeps going after a failed run', async () => {
    const clock = new FakeClock(0);
    const registry = new SchedulerRegistry();
    let calls = 0;
    const job = new ClockJob(
      'flaky',
      async () => {
        calls++;
        if (calls === 1) throw new Error('database away');
        return null;
      },
      clock,
      registry,
      { retryMs: 5_000 },
    );
    await job.start();
    assert.equal(calls, 1);
    clock.advance(4_999);
    await job.idle();
    assert.equal(calls, 2, 'a clock change runs it again at once');
    job.stop();
  });
});
