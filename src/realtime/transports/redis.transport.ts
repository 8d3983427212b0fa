import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RealtimeMetrics } from '../realtime-metrics';
import { Transport } from './transport';

const CHANNEL = 'switchboard:events';

interface Envelope {
  /** Publishing instance. */
  o: string;
  /** Sequence number per publisher. */
  s: number;
  /** Publish time (epoch ms), for the lag histogram. */
  t: number;
  n: string;
  p: unknown;
}

/**
 * Cluster mode: an event is delivered to this instance's subscribers at once
 * and published on one Redis pub/sub channel for the others (one publishing
 * connection keeps publish order). While Redis is away, events still reach
 * this instance's sockets; what other instances would have received is
 * dropped and counted, never queued without bound; delivery resumes when
 * Redis returns. The outage is logged once, and its end once.
 */
export class RedisTransport extends Transport {
  private readonly logger = new Logger('RedisTransport');
  private readonly origin = randomUUID();
  private readonly pub: Redis;
  private readonly sub: Redis;
  private handler: ((name: string, payload: unknown, id: string) => void) | null = null;
  private seq = 0;
  private down = false;
  private everReady = false;
  private closed = false;

  constructor(
    url: string,
    private readonly metrics: RealtimeMetrics,
  ) {
    super();
    const options = {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (times: number) => Math.min(100 * times, 2000),
      connectionName: `switchboard:${metrics.instance}`,
    };
    this.pub = new Redis(url, options);
    this.sub = new Redis(url, { ...options, enableOfflineQueue: true, autoResubscribe: true });
    for (const client of [this.pub, this.sub]) {
      client.on('error', () => this.markDown());
      client.on('end', () => this.markDown());
      client.on('close', () => this.markDown());
      client.on('reconnecting', () => this.metrics.transportReconnects.inc());
      client.on('ready', () => this.checkUp());
    }
    this.sub.subscribe(CHANNEL).catch(() => this.markDown());
    this.sub.on('message', (_channel: string, message: string) => this.receive(message));
  }

  publish(name: string, payload: unknown): void {
    const envelope: Envelope = { o: this.origin, s: ++this.seq, t: Date.now(), n: name, p: payload ?? null };
    const json = JSON.stringify(envelope);
    this.handler?.(name, (JSON.parse(json) as Envelope).p, `${envelope.o}:${envelope.s}`);
    this.metrics.transportPublished.inc();
    if (this.pub.status !== 'ready') {
      this.metrics.transportDropped.inc();
      this.markDown();
      return;
    }
    this.pub.publish(CHANNEL, json).catch(() => {
      this.metrics.transportDropped.inc();
      this.markDown();
    });
  }

  onMessage(handler: (name: string, payload: unknown, id: string) => void): void {
    this.handler = handler;
  }

  override healthy(): boolean {
    return this.pub.status === 'ready' && this.sub.status === 'ready';
  }

  /** Resolves once both connections are ready (or rejects after the timeout). */
  async ready(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.healthy()) {
      if (Date.now() > deadline) throw new Error('Redis is not reachable');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handler = null;
    await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
    this.pub.disconnect();
    this.sub.disconnect();
  }

  private receive(message: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch {
      return;
    }
    if (envelope.o === this.origin) return;
    this.metrics.transportLag.observe(Math.max(0, Date.now() - envelope.t) / 1000);
    this.handler?.(envelope.n, envelope.p, `${envelope.o}:${envelope.s}`);
  }

  private markDown(): void {
    if (this.closed || this.down || !this.everReady) return;
    this.down = true;
    this.logger.warn({ msg: 'Redis unreachable: events reach this instance only until it returns' });
  }

  private checkUp(): void {
    if (!this.healthy()) return;
    if (!this.everReady) {
      this.everReady = true;
      this.logger.log({ msg: 'Redis transport connected (cluster mode)' });
      return;
    }
    if (this.down) {
      this.down = false;
      this.logger.log({ msg: 'Redis reachable again: cross-instance delivery resumed' });
    }
  }
}
