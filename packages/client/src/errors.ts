/**
 * Everything that can go wrong, as values a client switches on rather than
 * exceptions: `server` is the gateway's error frame, `closed` a close by the
 * server (with whether the connector will reconnect), `network` a socket
 * error or a missed heartbeat, `auth` a token the connector could not get.
 */
export type ClientError =
  | { kind: 'server'; code: string; message: string; frame: unknown }
  | { kind: 'closed'; code: number; reason: string; willReconnect: boolean }
  | { kind: 'network'; message: string }
  | { kind: 'auth'; message: string };

/** Close codes after which reconnecting with the same token cannot help. */
export const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([4400, 4403, 4404, 4409]);

/** Close codes of the server that mean: get a fresh token, then reconnect. */
export const AUTH_CLOSE_CODES: ReadonlySet<number> = new Set([4401, 4408]);
