type Waiter<V> = { resolve: (v: V | undefined) => void; reject: (err: unknown) => void };

/**
 * Coalesces lookups by key: keys asked for while a load runs wait and go
 * together into the next one (in chunks of `maxBatch`), a key asked for twice
 * is read once, and a lone key is read at the next turn of the event loop. So
 * the batches grow with the load: a hall of displays reconnecting at once,
 * each with its own device token, costs a few queries, not one each.
 */
export class BatchLoader<K, V> {
  private pending = new Map<K, Array<Waiter<V>>>();
  private scheduled = false;
  private running = 0;

  constructor(
    private readonly load: (keys: K[]) => Promise<Map<K, V>>,
    private readonly maxBatch = 500,
  ) {}

  get(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      if (!this.scheduled && !this.running) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    if (!batch.size) return;
    this.pending = new Map();
    const keys = [...batch.keys()];
    for (let i = 0; i < keys.length; i += this.maxBatch) {
      const chunk = keys.slice(i, i + this.maxBatch);
      this.running++;
      this.load(chunk)
        .then(
          (found) => chunk.forEach((k) => batch.get(k)!.forEach((w) => w.resolve(found.get(k)))),
          (err: unknown) => chunk.forEach((k) => batch.get(k)!.forEach((w) => w.reject(err))),
        )
        .finally(() => {
          // The keys that arrived meanwhile go next, together.
          if (--this.running === 0) this.flush();
        });
    }
  }
}
