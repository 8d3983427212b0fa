import { Injectable } from '@nestjs/common';
import { hostname } from 'node:os';
import { MetricsRegistry } from '../metrics/metrics';

const RATE_WINDOW_S = 10;

/** The realtime core's operator view (served at /metrics). */
@Injectable()
export class RealtimeMetrics {
  readonly instance = process.env.INSTANCE_ID || `${hostname()}:${process.pid}`;
  readonly registry = new MetricsRegistry();
  readonly framesIn = this.registry.counter('switchboard_ws_frames_in_total', 'Frames received, by gateway', ['gateway']);
  readonly framesOut = this.registry.counter('switchboard_ws_frames_out_total', 'Frames written to sockets, by gateway', ['gateway']);
  readonly broadcasts = this.registry.counter('switchboard_ws_broadcasts_total', 'Broadcasts (one encoding each), by gateway', ['gateway']);
  readonly closes = this.registry.counter('switchboard_ws_server_closes_total', 'Sockets the server closed, by gateway and reason (slow_consumer, rate_limited, timeout, revoked, expired, …)', [
    'gateway',
    'reason',
  ]);
  readonly refused = this.registry.counter('switchboard_ws_refused_handshakes_total', 'Upgrades or handshakes refused, by gateway and reason', ['gateway', 'reason']);
  readonly fanout = this.registry.histogram(
    'switchboard_ws_broadcast_fanout_seconds',
    'Time to write one broadcast to every recipient socket',
    [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    ['gateway'],
  );
  readonly registrations = this.registry.counter('switchboard_ws_registrations_total', 'Clients registered (queue REGISTER_CLIENT answered with its snapshot), by gateway', ['gateway']);
  readonly admissionWait = this.registry.histogram(
    'switchboard_ws_admission_wait_seconds',
    'Time from the upgrade until the socket was admitted (address limits, token, roles) and handed to its gateway',
    [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    ['gateway'],
  );
  readonly registrationWait = this.registry.histogram(
    'switchboard_ws_registration_seconds',
    'Time from the upgrade until the client was registered and had its snapshot',
    [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    ['gateway'],
  );
  /** Registrations of the last RATE_WINDOW_S whole seconds, per gateway, for a rate readable without Prometheus. */
  private readonly recentRegistrations = new Map<string, { second: number; counts: number[] }>();
  readonly registrationRate = this.registry.gauge('switchboard_ws_registrations_per_second', `Registrations per second over the last ${RATE_WINDOW_S} s, by gateway`, ['gateway'], () =>
    [...this.recentRegistrations.keys()].map((gateway) => [{ gateway }, this.rate(gateway, Math.floor(Date.now() / 1000))]),
  );
  readonly transportPublished = this.registry.counter('switchboard_transport_published_total', 'Events published to the broadcaster transport');
  readonly transportDropped = this.registry.counter('switchboard_transport_dropped_total', 'Events that could not reach other instances (transport down)');
  readonly transportReconnects = this.registry.counter('switchboard_transport_reconnects_total', 'Reconnections of the broadcaster transport');
  readonly transportLag = this.registry.histogram(
    'switchboard_transport_lag_seconds',
    'Time from publish on another instance to delivery here',
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
  );
  readonly resumes = this.registry.counter('switchboard_ws_resumes_total', 'Stream resumes of opted-in sockets, by gateway and result (attempted, complete, incomplete)', ['gateway', 'result']);
  readonly framesReplayed = this.registry.counter('switchboard_ws_frames_replayed_total', 'Frames replayed to resuming sockets, by gateway', ['gateway']);
  readonly replayAppendFailures = this.registry.counter('switchboard_replay_append_failures_total', 'Frames the replay log could not keep (Redis away), sent without a position', ['gateway']);

  /** A client registered `waitMs` after its upgrade. */
  registered(gateway: string, waitMs: number): void {
    this.registrations.inc({ gateway });
    this.registrationWait.observe({ gateway }, waitMs / 1000);
    const second = Math.floor(Date.now() / 1000);
    let w = this.recentRegistrations.get(gateway);
    if (!w) this.recentRegistrations.set(gateway, (w = { second, counts: new Array<number>(RATE_WINDOW_S).fill(0) }));
    this.advance(w, second);
    w.counts[second % RATE_WINDOW_S]++;
  }

  private rate(gateway: string, second: number): number {
    const w = this.recentRegistrations.get(gateway)!;
    this.advance(w, second);
    return w.counts.reduce((a, b) => a + b, 0) / RATE_WINDOW_S;
  }

  /** Zeroes the buckets of the seconds that passed since the window last moved. */
  private advance(w: { second: number; counts: number[] }, second: number): void {
    for (let s = Math.max(w.second + 1, second - RATE_WINDOW_S + 1); s <= second; s++) w.counts[s % RATE_WINDOW_S] = 0;
    if (second > w.second) w.second = second;
  }
}
