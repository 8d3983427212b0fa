import { Logger } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { ClusterState } from './cluster-state';

/** The cluster-state directory each instance keeps its own record in (gateway names never start with `@`). */
export const INSTANCES_DIRECTORY = '@instances';

export interface InstanceGateway {
  gateway: string;
  sockets: number;
  frames_in_per_s: number;
  frames_out_per_s: number;
  broadcasts_per_s: number;
}

/** One instance as every instance reads it. */
export interface InstanceRecord {
  instance: string;
  started_at: string;
  /** When the instance last wrote this record */
  updated_at: string;
  gateways: InstanceGateway[];
}

export interface InstanceSource {
  instance: string;
  gateways(): string[];
  sockets(gateway: string): number;
  framesIn: Counter<'gateway'>;
  framesOut: Counter<'gateway'>;
  broadcasts: Counter<'gateway'>;
  /** The service clock (epoch ms). */
  now(): number;
}

type Totals = Record<string, number>;

/**
 * Every instance of the cluster, its sockets and traffic: each instance
 * rewrites its record in the cluster state on the cluster heartbeat (rates
 * over the time since the previous write); a dead instance's record expires
 * with its other entries. One process lists only itself.
 */
export class InstanceDirectory {
  private readonly startedAt: string;
  private timer: NodeJS.Timeout | null = null;
  private previous: { at: number; fin: Totals; fout: Totals; b: Totals } | null = null;

  constructor(
    private readonly cluster: ClusterState,
    private readonly source: InstanceSource,
    private readonly everyMs: number,
    private readonly logger: Logger,
  ) {
    this.startedAt = new Date(source.now()).toISOString();
  }

  start(): void {
    void this.publish();
    this.timer = setInterval(() => void this.publish(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Every live instance, this one freshly measured, by id. */
  async list(): Promise<InstanceRecord[]> {
    await this.publish();
    const all = (await this.cluster.clients(INSTANCES_DIRECTORY)) as unknown as InstanceRecord[];
    return all.sort((a, b) => a.instance.localeCompare(b.instance));
  }

  private async publish(): Promise<void> {
    try {
      await this.cluster.putClient(INSTANCES_DIRECTORY, this.source.instance, await this.measure());
    } catch (err) {
      this.logger.debug({ msg: 'could not publish the instance record', err: String(err) });
    }
  }

  private async measure(): Promise<InstanceRecord> {
    const s = this.source;
    const [fin, fout, b] = await Promise.all([totals(s.framesIn), totals(s.framesOut), totals(s.broadcasts)]);
    // Rates are measured on the monotonic clock: the service clock may be set or faked.
    const at = performance.now();
    const p = this.previous;
    const seconds = p ? (at - p.at) / 1000 : 0;
    const rate = (cur: Totals, old: Totals | undefined, g: string) => (p && old && seconds > 0 ? round(Math.max(0, ((cur[g] ?? 0) - (old[g] ?? 0)) / seconds)) : 0);
    // Rates over a very short time (a list read right after a heartbeat) say little: keep the previous sample as the base then.
    if (!p || seconds >= 1) this.previous = { at, fin, fout, b };
    const gateways = s.gateways().map((g) => ({
      gateway: g,
      sockets: s.sockets(g),
      frames_in_per_s: rate(fin, p?.fin, g),
      frames_out_per_s: rate(fout, p?.fout, g),
      broadcasts_per_s: rate(b, p?.b, g),
    }));
    return { instance: s.instance, started_at: this.startedAt, updated_at: new Date(s.now()).toISOString(), gateways };
  }
}

async function totals(counter: Counter<'gateway'>): Promise<Totals> {
  const out: Totals = {};
  for (const v of (await counter.get()).values) out[String(v.labels.gateway ?? '')] = (out[String(v.labels.gateway ?? '')] ?? 0) + v.value;
  return out;
}

const round = (n: number) => Math.round(n * 10) / 10;
