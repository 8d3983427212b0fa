import { randomBytes } from 'node:crypto';

/** Where a frame sits in its stream: the stream's epoch and the frame's offset (1, 2, 3, … with no gap). */
export interface Position {
  epoch: string;
  offset: number;
}

export interface LoggedFrame {
  offset: number;
  /** The frame's JSON, without its position. */
  json: string;
}

/** What a stream can give back after a client's last offset. */
export interface ReadResult {
  /** The stream's epoch now, and its newest offset (0: nothing published yet). */
  epoch: string;
  head: number;
  /** Every frame after the asked offset, oldest first; only when `complete`. */
  frames: LoggedFrame[];
  /** False when some frame after the offset is gone (too old, trimmed, other epoch) or the offset is unknown. */
  complete: boolean;
}

export interface LogBounds {
  windowMs: number;
  maxFrames: number;
}

export function newEpoch(): string {
  return randomBytes(6).toString('base64url');
}

/**
 * The bounded history of every stream, for clients that resume. A stream is
 * named by its gateway and an audience key; its epoch changes whenever its
 * history could not be kept (a restart of the single instance, a Redis flush),
 * so a position from before is known to be stale. Each stream keeps the frames
 * of the last `windowMs`, at most `maxFrames` of them.
 */
export abstract class ReplayLog {
  constructor(protected readonly bounds: LogBounds) {}

  /**
   * Adds a frame and returns its position. `eventKey` names the event the
   * frame renders: in a cluster every instance renders the same event, and the
   * first to append it gives it its offset; the others get the same one back.
   * Synchronous in memory, a promise with Redis.
   */
  abstract append(gateway: string, stream: string, eventKey: string, json: string, now: number): Position | Promise<Position>;
  /** Every frame after `after` when the client's epoch is the stream's and none is missing ('' and 0: from the stream's first frame). */
  abstract read(gateway: string, stream: string, epoch: string, after: number, now: number): ReadResult | Promise<ReadResult>;
  /** Frames and bytes held, by gateway (memory only; a Redis log reports nothing here). */
  abstract size(): Map<string, { frames: number; bytes: number }>;
  async close(): Promise<void> {}
}

interface MemoryStream {
  epoch: string;
  head: number;
  /** Kept frames from `start` on, oldest first, with their append time; the slots before `start` are dropped ones awaiting compaction. */
  frames: Array<(LoggedFrame & { at: number }) | undefined>;
  start: number;
  bytes: number;
}

/** One instance: the streams in this process, gone with it (a restart is a new epoch). */
export class MemoryReplayLog extends ReplayLog {
  private readonly streams = new Map<string, MemoryStream>();
  private lastSweep = 0;

  append(gateway: string, stream: string, _eventKey: string, json: string, now: number): Position {
    const key = `${gateway}\u0000${stream}`;
    let s = this.streams.get(key);
    if (!s) this.streams.set(key, (s = { epoch: newEpoch(), head: 0, frames: [], start: 0, bytes: 0 }));
    const offset = ++s.head;
    s.frames.push({ offset, json, at: now });
    s.bytes += json.length;
    this.trim(s, now);
    if (now - this.lastSweep > this.bounds.windowMs) this.sweep(now);
    return { epoch: s.epoch, offset };
  }

  read(gateway: string, stream: string, epoch: string, after: number, now: number): ReadResult {
    const s = this.streams.get(`${gateway}\u0000${stream}`);
    if (!s) return { epoch: '', head: 0, frames: [], complete: after === 0 && epoch === '' };
    this.trim(s, now);
    // A client that saw the stream before anything was published to it (epoch null, offset 0) asks for all of it.
    if (epoch === '' && after === 0) epoch = s.epoch;
    const base = { epoch: s.epoch, head: s.head };
    if (epoch !== s.epoch || after > s.head || after < 0) return { ...base, frames: [], complete: false };
    if (after === s.head) return { ...base, frames: [], complete: true };
    const first = s.frames[s.start];
    if (!first || first.offset > after + 1) return { ...base, frames: [], complete: false };
    const missed = s.frames.slice(s.start + after + 1 - first.offset) as Array<LoggedFrame & { at: number }>;
    return { ...base, frames: missed.map(({ offset, json }) => ({ offset, json })), complete: true };
  }

  size(): Map<string, { frames: number; bytes: number }> {
    const out = new Map<string, { frames: number; bytes: number }>();
    for (const [key, s] of this.streams) {
      const gateway = key.slice(0, key.indexOf('\u0000'));
      const g = out.get(gateway) ?? { frames: 0, bytes: 0 };
      g.frames += s.frames.length - s.start;
      g.bytes += s.bytes;
      out.set(gateway, g);
    }
    return out;
  }

  /** Drops frames past the bounds by moving `start` (a full stream drops one per append: no shifting the array each time). */
  private trim(s: MemoryStream, now: number): void {
    const { frames } = s;
    let start = Math.max(s.start, frames.length - this.bounds.maxFrames);
    while (start < frames.length && now - frames[start]!.at > this.bounds.windowMs) start++;
    if (start === s.start) return;
    for (let i = s.start; i < start; i++) {
      s.bytes -= frames[i]!.json.length;
      frames[i] = undefined;
    }
    s.start = start;
    if (start > 64 && start * 2 > frames.length) {
      frames.splice(0, start);
      s.start = 0;
    }
  }

  /** Empties streams nobody published to for a window; the stream (epoch and head) stays, so positions in it stay valid. */
  private sweep(now: number): void {
    this.lastSweep = now;
    for (const s of this.streams.values()) this.trim(s, now);
  }
}
