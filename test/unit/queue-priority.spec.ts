import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Candidate, parsePriorityClasses, pickNext, PriorityClass } from '../../src/queue/queue-priority';

interface Waiting {
  id: number;
  cls: string | null;
}

/**
 * One counter's line, called by pickNext the way TicketsService does: the
 * oldest ticket of each class are the candidates, the classes of the
 * counter's calls (newest first) the history.
 */
class Line {
  private seq = 0;
  readonly waiting: Waiting[] = [];
  readonly history: Array<string | null> = [];
  readonly calledAt = new Map<number, number>();
  readonly arrivedAt = new Map<number, number>();

  constructor(
    private readonly classes: PriorityClass[],
    private readonly maxRun: number,
  ) {}

  add(cls: string | null, count = 1): number[] {
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      const id = ++this.seq;
      this.waiting.push({ id, cls });
      this.arrivedAt.set(id, this.history.length);
      ids.push(id);
    }
    return ids;
  }

  call(): Waiting | null {
    const heads = new Map<string, Candidate>();
    for (const w of this.waiting) if (!heads.has(w.cls ?? '')) heads.set(w.cls ?? '', { id: w.id, priority_class: w.cls, position: w.id });
    const next = pickNext([...heads.values()], this.history, this.classes, this.maxRun);
    if (!next) return null;
    const i = this.waiting.findIndex((w) => w.id === next.id);
    const [ticket] = this.waiting.splice(i, 1);
    this.history.unshift(ticket.cls);
    this.calledAt.set(ticket.id, this.history.length);
    return ticket;
  }

  /** Calls `n` times; returns the classes called ('-' for normal). */
  calls(n: number): string[] {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.call()?.cls ?? '-');
    return out;
  }
}

const CLASSES = parsePriorityClasses(['elderly', 'disabled', 'appointment:2']);

describe('queue priority classes', () => {
  it('reads QUEUE_PRIORITY_CLASSES and refuses a malformed list', () => {
    assert.deepEqual(CLASSES, [
      { name: 'elderly', rule: { kind: 'ahead' } },
      { name: 'disabled', rule: { kind: 'ahead' } },
      { name: 'appointment', rule: { kind: 'every', normals: 2 } },
    ]);
    assert.deepEqual(parsePriorityClasses([]), []);
    for (const bad of [['Elderly'], ['vip:0'], ['a:b'], ['x', 'x'], ['two words']]) assert.throws(() => parsePriorityClasses(bad), /QUEUE_PRIORITY_CLASSES/);
  });

  it('calls in the documented order: ahead classes first, by age; every-K after K normal calls; a normal one after maxRun priority calls', () => {
    const line = new Line(CLASSES, 3);
    line.add(null, 6);
    line.add('appointment', 2);
    line.add('elderly', 2);
    line.add('disabled', 3);
    // elderly, elderly, disabled (3 priority in a row: the run is full) → normal; disabled; then the
    // appointment is not due (one normal since the start) → normal, now due → appointment, …
    assert.deepEqual(line.calls(16), ['elderly', 'elderly', 'disabled', '-', 'disabled', 'disabled', '-', 'appointment', '-', '-', 'appointment', '-', '-', '-', '-', '-']);
    assert.equal(line.call(), null);
  });

  it('is deterministic: the same line gives the same order every time', () => {
    const run = () => {
      const line = new Line(CLASSES, 2);
      for (let i = 0; i < 40; i++) line.add([null, 'elderly', null, 'appointment', 'disabled', null][(i * 7) % 6]);
      return line.calls(40);
    };
    assert.deepEqual(run(), run());
  });

  it('starves nobody: a normal ticket goes within maxRun calls however many priority tickets keep coming', () => {
    for (const maxRun of [1, 3, 5]) {
      const line = new Line(CLASSES, maxRun);
      const [normal] = line.add(null);
      line.add('elderly', 3);
      for (let call = 0; call < 200 && line.waiting.some((w) => w.id === normal); call++) {
        line.add('elderly', 2); // more priority visitors arrive than the counter can call
        line.add('disabled');
        line.call();
      }
      assert.equal(line.calledAt.get(normal), maxRun + 1, `maxRun ${maxRun}`);
    }
  });

  it('starves nobody: an every-K ticket goes once K normal tickets were called, even under a stream of ahead tickets', () => {
    const line = new Line(CLASSES, 3);
    line.add(null, 50);
    const [appointment] = line.add('appointment');
    for (let call = 0; call < 200 && !line.calledAt.has(appointment); call++) {
      line.add('elderly', 2);
      line.call();
    }
    // Two normal calls need two full runs (3 elderly + 1 normal each); the appointment is older than every elderly ticket after that.
    assert.equal(line.calledAt.get(appointment), 9);
  });

  it('starves nobody: a priority ticket is never passed by a younger priority ticket, and a flood of normal tickets does not delay it', () => {
    const line = new Line(CLASSES, 3);
    line.add(null, 20);
    const [disabled] = line.add('disabled');
    const [elderly] = line.add('elderly');
    line.add(null, 5);
    assert.equal(line.call()?.id, disabled);
    line.add('disabled', 10); // younger than the waiting elderly ticket
    assert.equal(line.call()?.id, elderly);
  });

  it('every-K classes are due at once when no normal ticket waits', () => {
    const line = new Line(CLASSES, 3);
    line.add('appointment', 2);
    assert.deepEqual(line.calls(3), ['appointment', 'appointment', '-']);
  });

  it('over a long random day every ticket is called, first come first served within its class', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const line = new Line(CLASSES, 3);
    const kinds = [null, null, null, 'elderly', 'disabled', 'appointment'];
    for (let step = 0; step < 3000; step++) {
      if (rand() < 0.95) line.add(kinds[Math.floor(rand() * kinds.length)]);
      line.call();
    }
    while (line.call());
    assert.equal(line.waiting.length, 0);
    // Within a class, first come first served.
    const byClass = new Map<string, number[]>();
    for (const [, at] of [...line.calledAt].sort((a, b) => a[0] - b[0])) {
      const cls = String(line.history[line.history.length - at]);
      byClass.set(cls, [...(byClass.get(cls) ?? []), at]);
    }
    for (const [cls, order] of byClass)
      assert.deepEqual(
        order,
        [...order].sort((a, b) => a - b),
        cls,
      );
  });
});
