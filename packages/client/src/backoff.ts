export interface BackoffOptions {
  /** First delay after a drop, in ms (default 500). */
  initialDelayMs?: number;
  /** Longest delay, in ms (default 30 000). */
  maxDelayMs?: number;
  /** Growth per failed attempt (default 2). */
  factor?: number;
  /** Give up after this many attempts in a row (default: never). */
  maxAttempts?: number;
}

/**
 * Exponential backoff with full jitter: attempt n waits a random time in
 * [0, min(max, initial · factor^n)], so a hall of displays that lost the
 * server together does not come back in one wave.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const initial = options.initialDelayMs ?? 500;
  const ceiling = Math.min(options.maxDelayMs ?? 30_000, initial * (options.factor ?? 2) ** attempt);
  // Never less than a tenth of the first delay: a tight loop against a dead server helps nobody.
  return Math.max(initial / 10, Math.round(random() * ceiling));
}
