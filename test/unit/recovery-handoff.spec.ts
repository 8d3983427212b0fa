import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Connection } from '../../src/realtime/connection';
import type { OutboundWriter } from '../../src/realtime/outbound-writer';
import type { RealtimeMetrics } from '../../src/realtime/realtime-metrics';
import { MemoryReplayLog, Position, ReadResult, ReplayLog } from '../../src/realtime/replay/replay-log';
import { Recovery, RecoverState } from '../../src/realtime/replay/recovery';
import type { Encoded } from '../../src/realtime/wire';

/** A log shared by instances, as Redis is: answers later, and one append per event key whoever makes it. */
class SharedLog extends ReplayLog {
  readonly inner = new MemoryReplayLog(this.bounds);
  private readonly byKey = new Map<string, Position>();
  append(gateway: string, stream: string, eventKey: string, json: string, now: number): Promise<Position> {
    let pos = this.byKey.get(eventKey);
    if (!pos) this.byKey.set(eventKey, (pos = this.inner.append(gateway, stream, eventKey, json, now)));
    return Promise.resolve(pos);
  }
  read(gateway: string, stream: string, epoch: string, after: number, now: number): Promise<ReadResult> {
    return Promise.resolve(this.inner.read(gateway, stream, epoch, after, now));
  }
  size() {
    return this.inner.size();
  }
}

describe('resuming on an instance that hears events later than the shared log has them', () => {
  it('drops a late live frame the client already has, and delivers the next one once', async () => {
    let now = 1_000;
    const log = new SharedLog({ windowMs: 120_000, maxFrames: 1000 });
    // Another instance appended events 1..9; the client saw all nine there before its network dropped.
    for (let i = 1; i <= 9; i++) await log.append('queue', 'tv', `ev${i}:1`, `{"n":${i}}`, now);
    const epoch = log.inner.read('queue', 'tv', '', 0, now).epoch;

    const sent: string[] = [];
    const writer = {
      sendEncoded: (_c: Connection, e: Encoded) => void sent.push(e.payload.toString()),
      send: (_c: Connection, f: object) => void sent.push(JSON.stringify(f)),
      broadcastEncoded: (cs: Connection[], e: Encoded) => (cs.forEach(() => sent.push(e.payload.toString())), cs.length),
      broadcast: (cs: Connection[], f: object) => (cs.forEach(() => sent.push(JSON.stringify(f))), cs.length),
    } as unknown as OutboundWriter;
    const counter = { inc: () => undefined };
    const metrics = { resumes: counter, framesReplayed: counter, replayAppendFailures: counter } as unknown as RealtimeMetrics;
    let event: string | null = null;
    const recovery = new Recovery(
      log,
      writer,
      metrics,
      () => now,
      () => event,
      'b',
    );
    const conn = { open: true, gateway: { name: 'queue' }, recover: new RecoverState(new Map([['tv', [epoch, 9]]])) } as unknown as Connection;

    recovery.follow(conn, 'tv');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(JSON.parse(sent.shift()!), { _stream: { s: 'tv', recovered: true, replayed: 0, e: epoch, o: 9 } });

    const publish = async (n: number) => {
      event = `ev${n}`;
      recovery.publish('queue', 'tv', [conn], { n });
      await new Promise((r) => setImmediate(r));
    };
    await publish(9); // this instance hears event 9 only now
    assert.deepEqual(sent, [], 'event 9 was not sent twice');
    await publish(10);
    assert.deepEqual(
      sent.map((s) => JSON.parse(s)._pos.o),
      [10],
    );

    // Past the window the socket holds nothing for it any more (the frame of a later event still arrives).
    now += 60_000;
    await publish(11);
    assert.deepEqual(
      sent.map((s) => JSON.parse(s)._pos.o),
      [10, 11],
    );
    assert.equal((conn.recover as RecoverState).marks, null);
  });
});
