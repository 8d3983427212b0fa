import { Logger } from '@nestjs/common';
import type { Connection } from '../connection';
import type { OutboundWriter } from '../outbound-writer';
import type { RealtimeMetrics } from '../realtime-metrics';
import { Encoded } from '../wire';
import { Position, ReplayLog } from './replay-log';

/** What a connection that opted in (`?recover=1`) presented, and the streams it is catching up on. */
export class RecoverState {
  constructor(
    /** Positions presented at upgrade (`since`), by stream; each is used by the first follow of its stream. */
    public since: Map<string, [epoch: string, offset: number]> | null,
  ) {}
  /** Streams being caught up: live frames wait here (by offset) until the replay is written. */
  syncing: Map<string, Array<{ pos: Position; encoded: Encoded }>> | null = null;
  /**
   * After a catch-up from a shared log (Redis): the position each stream was
   * caught up to, until `marksUntil`. This instance may hear an event later
   * than the log had it (another instance appended it first); such a live
   * frame at or before the mark was already replayed or seen, and is dropped.
   */
  marks: Map<string, [epoch: string, offset: number]> | null = null;
  marksUntil = 0;
}

/** How long a caught-up socket drops live frames the replay already covered (see RecoverState.marks): well past any lag between instances. */
const MARK_MS = 30_000;

/** Every opted-in connection with nothing presented and nothing pending shares this one (no memory per socket). */
export const OPTED_IN = Object.freeze(new RecoverState(null)) as RecoverState;

const MAX_STREAMS = 256;

/**
 * Reads `?recover=1&since=…` at upgrade. `since` is a JSON object: stream →
 * [epoch, offset], the last position the client holds in each. Returns the
 * state, null when the client did not opt in, or an error message.
 */
export function parseRecover(query: Readonly<Record<string, string>>): RecoverState | null | string {
  const opted = query.recover;
  if (opted === undefined) return null;
  if (opted !== '1' && opted !== 'true') return 'recover must be 1';
  if (query.since === undefined) return OPTED_IN;
  let since: unknown;
  try {
    since = JSON.parse(query.since);
  } catch {
    return 'since must be a JSON object of stream → [epoch, offset]';
  }
  if (!since || typeof since !== 'object' || Array.isArray(since)) return 'since must be a JSON object of stream → [epoch, offset]';
  const entries = Object.entries(since as Record<string, unknown>);
  if (entries.length > MAX_STREAMS) return `since names more than ${MAX_STREAMS} streams`;
  const map = new Map<string, [string, number]>();
  for (const [stream, pos] of entries) {
    if (stream.length > 200 || !Array.isArray(pos) || pos.length !== 2) return `since.${stream.slice(0, 50)} must be [epoch, offset]`;
    const [epoch, offset] = pos as unknown[];
    if (typeof epoch !== 'string' || epoch.length > 64 || !Number.isSafeInteger(offset) || (offset as number) < 0)
      return `since.${stream.slice(0, 50)} must be [epoch, offset] with a string epoch and an offset ≥ 0`;
    map.set(stream, [epoch, offset as number]);
  }
  return map.size ? new RecoverState(map) : OPTED_IN;
}

/** The frame's JSON with its position first: `{"_pos":{"s":…,"e":…,"o":…},…}`. */
function positioned(stream: string, pos: Position, json: string): Encoded {
  const head = `{"_pos":{"s":${JSON.stringify(stream)},"e":${JSON.stringify(pos.epoch)},"o":${pos.offset}}`;
  return new Encoded(Buffer.from(json.length <= 2 ? `${head}}` : `${head},${json.slice(1)}`));
}

export type IncompleteReason = 'unknown_position' | 'expired' | 'unavailable';

/**
 * Reliable delivery (docs/recovery.md). A gateway publishes each audience
 * frame to a stream; the stream's log gives it an offset and keeps it for a
 * while. Sockets that opted in get the frame with its position (the same
 * bytes for all of them); the others get exactly the frame they always got.
 * When a gateway lets a socket follow a stream (after it checked, now, that
 * the principal may see it), the socket's presented position is replayed from
 * the log, in order, then live frames continue; a `_stream` frame says where
 * the socket is and whether the recovery was complete.
 */
export class Recovery {
  private readonly logger = new Logger('Recovery');
  private eventCounts = new Map<string, number>();
  private countedEvent: string | null = null;
  private seq = 0;

  constructor(
    private readonly log: ReplayLog | null,
    private readonly writer: OutboundWriter,
    private readonly metrics: RealtimeMetrics,
    private readonly now: () => number,
    private readonly currentEvent: () => string | null,
    private readonly instance: string,
  ) {}

  get enabled(): boolean {
    return this.log !== null;
  }

  /** Frames and bytes the log holds, by gateway (for the metrics). */
  size(): Map<string, { frames: number; bytes: number }> {
    return this.log?.size() ?? new Map();
  }

  /**
   * Writes `frame` to the plain sockets among `targets` and, with its
   * position, `recoverFrame ?? frame` to those that opted in; logs it in the
   * stream even when nobody is connected. Returns the sockets written to.
   */
  publish(gateway: string, stream: string, targets: Iterable<Connection>, frame: object, recoverFrame?: object, event?: string | null): number {
    const plain: Connection[] = [];
    const opted: Connection[] = [];
    for (const conn of targets) (conn.recover ? opted : plain).push(conn);
    const plainEncoded = plain.length || !recoverFrame ? Encoded.of(frame) : null;
    let written = plain.length ? this.writer.broadcastEncoded(plain, plainEncoded!) : 0;
    if (!this.log) {
      if (opted.length) written += this.writer.broadcast(opted, recoverFrame ?? frame);
      return written;
    }
    const json = recoverFrame ? JSON.stringify(recoverFrame) : plainEncoded!.payload.toString();
    let pos: Position | Promise<Position>;
    try {
      pos = this.log.append(gateway, stream, this.eventKey(stream, event ?? this.currentEvent()), json, this.now());
    } catch (err) {
      pos = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    if (!(pos instanceof Promise)) return written + this.deliver(opted, stream, pos, json);
    pos.then(
      (p) => this.deliver(opted, stream, p, json),
      (err) => {
        // Without a position the frame still goes out; the client's next offset will show the hole.
        this.logger.warn({ msg: 'replay log unavailable: frame sent without a position', gateway, stream, err: String(err) });
        this.metrics.replayAppendFailures.inc({ gateway });
        for (const conn of opted) this.writer.sendEncoded(conn, new Encoded(Buffer.from(json)));
      },
    );
    return written + opted.length;
  }

  /**
   * The socket now belongs to `stream` (its gateway checked it may see it).
   * For a socket that opted in: replays what it missed since the position it
   * presented for this stream, or tells it where the stream stands.
   */
  follow(conn: Connection, stream: string): void {
    const state = conn.recover;
    if (!state || !this.log) return;
    const since = state.since?.get(stream) ?? null;
    if (since) state.since!.delete(stream);
    const own = state === OPTED_IN ? new RecoverState(null) : state;
    conn.recover = own;
    (own.syncing ??= new Map()).set(stream, []);
    const gateway = conn.gateway.name;
    if (since) this.metrics.resumes.inc({ gateway, result: 'attempted' });
    let result;
    try {
      result = this.log.read(gateway, stream, since?.[0] ?? '', since ? since[1] : -1, this.now());
    } catch (err) {
      result = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    const shared = result instanceof Promise;
    const done = (r: Awaited<typeof result> | null) => this.caughtUp(conn, own, stream, since, r, shared);
    if (result instanceof Promise) result.then(done, () => done(null));
    else done(result);
  }

  private caughtUp(conn: Connection, state: RecoverState, stream: string, since: [string, number] | null, r: Awaited<ReturnType<ReplayLog['read']>> | null, shared: boolean): void {
    const waiting = state.syncing?.get(stream) ?? [];
    state.syncing?.delete(stream);
    if (state.syncing?.size === 0) state.syncing = null;
    if (!conn.open) return;
    const gateway = conn.gateway.name;
    let last = r?.head ?? 0;
    let epoch = r?.epoch ?? '';
    const status: Record<string, unknown> = { s: stream };
    if (since) {
      const complete = !!r && r.complete;
      this.metrics.resumes.inc({ gateway, result: complete ? 'complete' : 'incomplete' });
      if (complete) {
        for (const f of r.frames) this.writer.sendEncoded(conn, positioned(stream, { epoch, offset: f.offset }, f.json));
        this.metrics.framesReplayed.inc({ gateway }, r.frames.length);
        Object.assign(status, { recovered: true, replayed: r.frames.length });
      } else {
        const reason: IncompleteReason = !r ? 'unavailable' : (since[0] !== '' && r.epoch !== since[0]) || since[1] > r.head ? 'unknown_position' : 'expired';
        Object.assign(status, { recovered: false, reason });
      }
    }
    // Live frames that came while the log was read: those past the replay, in order, once each.
    waiting.sort((a, b) => a.pos.offset - b.pos.offset);
    for (const w of waiting) {
      if (w.pos.epoch === epoch && w.pos.offset <= last) continue;
      epoch = w.pos.epoch;
      last = w.pos.offset;
      this.writer.sendEncoded(conn, w.encoded);
    }
    Object.assign(status, { e: epoch || null, o: last });
    this.writer.send(conn, { _stream: status });
    // A log in this process is read and appended in one order; a shared one may be ahead of this instance's live frames.
    if (shared && epoch) {
      (state.marks ??= new Map()).set(stream, [epoch, last]);
      state.marksUntil = this.now() + MARK_MS;
    }
    if (!state.syncing && !state.since?.size && !state.marks) conn.recover = OPTED_IN;
  }

  /** False for a live frame the socket's catch-up already covered; forgets the marks once they are old. */
  private fresh(conn: Connection, state: RecoverState, stream: string, pos: Position): boolean {
    if (this.now() > state.marksUntil) {
      state.marks = null;
      if (!state.syncing && !state.since?.size) conn.recover = OPTED_IN;
      return true;
    }
    const mark = state.marks!.get(stream);
    return !mark || mark[0] !== pos.epoch || pos.offset > mark[1];
  }

  private deliver(opted: Connection[], stream: string, pos: Position, json: string): number {
    if (!opted.length) return 0;
    const encoded = positioned(stream, pos, json);
    let live: Connection[] | null = null;
    for (const conn of opted) {
      const state = conn.recover!;
      const waiting = state.syncing?.get(stream);
      if (waiting) waiting.push({ pos, encoded });
      else if (!state.marks || this.fresh(conn, state, stream, pos)) (live ??= []).push(conn);
    }
    return live ? this.writer.broadcastEncoded(live, encoded) : 0;
  }

  /** One key per (event, stream, n-th publish of that event to that stream), the same on every instance that renders the event. */
  private eventKey(stream: string, event: string | null): string {
    if (!event) return `${this.instance}:${++this.seq}`;
    if (event !== this.countedEvent) {
      this.countedEvent = event;
      this.eventCounts = new Map();
    }
    const n = (this.eventCounts.get(stream) ?? 0) + 1;
    this.eventCounts.set(stream, n);
    return `${event}:${n}`;
  }
}
