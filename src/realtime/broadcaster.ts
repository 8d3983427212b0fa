import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { EventName, EventPayload } from './events';
import { Transport } from './transports/transport';

type Handler<K extends EventName> = (payload: EventPayload<K>) => void;

/**
 * Typed publish/subscribe of domain events over a transport. Publish only
 * after the data is committed (see UnitOfWork). A failing subscriber is
 * logged and never stops the others.
 */
@Injectable()
export class Broadcaster implements OnApplicationShutdown {
  private readonly logger = new Logger('Broadcaster');
  private readonly handlers = new Map<string, Array<(payload: unknown) => void>>();

  /** The event whose subscribers are running now (synchronously), named the same on every instance. */
  private current: string | null = null;

  constructor(private readonly transport: Transport) {
    transport.onMessage((name, payload, id) => this.deliver(name, payload, id));
  }

  /**
   * The id of the event being delivered, while its subscribers run: a
   * subscriber that renders it after an \`await\` takes it first and passes it
   * on (the replay log gives every instance's rendering of one event one offset).
   */
  currentEvent(): string | null {
    return this.current;
  }

  publish<K extends EventName>(name: K, payload: EventPayload<K>): void {
    this.transport.publish(name, payload);
  }

  on<K extends EventName>(name: K, handler: Handler<K>): () => void {
    const list = this.handlers.get(name) ?? [];
    list.push(handler as (payload: unknown) => void);
    this.handlers.set(name, list);
    return () => {
      const l = this.handlers.get(name);
      if (l)
        this.handlers.set(
          name,
          l.filter((h) => h !== handler),
        );
    };
  }

  healthy(): boolean {
    return this.transport.healthy();
  }

  private deliver(name: string, payload: unknown, id: string): void {
    const list = this.handlers.get(name);
    if (!list) return;
    const outer = this.current;
    this.current = id;
    try {
      for (const h of list) {
        try {
          h(payload);
        } catch (err) {
          this.logger.error({ msg: `subscriber of ${name} failed`, err: String(err), stack: (err as Error)?.stack });
        }
      }
    } finally {
      this.current = outer;
    }
  }

  /** Last: requests still in flight while sockets and HTTP drain may publish. */
  async onApplicationShutdown(): Promise<void> {
    await this.transport.close();
  }
}
