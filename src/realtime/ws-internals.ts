import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/**
 * The one place that reads `ws` internals. Writing pre-framed bytes straight
 * to the TCP socket is what lets a broadcast cost one encoding and N writes,
 * as fast as bare `ws`; ws's own sender would frame and copy per socket.
 * test/ws-internals.spec.ts fails if a `ws` upgrade renames these fields; the
 * core then falls back to `ws.send` (null here) rather than break.
 */
interface WsInternals {
  /** The upgraded TCP socket (ws 8: set by setSocket, cleared on close). */
  _socket?: unknown;
  /** Negotiated extensions by name (permessage-deflate). */
  _extensions?: unknown;
}

/**
 * The TCP socket frames may be written to directly, or null when they may
 * not: compression negotiated (compressed frames must go through ws's
 * sender), or the internals are not where this version of ws kept them.
 */
export function rawSocketOf(ws: WebSocket): Socket | null {
  const { _socket: socket, _extensions: extensions } = ws as unknown as WsInternals;
  if (!isSocket(socket) || typeof extensions !== 'object' || extensions === null) return null;
  for (const _ in extensions) return null;
  return socket;
}

function isSocket(s: unknown): s is Socket {
  return typeof s === 'object' && s !== null && typeof (s as Socket).write === 'function' && typeof (s as Socket).writableLength === 'number';
}
