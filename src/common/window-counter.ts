/**
 * Counts events per key in fixed windows (a minute, say). Memory is bounded by
 * pruning keys whose window has passed.
 */
export class WindowCounter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private lastPrune = 0;

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds one and returns the count within the current window. */
  hit(key: string): number {
    const t = this.now();
    this.prune(t);
    const w = this.windows.get(key);
    if (!w || t - w.start >= this.windowMs) {
      this.windows.set(key, { start: t, count: 1 });
      return 1;
    }
    return ++w.count;
  }

  count(key: string): number {
    const w = this.windows.get(key);
    if (!w || this.now() - w.start >= this.windowMs) return 0;
    return w.count;
  }

  /** Milliseconds until the key's window resets. */
  retryAfterMs(key: string): number {
    const w = this.windows.get(key);
    return w ? Math.max(0, w.start + this.windowMs - this.now()) : 0;
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private prune(t: number): void {
    if (t - this.lastPrune < this.windowMs) return;
    this.lastPrune = t;
    for (const [k, w] of this.windows) if (t - w.start >= this.windowMs) this.windows.delete(k);
  }
}
