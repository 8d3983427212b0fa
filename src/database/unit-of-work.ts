import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Broadcaster } from '../realtime/broadcaster';
import { EventName, EventPayload } from '../realtime/events';

/** Events a transaction wants announced once, and only if, it commits. */
export class PendingEvents {
  private readonly list: Array<[EventName, unknown] | (() => void)> = [];
  publish<K extends EventName>(name: K, payload: EventPayload<K>): void {
    this.list.push([name, payload]);
  }
  /** Work that must happen after the commit, in order with the events queued around it (a direct reply to the requester). */
  afterCommit(work: () => void): void {
    this.list.push(work);
  }
  flush(broadcaster: Broadcaster): void {
    for (const item of this.list) {
      if (typeof item === 'function') item();
      else broadcaster.publish(item[0], item[1] as never);
    }
    this.list.length = 0;
  }
}

/**
 * Runs work in one transaction and publishes the events it queued after the
 * commit, so no event ever announces data that was rolled back.
 */
@Injectable()
export class UnitOfWork {
  constructor(
    private readonly dataSource: DataSource,
    private readonly broadcaster: Broadcaster,
  ) {}

  async run<T>(work: (tx: EntityManager, events: PendingEvents) => Promise<T>): Promise<T> {
    const events = new PendingEvents();
    const result = await this.dataSource.transaction((tx) => work(tx, events));
    events.flush(this.broadcaster);
    return result;
  }
}
