import { Transport } from './transport';

/** One instance: an event is delivered synchronously, in order. */
export class MemoryTransport extends Transport {
  private handler: ((name: string, payload: unknown) => void) | null = null;

  publish(name: string, payload: unknown): void {
    this.handler?.(name, payload);
  }

  onMessage(handler: (name: string, payload: unknown) => void): void {
    this.handler = handler;
  }

  async close(): Promise<void> {
    this.handler = null;
  }
}
