import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The service's Prometheus registry (prom-client), one per app so that apps
 * started side by side in one process (tests) keep their own figures. Holds
 * the default process and event-loop metrics too. Metrics are declared with
 * their label names; a broadcast increments once, not once per socket.
 */
export class MetricsRegistry {
  readonly prom = new Registry();

  constructor() {
    collectDefaultMetrics({ register: this.prom });
  }

  counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.prom] });
  }

  /** A gauge computed at scrape time. */
  gauge<L extends string>(name: string, help: string, labelNames: readonly L[], collect: () => Array<[Partial<Record<L, string>>, number]>): Gauge<L> {
    return new Gauge({
      name,
      help,
      labelNames,
      registers: [this.prom],
      collect() {
        this.reset();
        for (const [labels, value] of collect()) this.set(labels, value);
      },
    });
  }

  histogram<L extends string = never>(name: string, help: string, buckets: readonly number[], labelNames: readonly L[] = []): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets: [...buckets], registers: [this.prom] });
  }

  get contentType(): string {
    return this.prom.contentType;
  }

  render(): Promise<string> {
    return this.prom.metrics();
  }
}
