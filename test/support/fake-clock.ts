import { Clock } from '../../src/common/clock';

/** A clock tests move by hand; moving it makes timers recompute at once. */
export class FakeClock extends Clock {
  private t: number;
  constructor(start: Date | number = Date.now()) {
    super();
    this.t = typeof start === 'number' ? start : start.getTime();
  }
  now(): number {
    return this.t;
  }
  set(when: Date | number): void {
    this.t = typeof when === 'number' ? when : when.getTime();
    this.changed.emit('change');
  }
  advance(ms: number): void {
    this.set(this.t + ms);
  }
}
