import { EventEmitter } from 'node:events';

/**
 * Time, injected. Schedulers, expiry and limits read `now()` so tests can move
 * time instead of sleeping. `changed` fires when a test clock jumps, so timers
 * computed from the old time can be recomputed at once.
 */
export abstract class Clock {
  readonly changed = new EventEmitter();
  abstract now(): number;
  date(): Date {
    return new Date(this.now());
  }
}

export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }
}
