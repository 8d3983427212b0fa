import { Injectable } from '@nestjs/common';
import { hostname } from 'node:os';
import { MetricsRegistry } from '../metrics/metrics';

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
}
