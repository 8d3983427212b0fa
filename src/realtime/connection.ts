import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { Principal } from '../auth/principal';
import type { GatewayRuntime } from './gateway-runtime';

const CONNECTION = Symbol('switchboard.connection');

/**
 * One open socket and what the core knows of it. Kept small: a hall of
 * displays means thousands of these. Gateways keep protocol state in `state`.
 */
export class Connection<S extends object = object> {
  principal: Principal | null = null;
  clientId: string | null = null;
  readonly rooms = new Set<string>();
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
  /** The TCP socket frames are written to directly (null when ws must frame them). */
  raw: Socket | null = null;
  /** @internal message pipeline */
  ready = false;
  busy = false;
  inbox: Array<Buffer | string> = [];
  gate: Promise<unknown> | null = null;
  msgWindowStart = 0;
  msgCount = 0;
  handlers: Array<{ message: string; callback: (data: unknown, event: string) => unknown }> | null = null;

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
    (ws as unknown as Record<symbol, Connection>)[CONNECTION] = this as Connection;
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
