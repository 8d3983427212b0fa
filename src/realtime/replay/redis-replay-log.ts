import Redis from 'ioredis';
import { LogBounds, newEpoch, Position, ReadResult, ReplayLog } from './replay-log';

// KEYS: meta hash {e, o}, the Redis Stream of frames, the event's dedupe key.
// ARGV: frame JSON, max frames, append time, a fresh epoch (used when the stream has none), meta TTL s, dedupe TTL s.
// A stream without meta (new, expired or flushed) starts a new epoch: positions from before cannot resume in it.
const APPEND = `
local seen = redis.call('GET', KEYS[3])
local e = redis.call('HGET', KEYS[1], 'e')
if seen and e then return {e, tonumber(seen)} end
if not e then
  e = ARGV[4]
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'e', e, 'o', 0)
end
local o = redis.call('HINCRBY', KEYS[1], 'o', 1)
redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[2], o .. '-0', 't', ARGV[3], 'f', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[5])
redis.call('SET', KEYS[3], o, 'EX', ARGV[6])
return {e, o}`;

type WithScripts = Redis & {
  sbReplayAppend(meta: string, stream: string, dedupe: string, json: string, maxFrames: number, now: number, epoch: string, metaTtl: number, dedupeTtl: number): Promise<[string, number]>;
};

/** How long a stream's epoch and offset outlive its last frame: a client this late could not resume anyway. */
const META_TTL_S = 24 * 3600;
/** How long an event's offset is remembered, for instances that render it later than the first. */
const DEDUPE_TTL_S = 300;

/**
 * Cluster mode: each stream is a Redis Stream (entry id = offset) beside a
 * small hash holding its epoch and head, so a client that reconnects through
 * the load balancer to another instance resumes from the same history. Every
 * instance renders every event; the first append of an event gives it its
 * offset and the others read the same offset back (one round trip each).
 */
export class RedisReplayLog extends ReplayLog {
  private readonly redis: WithScripts;

  constructor(url: string, instance: string, bounds: LogBounds) {
    super(bounds);
    this.redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (times: number) => Math.min(100 * times, 2000),
      connectionName: `switchboard-replay:${instance}`,
    }) as WithScripts;
    this.redis.on('error', () => undefined);
    this.redis.defineCommand('sbReplayAppend', { numberOfKeys: 3, lua: APPEND });
  }

  private keys(gateway: string, stream: string) {
    // One hash tag per stream: a Redis Cluster keeps a stream's keys in one slot.
    const tag = `{${gateway}|${stream}}`;
    return { meta: `sb:replay:${tag}:meta`, frames: `sb:replay:${tag}:frames` };
  }

  async append(gateway: string, stream: string, eventKey: string, json: string, now: number): Promise<Position> {
    const k = this.keys(gateway, stream);
    const [epoch, offset] = await this.redis.sbReplayAppend(k.meta, k.frames, `${k.meta}:ev:${eventKey}`, json, this.bounds.maxFrames, now, newEpoch(), META_TTL_S, DEDUPE_TTL_S);
    return { epoch, offset: Number(offset) };
  }

  async read(gateway: string, stream: string, epoch: string, after: number, now: number): Promise<ReadResult> {
    const k = this.keys(gateway, stream);
    const [[, meta], [, entries]] = (await this.redis
      .multi()
      .hmget(k.meta, 'e', 'o')
      .xrange(k.frames, `${Math.max(0, after) + 1}-0`, '+', 'COUNT', this.bounds.maxFrames + 1)
      .exec()) as [[Error | null, [string | null, string | null]], [Error | null, Array<[string, string[]]>]];
    const [e, o] = meta;
    if (!e) return { epoch: '', head: 0, frames: [], complete: after === 0 && epoch === '' };
    if (epoch === '' && after === 0) epoch = e;
    const head = Number(o);
    const base = { epoch: e, head };
    if (epoch !== e || after > head || after < 0) return { ...base, frames: [], complete: false };
    if (after === head) return { ...base, frames: [], complete: true };
    const frames = entries.map(([id, fields]) => ({ offset: Number(id.slice(0, id.indexOf('-'))), at: Number(fields[1]), json: fields[3] }));
    const first = frames[0];
    if (!first || first.offset !== after + 1 || now - first.at > this.bounds.windowMs || frames.length !== head - after) return { ...base, frames: [], complete: false };
    return { ...base, frames: frames.map(({ offset, json }) => ({ offset, json })), complete: true };
  }

  size(): Map<string, { frames: number; bytes: number }> {
    return new Map();
  }

  override async close(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
    this.redis.disconnect();
  }
}
