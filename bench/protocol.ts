/** Messages between the benchmark coordinator and its client workers. */
export interface ConnectPlan {
  kind: 'ws' | 'socketio';
  url: string;
  headers?: Record<string, string>;
  /** One bearer token per socket (by index, wrapping around) instead of `headers`: displays that are each their own device. */
  tokens?: string[];
  /** Sent after open (ws), `{i}` replaced by a per-socket id; the socket counts as ready when a message containing `ackContains` arrives. */
  register?: string;
  ackContains?: string;
  /** Socket.IO: the event to count. */
  event?: string;
  count: number;
  localAddress: string;
  /** When set, a frame's sequence number follows this marker ("bench 17"), for triggers that may complete out of order. */
  seqMarker?: string;
  /** Added to the number after seqMarker (ticket numbers start at 1). */
  seqOffset?: number;
  /** Only frames containing this text count as broadcasts. */
  countOnly?: string;
  /** Add these sockets to the ones already open (instead of starting over). */
  append?: boolean;
}

export type ToWorker =
  | { cmd: 'connect'; plan: ConnectPlan }
  /** Reconnect storm: cut every socket's TCP connection at once, then each reconnects and registers again after a random delay up to `jitterMs`. */
  | { cmd: 'storm'; jitterMs: number }
  | { cmd: 'measure'; expectPerSocket: number }
  | { cmd: 'report'; t0s: number[] }
  | { cmd: 'close' };

export type FromWorker =
  | { ev: 'ready'; connected: number; failed: number; error?: string }
  | { ev: 'round'; round: number }
  | { ev: 'report'; latencies: number[]; completion: number[]; received: number; expected: number; lastReceipt: number }
  | { ev: 'closed' }
  /** `backMs`: per socket, ms from the cut until it was registered again; `retries`: attempts refused or cut before registering. */
  | { ev: 'stormed'; cutAt: number; backMs: number[]; failed: number; retries: number; error?: string; /** This client process's CPU from the cut until its last TV was back. */ cpuUs: number };
