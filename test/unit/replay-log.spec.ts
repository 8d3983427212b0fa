import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryReplayLog } from '../../src/realtime/replay/replay-log';
import { parseRecover } from '../../src/realtime/replay/recovery';

describe('the in-memory replay log', () => {
  const fill = (log: MemoryReplayLog, n: number, at: (i: number) => number) => {
    for (let i = 1; i <= n; i++) log.append('queue', 'tv', `e${i}`, `{"n":${i}}`, at(i));
  };

  it('gives contiguous offsets per stream and replays exactly what came after a position', () => {
    const log = new MemoryReplayLog({ windowMs: 60_000, maxFrames: 100 });
    fill(log, 10, () => 1000);
    const other = log.append('queue', 'admin', 'x', '{}', 1000);
    assert.equal(other.offset, 1, 'each stream counts on its own');
    const first = log.read('queue', 'tv', '', -1, 1000);
    const r = log.read('queue', 'tv', first.epoch, 7, 1000);
    assert.equal(r.complete, true);
    assert.deepEqual(
      r.frames.map((f) => f.offset),
      [8, 9, 10],
    );
    assert.equal(r.frames[0].json, '{"n":8}');
    assert.deepEqual(log.read('queue', 'tv', first.epoch, 10, 1000), { epoch: first.epoch, head: 10, frames: [], complete: true });
  });

  it('keeps at most maxFrames per stream: an older position is incomplete, and memory stays bounded', () => {
    const log = new MemoryReplayLog({ windowMs: 60_000, maxFrames: 5 });
    fill(log, 50, () => 1000);
    const { epoch } = log.read('queue', 'tv', '', -1, 1000);
    assert.equal(log.read('queue', 'tv', epoch, 45, 1000).complete, true);
    assert.equal(log.read('queue', 'tv', epoch, 44, 1000).complete, false);
    assert.deepEqual(log.size().get('queue'), { frames: 5, bytes: 5 * '{"n":50}'.length });
  });

  it('stays exact over many drops from a full stream (dropped slots are compacted away)', () => {
    const log = new MemoryReplayLog({ windowMs: 60_000, maxFrames: 100 });
    fill(log, 1000, () => 1000);
    const { epoch } = log.read('queue', 'tv', '', -1, 1000);
    const tail = log.read('queue', 'tv', epoch, 900, 1000);
    assert.equal(tail.complete, true);
    assert.deepEqual(
      tail.frames.map((f) => f.offset),
      Array.from({ length: 100 }, (_, i) => 901 + i),
    );
    assert.equal(log.read('queue', 'tv', epoch, 899, 1000).complete, false);
    assert.equal(log.size().get('queue')?.frames, 100);
  });

  it('keeps frames for the window only', () => {
    const log = new MemoryReplayLog({ windowMs: 10_000, maxFrames: 1000 });
    fill(log, 20, (i) => i * 1000);
    const { epoch } = log.read('queue', 'tv', '', -1, 20_000);
    assert.equal(log.read('queue', 'tv', epoch, 10, 20_000).complete, true, 'frames 11..20 are within 10 s of t=20 s');
    assert.equal(log.read('queue', 'tv', epoch, 8, 20_000).complete, false, 'frame 9 is 11 s old');
    assert.equal(log.read('queue', 'tv', epoch, 15, 40_000).complete, false, 'all of them are old by t=40 s');
  });

  it('refuses a foreign epoch and an offset the stream never had', () => {
    const log = new MemoryReplayLog({ windowMs: 60_000, maxFrames: 100 });
    fill(log, 3, () => 0);
    const { epoch } = log.read('queue', 'tv', '', -1, 0);
    assert.equal(log.read('queue', 'tv', `${epoch}x`, 1, 0).complete, false);
    assert.equal(log.read('queue', 'tv', epoch, 4, 0).complete, false);
    assert.equal(log.read('queue', 'tv', '', 0, 0).frames.length, 3, 'epoch "" and 0: the stream from its first frame');
  });
});

describe('recover/since at the handshake', () => {
  it('is off without recover, on with recover=1, and reads since as stream → [epoch, offset]', () => {
    assert.equal(parseRecover({}), null);
    const on = parseRecover({ recover: '1', since: '{"tv":["abc",4]}' });
    assert.ok(on && typeof on === 'object');
    assert.deepEqual([...on.since!], [['tv', ['abc', 4]]]);
  });

  it('explains what is wrong with a bad value', () => {
    assert.match(parseRecover({ recover: 'yes' }) as string, /recover must be 1/);
    assert.match(parseRecover({ recover: '1', since: '[1]' }) as string, /JSON object/);
    assert.match(parseRecover({ recover: '1', since: '{"tv":["abc",-1]}' }) as string, /offset ≥ 0/);
    assert.match(parseRecover({ recover: '1', since: JSON.stringify(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`s${i}`, ['e', 1]]))) }) as string, /more than 256/);
  });
});
