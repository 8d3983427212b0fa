import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { ClusterState, LocalClusterState, WindowCount } from './cluster-state';

const USER_SOCKET = `
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
redis.call('SADD', KEYS[2], KEYS[1])
local total = 0
for _, v in ipairs(redis.call('HVALS', KEYS[1])) do
  local x = tonumber(v)
  if x > 0 then total = total + x end
end
return total`;

// A window starts at its key's first hit (the caller's clock) and lasts ARGV[2] ms.
const HIT = `
local start = tonumber(redis.call('HGET', KEYS[1], 's'))
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
if not start or now - start >= window then
  redis.call('HSET', KEYS[1], 's', ARGV[1], 'n', 1)
  redis.call('PEXPIRE', KEYS[1], window)
  return 1
end
return redis.call('HINCRBY', KEYS[1], 'n', 1)`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const ADD_TO_WINDOW = `
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {n, ttl}`;

type WithScripts = Redis & {
  sbAddToWindow(key: string, delta: number, windowMs: number): Promise<[number, number]>;
  sbUserSocket(key: string, index: string, instance: string, delta: number): Promise<number>;
  sbRelease(key: string, value: string): Promise<number>;
  sbHit(key: string, now: number, windowMs: number): Promise<number>;
};

/**
 * Cluster state in Redis. Every entry is tagged with the instance that owns
 * it; each instance refreshes a heartbeat key with an expiry, and the first
 * instance to notice another's heartbeat gone removes that instance's entries
 * (reporting users who went offline with it). While Redis is unreachable the
 * answers come from this instance's own view, so its sockets keep working.
 */
export class RedisClusterState extends ClusterState {
  private readonly logger = new Logger('ClusterState');
  private readonly redis: WithScripts;
  private readonly local = new LocalClusterState();
  private readonly timer: NodeJS.Timeout;
  private live = new Set<string>();

  constructor(
    url: string,
    private readonly instance: string,
    private readonly ttlMs: number,
    heartbeatMs: number,
  ) {
    super();
    this.live.add(instance);
    this.redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (times: number) => Math.min(100 * times, 2000),
      connectionName: `switchboard-state:${instance}`,
    }) as WithScripts;
    this.redis.on('error', () => undefined);
    this.redis.defineCommand('sbUserSocket', { numberOfKeys: 2, lua: USER_SOCKET });
    this.redis.defineCommand('sbRelease', { numberOfKeys: 1, lua: RELEASE });
    this.redis.defineCommand('sbAddToWindow', { numberOfKeys: 1, lua: ADD_TO_WINDOW });
    this.redis.defineCommand('sbHit', { numberOfKeys: 1, lua: HIT });
    this.redis.on('ready', () => void this.beat());
    this.timer = setInterval(() => void this.beat(), heartbeatMs);
    this.timer.unref();
  }

  private key = {
    instance: (id: string) => `sb:inst:${id}`,
    instances: 'sb:instances',
    user: (gateway: string, userId: string) => `sb:u:${gateway}:${userId}`,
    userKeys: (id: string) => `sb:uk:${id}`,
    address: (ip: string) => `sb:a:${ip}`,
    addressKeys: (id: string) => `sb:ak:${id}`,
    hits: (key: string) => `sb:hit:${key}`,
    clients: (gateway: string) => `sb:c:${gateway}`,
    clientKeys: (id: string) => `sb:ck:${id}`,
    clientId: (gateway: string, clientId: string) => `sb:cid:${gateway}:${clientId}`,
    window: (key: string) => `sb:w:${key}`,
  };

  override healthy(): boolean {
    return this.redis.status === 'ready';
  }

  async addUserSocket(gateway: string, userId: string, delta: 1 | -1): Promise<number> {
    const local = this.local.addUserSocketSync(gateway, userId, delta);
    try {
      return Number(await this.redis.sbUserSocket(this.key.user(gateway, userId), this.key.userKeys(this.instance), this.instance, delta));
    } catch {
      return local;
    }
  }

  async userSockets(gateway: string, userId: string): Promise<number> {
    try {
      const values = await this.redis.hgetall(this.key.user(gateway, userId));
      return Object.entries(values).reduce((sum, [inst, v]) => sum + (this.live.has(inst) ? Math.max(0, Number(v)) : 0), 0);
    } catch {
      return this.local.userSockets(gateway, userId);
    }
  }

  async addAddressSocket(ip: string, delta: 1 | -1): Promise<number> {
    const local = this.local.addAddressSocketSync(ip, delta);
    try {
      return Number(await this.redis.sbUserSocket(this.key.address(ip), this.key.addressKeys(this.instance), this.instance, delta));
    } catch {
      return local;
    }
  }

  async hit(key: string, windowMs: number, now: number): Promise<number> {
    const local = this.local.hitSync(key, windowMs, now);
    try {
      return Number(await this.redis.sbHit(this.key.hits(key), now, windowMs));
    } catch {
      return local;
    }
  }

  async putClient(gateway: string, connectionId: string, info: object): Promise<void> {
    await this.local.putClient(gateway, connectionId, info);
    try {
      await this.redis.multi().hset(this.key.clients(gateway), `${this.instance}|${connectionId}`, JSON.stringify(info)).sadd(this.key.clientKeys(this.instance), this.key.clients(gateway)).exec();
    } catch {
      /* this instance's view still has it */
    }
  }

  async removeClient(gateway: string, connectionId: string): Promise<void> {
    await this.local.removeClient(gateway, connectionId);
    try {
      await this.redis.hdel(this.key.clients(gateway), `${this.instance}|${connectionId}`);
    } catch {
      /* cleaned when this instance's entries expire */
    }
  }

  async clients(gateway: string): Promise<Array<Record<string, unknown>>> {
    try {
      const all = await this.redis.hgetall(this.key.clients(gateway));
      const out: Array<Record<string, unknown>> = [];
      for (const [field, json] of Object.entries(all)) {
        if (this.live.has(field.slice(0, field.lastIndexOf('|')))) out.push(JSON.parse(json) as Record<string, unknown>);
      }
      return out;
    } catch {
      return this.local.clients(gateway);
    }
  }

  /** Entries of an instance that died count until another instance removes them (within the expiry). */
  async countClients(gateway: string): Promise<number> {
    try {
      return await this.redis.hlen(this.key.clients(gateway));
    } catch {
      return this.local.countClients(gateway);
    }
  }

  async claimClientId(gateway: string, clientId: string, connectionId: string): Promise<string | null> {
    const localPrevious = await this.local.claimClientId(gateway, clientId, connectionId);
    try {
      const previous = await this.redis.set(this.key.clientId(gateway, clientId), `${this.instance}|${connectionId}`, 'GET');
      if (!previous) return null;
      const sep = previous.lastIndexOf('|');
      const [inst, conn] = [previous.slice(0, sep), previous.slice(sep + 1)];
      return conn !== connectionId && this.live.has(inst) ? conn : null;
    } catch {
      return localPrevious;
    }
  }

  async releaseClientId(gateway: string, clientId: string, connectionId: string): Promise<void> {
    await this.local.releaseClientId(gateway, clientId, connectionId);
    try {
      await this.redis.sbRelease(this.key.clientId(gateway, clientId), `${this.instance}|${connectionId}`);
    } catch {
      /* overwritten by the next claim */
    }
  }

  async clientHolder(gateway: string, clientId: string): Promise<Record<string, unknown> | null> {
    try {
      const holder = await this.redis.get(this.key.clientId(gateway, clientId));
      if (!holder || !this.live.has(holder.slice(0, holder.lastIndexOf('|')))) return null;
      const json = await this.redis.hget(this.key.clients(gateway), holder);
      return json ? (JSON.parse(json) as Record<string, unknown>) : null;
    } catch {
      return this.local.clientHolder(gateway, clientId);
    }
  }

  async addToWindow(key: string, delta: number, windowMs: number, now: number): Promise<WindowCount> {
    try {
      const [count, ttl] = await this.redis.sbAddToWindow(this.key.window(key), delta, windowMs);
      return { count: Number(count), resetInMs: Number(ttl) };
    } catch {
      // Redis unreachable: count in this instance until it is back.
      return this.local.addToWindowSync(key, delta, windowMs, now);
    }
  }

  async clearWindow(key: string): Promise<void> {
    await this.local.clearWindow(key);
    try {
      await this.redis.del(this.key.window(key));
    } catch {
      /* expires on its own */
    }
  }

  /** Refreshes this instance's heartbeat and clears the entries of instances whose heartbeat expired. */
  private async beat(): Promise<void> {
    if (this.redis.status !== 'ready') return;
    try {
      await this.redis.multi().set(this.key.instance(this.instance), '1', 'PX', this.ttlMs).sadd(this.key.instances, this.instance).exec();
      const ids = await this.redis.smembers(this.key.instances);
      const alive = ids.length ? await this.redis.mget(ids.map((id) => this.key.instance(id))) : [];
      const live = new Set<string>([this.instance]);
      const dead: string[] = [];
      ids.forEach((id, i) => (alive[i] ? live.add(id) : dead.push(id)));
      this.live = live;
      for (const id of dead) await this.cleanup(id);
    } catch (err) {
      this.logger.debug({ msg: 'cluster heartbeat failed', err: String(err) });
    }
  }

  private async cleanup(dead: string): Promise<void> {
    if ((await this.redis.set(`sb:cleanup:${dead}`, this.instance, 'PX', 30_000, 'NX')) !== 'OK') return;
    let gone = 0;
    for (const key of await this.redis.smembers(this.key.userKeys(dead))) {
      await this.redis.hdel(key, dead);
      const remaining = (await this.redis.hvals(key)).reduce((s, v) => s + Math.max(0, Number(v)), 0);
      if (remaining === 0) {
        const [, , gateway, ...rest] = key.split(':');
        gone++;
        this.userGone(gateway, rest.join(':'));
      }
    }
    for (const key of await this.redis.smembers(this.key.addressKeys(dead))) await this.redis.hdel(key, dead);
    for (const hash of await this.redis.smembers(this.key.clientKeys(dead))) {
      const fields = (await this.redis.hkeys(hash)).filter((f) => f.startsWith(`${dead}|`));
      if (fields.length) await this.redis.hdel(hash, ...fields);
    }
    await this.redis.multi().del(this.key.userKeys(dead), this.key.addressKeys(dead), this.key.clientKeys(dead)).srem(this.key.instances, dead).exec();
    this.logger.warn({ msg: `instance ${dead} stopped heartbeating: removed its sockets from the cluster state`, instance: dead, users_offline: gone });
  }

  override async close(): Promise<void> {
    clearInterval(this.timer);
    try {
      if (this.redis.status === 'ready') await this.cleanupSelf();
    } finally {
      this.redis.disconnect();
    }
  }

  /** A clean stop removes this instance's entries at once instead of waiting for the expiry. */
  private async cleanupSelf(): Promise<void> {
    await this.redis.multi().del(this.key.instance(this.instance)).srem(this.key.instances, this.instance).exec();
    await this.redis.set(`sb:cleanup:${this.instance}`, this.instance, 'PX', 30_000);
    for (const key of await this.redis.smembers(this.key.userKeys(this.instance))) await this.redis.hdel(key, this.instance);
    for (const key of await this.redis.smembers(this.key.addressKeys(this.instance))) await this.redis.hdel(key, this.instance);
    for (const hash of await this.redis.smembers(this.key.clientKeys(this.instance))) {
      const fields = (await this.redis.hkeys(hash)).filter((f) => f.startsWith(`${this.instance}|`));
      if (fields.length) await this.redis.hdel(hash, ...fields);
    }
    await this.redis.del(this.key.userKeys(this.instance), this.key.addressKeys(this.instance), this.key.clientKeys(this.instance));
  }
}
