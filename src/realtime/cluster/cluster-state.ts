import { WindowCounter } from '../../common/window-counter';

/**
 * What instances must agree on: how many sockets a user has open on a
 * gateway (presence, per-user limits), how many sockets an address holds and
 * opened lately (per-address limits), the directory of registered clients
 * (bells `connected_clients`, the queue's client count), and who holds a
 * client id (newest connection wins). One process keeps it in memory; a
 * cluster keeps it in Redis, with entries of a dead instance expiring.
 */
export abstract class ClusterState {
  /** Adds or removes one socket of a user; returns the cluster-wide count after the change. */
  abstract addUserSocket(gateway: string, userId: string, delta: 1 | -1): Promise<number>;
  abstract userSockets(gateway: string, userId: string): Promise<number>;
  /** Adds or removes one open socket of an address (any gateway); returns the cluster-wide count after the change. */
  abstract addAddressSocket(ip: string, delta: 1 | -1): Promise<number>;
  /**
   * Counts one event for `key` in a window of `windowMs` that starts at its
   * first event (times from the caller's clock, `now`); returns the count in
   * the current window, cluster-wide.
   */
  abstract hit(key: string, windowMs: number, now: number): Promise<number>;
  abstract putClient(gateway: string, connectionId: string, info: object): Promise<void>;
  abstract removeClient(gateway: string, connectionId: string): Promise<void>;
  abstract clients(gateway: string): Promise<Array<Record<string, unknown>>>;
  /** How many clients the directory lists (cheaper than listing them). */
  abstract countClients(gateway: string): Promise<number>;
  /** Makes `connectionId` the holder of `clientId`; returns the previous holder's connection id, if any. */
  abstract claimClientId(gateway: string, clientId: string, connectionId: string): Promise<string | null>;
  abstract releaseClientId(gateway: string, clientId: string, connectionId: string): Promise<void>;
  /** The directory entry of the connection holding `clientId` (null when none holds it or it is not listed yet): one lookup, however many clients are listed. */
  abstract clientHolder(gateway: string, clientId: string): Promise<Record<string, unknown> | null>;
  /**
   * Adds `delta` (may be 0 or negative) to a counter shared by every instance
   * that expires `windowMs` after its first change; returns the value after the
   * change, atomically, and how long until it expires. `now` is the caller's
   * clock (used where the count lives in this process).
   */
  abstract addToWindow(key: string, delta: number, windowMs: number, now: number): Promise<WindowCount>;
  abstract clearWindow(key: string): Promise<void>;
  /** Called when a user's last sockets vanished with a dead instance. */
  onUserGone(handler: (gateway: string, userId: string) => void): void {
    this.userGone = handler;
  }
  protected userGone: (gateway: string, userId: string) => void = () => undefined;
  healthy(): boolean {
    return true;
  }
  async close(): Promise<void> {}
}

export interface WindowCount {
  count: number;
  resetInMs: number;
}

/** One instance: plain maps. */
export class LocalClusterState extends ClusterState {
  private readonly users = new Map<string, number>();
  private readonly directory = new Map<string, Map<string, object>>();
  private readonly clientIds = new Map<string, string>();
  private readonly addresses = new Map<string, number>();
  private readonly windows = new Map<number, WindowCounter>();
  private clock = 0;
  private readonly sharedWindows = new Map<string, { count: number; until: number }>();
  private lastWindowPrune = 0;

  async addUserSocket(gateway: string, userId: string, delta: 1 | -1): Promise<number> {
    return this.addUserSocketSync(gateway, userId, delta);
  }

  addUserSocketSync(gateway: string, userId: string, delta: 1 | -1): number {
    const key = `${gateway}|${userId}`;
    const n = Math.max(0, (this.users.get(key) ?? 0) + delta);
    if (n) this.users.set(key, n);
    else this.users.delete(key);
    return n;
  }

  async userSockets(gateway: string, userId: string): Promise<number> {
    return this.users.get(`${gateway}|${userId}`) ?? 0;
  }

  async addAddressSocket(ip: string, delta: 1 | -1): Promise<number> {
    return this.addAddressSocketSync(ip, delta);
  }

  addAddressSocketSync(ip: string, delta: 1 | -1): number {
    const n = Math.max(0, (this.addresses.get(ip) ?? 0) + delta);
    if (n) this.addresses.set(ip, n);
    else this.addresses.delete(ip);
    return n;
  }

  async hit(key: string, windowMs: number, now: number): Promise<number> {
    return this.hitSync(key, windowMs, now);
  }

  hitSync(key: string, windowMs: number, now: number): number {
    let counter = this.windows.get(windowMs);
    if (!counter) this.windows.set(windowMs, (counter = new WindowCounter(windowMs, () => this.clock)));
    this.clock = now;
    return counter.hit(key);
  }

  async putClient(gateway: string, connectionId: string, info: object): Promise<void> {
    let d = this.directory.get(gateway);
    if (!d) this.directory.set(gateway, (d = new Map()));
    d.set(connectionId, info);
  }

  async removeClient(gateway: string, connectionId: string): Promise<void> {
    this.directory.get(gateway)?.delete(connectionId);
  }

  async clients(gateway: string): Promise<Array<Record<string, unknown>>> {
    return [...(this.directory.get(gateway)?.values() ?? [])] as Array<Record<string, unknown>>;
  }

  async countClients(gateway: string): Promise<number> {
    return this.directory.get(gateway)?.size ?? 0;
  }

  async claimClientId(gateway: string, clientId: string, connectionId: string): Promise<string | null> {
    const key = `${gateway}|${clientId}`;
    const previous = this.clientIds.get(key) ?? null;
    this.clientIds.set(key, connectionId);
    return previous === connectionId ? null : previous;
  }

  async releaseClientId(gateway: string, clientId: string, connectionId: string): Promise<void> {
    const key = `${gateway}|${clientId}`;
    if (this.clientIds.get(key) === connectionId) this.clientIds.delete(key);
  }

  async clientHolder(gateway: string, clientId: string): Promise<Record<string, unknown> | null> {
    const holder = this.clientIds.get(`${gateway}|${clientId}`);
    return holder === undefined ? null : ((this.directory.get(gateway)?.get(holder) as Record<string, unknown> | undefined) ?? null);
  }

  async addToWindow(key: string, delta: number, windowMs: number, now: number): Promise<WindowCount> {
    return this.addToWindowSync(key, delta, windowMs, now);
  }

  addToWindowSync(key: string, delta: number, windowMs: number, now: number): WindowCount {
    if (now - this.lastWindowPrune >= 60_000) {
      this.lastWindowPrune = now;
      for (const [k, w] of this.sharedWindows) if (w.until <= now) this.sharedWindows.delete(k);
    }
    let w = this.sharedWindows.get(key);
    if (!w || w.until <= now) this.sharedWindows.set(key, (w = { count: 0, until: now + windowMs }));
    w.count += delta;
    return { count: w.count, resetInMs: w.until - now };
  }

  async clearWindow(key: string): Promise<void> {
    this.sharedWindows.delete(key);
  }
}
