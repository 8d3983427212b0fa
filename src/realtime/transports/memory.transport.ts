import { Transport } from './transport';

/**
 * One instance. Each event is delivered synchronously and in order, as the
 * JSON a Redis transport would carry, so code behaves the same on one
 * instance or many (a payload that is not plain JSON shows up in tests here).
 */
export class MemoryTransport extends Transport {
  private handler: ((name: string, payload: unknown, id: string) => void) | null = null;
  private seq = 0;

  publish(name: string, payload: unknown): void {
    this.handler?.(name, JSON.parse(JSON.stringify(payload ?? null)), `m${++this.seq}`);
  }

  onMessage(handler: (name: string, payload: unknown, id: string) => void): void {
    this.handler = handler;
  }

  async close(): Promise<void> {
    this.handler = null;
  }
}
