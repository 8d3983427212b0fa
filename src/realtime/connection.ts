import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { Principal } from '../auth/principal';
import type { GatewayRuntime } from './gateway-runtime';
import type { RecoverState } from './replay/recovery';

const CONNECTION = Symbol('switchboard.connection');
const NO_STRINGS: readonly string[] = Object.freeze([]);

/**
 * One open socket and what the core knows of it. Kept small: a hall of
 * displays means thousands of these. Gateways keep protocol state in `state`.
 */
export class Connection<S extends object = object> {
  principal: Principal | null = null;
  clientId: string | null = null;
  /**
   * Rooms joined. An exact-size list, replaced on join and leave (rare): a
   * socket is in a few rooms, and a Set or a growable array per socket costs more.
   */
  rooms: readonly string[] = NO_STRINGS;
  state: S = {} as S;
  lastSeen: number;
  /** Why the server closed it, when it did: `timeout`, `replaced`, `revoked`, … */
  closeReason: string | null = null;
  closeCode: number | null = null;
  /** Deadlines checked by the core's sweep (epoch ms, clock time). */
  authDeadline = 0;
  tokenExpiresAt = 0;
  alive = true;
  /** Counted in the cluster-wide per-user socket count (presence gateways). */
  presenceCounted = false;
  /** The gateway's details beside it in the cluster-wide list of devices and clients (null: not listed). */
  listing: Record<string, unknown> | null = null;
  /** Opted in to reliable delivery (`?recover=1`): frames carry positions (null: the seed protocol, untouched). */
  recover: RecoverState | null = null;
  /** The TCP socket frames are written to directly (null when ws must frame them). */
  raw: Socket | null = null;
  /** @internal message pipeline */
  ready = false;
  busy = false;
  /** Messages waiting for their turn; made on the first one (most sockets of a hall send one message, ever). */
  inbox: Array<Buffer | string> | null = null;
  gate: Promise<unknown> | null = null;
  msgWindowStart = 0;
  msgCount = 0;
  /** The gateway's message names (one list shared by every socket of the gateway) and, by the same index, this socket's handlers. */
  messages: readonly string[] = NO_STRINGS;
  callbacks: ReadonlyArray<(data: unknown, event: string) => unknown> | null = null;
  /** Nest's disconnect hook for this socket, called after the core's own bookkeeping on close. */
  disconnected: ((code: number) => void) | null = null;

  constructor(
    readonly id: string,
    readonly ws: WebSocket,
    readonly gateway: GatewayRuntime,
    readonly ip: string,
    readonly userAgent: string,
    readonly params: Readonly<Record<string, string>>,
    readonly query: Readonly<Record<string, string>>,
    readonly connectedAt: number,
  ) {
    this.lastSeen = connectedAt;
    (ws as unknown as Record<symbol, Connection>)[CONNECTION] = this;
  }

  inRoom(room: string): boolean {
    return this.rooms.includes(room);
  }

  get open(): boolean {
    return this.ws.readyState === 1;
  }

  /** Holds back inbound messages until `work` settles (async setup in handleConnection). */
  hold(work: Promise<unknown>): void {
    const previous = this.gate;
    this.gate = (previous ? previous.then(() => work) : work).catch(() => undefined);
  }
}

export function connectionOf<S extends object = object>(ws: unknown): Connection<S> {
  const conn = (ws as Record<symbol, Connection<S>> | null)?.[CONNECTION];
  if (!conn) throw new Error('socket has no Switchboard connection');
  return conn;
}
