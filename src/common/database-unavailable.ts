const RELEASED = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError']);

/**
 * Whether an error means the database cannot be reached right now (server
 * down, restarting, refusing connections) rather than that the request was
 * wrong: such a request is worth retrying, so it answers 503, not 500.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    // SQLSTATE class 08 (connection exception); 57P01-57P03 (shutdown, crash, cannot connect now); 53300 (too many connections).
    if (/^08/.test(code) || ['57P01', '57P02', '57P03', '53300'].includes(code)) return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH'].includes(code)) return true;
    // TypeORM releases a transaction's connection when the server drops it; the transaction's next query (or its COMMIT) then fails with one of these.
    if (RELEASED.has(String((e as { name?: unknown }).name))) return true;
    if (
      typeof e.message === 'string' &&
      /Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|the database system is (starting up|shutting down|in recovery mode)/i.test(e.message)
    )
      return true;
    e = (e.driverError ?? e.cause) as typeof e;
  }
  return false;
}
