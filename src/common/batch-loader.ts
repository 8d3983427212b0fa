/**
 * Coalesces lookups by key: every key asked for during one turn of the event
 * loop is read by one query (in chunks of `maxBatch`), and a key asked for
 * twice is read once. For bursts of the same kind of lookup — a hall of
 * displays reconnecting at once, each with its own device token.
 */
export class BatchLoader<K, V> {
  private pending = new Map<K, Array<{ resolve: (v: V | undefined) => void; reject: (err: unknown) => void }>>();
  private scheduled = false;

  constructor(
    private readonly load: (keys: K[]) => Promise<Map<K, V>>,
    private readonly maxBatch = 500,
  ) {}

  get(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = new Map();
    const keys = [...batch.keys()];
    for (let i = 0; i < keys.length; i += this.maxBatch) {
      const chunk = keys.slice(i, i + this.maxBatch);
      this.load(chunk).then(
        (found) => chunk.forEach((k) => batch.get(k)!.forEach((w) => w.resolve(found.get(k)))),
        (err: unknown) => chunk.forEach((k) => batch.get(k)!.forEach((w) => w.reject(err))),
      );
    }
  }
}
