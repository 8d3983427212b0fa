import { Injectable } from '@nestjs/common';
import type { Connection } from './connection';

const EMPTY: ReadonlySet<Connection> = new Set();

interface GatewayIndex {
  all: Set<Connection>;
  byUser: Map<string, Set<Connection>>;
  byClientId: Map<string, Connection>;
  rooms: Map<string, Set<Connection>>;
}

function addTo<K>(map: Map<K, Set<Connection>>, key: K, conn: Connection): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(conn);
}

function removeFrom<K>(map: Map<K, Set<Connection>>, key: K, conn: Connection): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(conn);
  if (set.size === 0) map.delete(key);
}

/**
 * Who is connected where on this instance: per gateway, by user, client id,
 * role and room; and across gateways by principal (for revocation). Rooms are
 * the precomputed audiences a broadcast iterates. Roles are rooms named
 * `role:<role>` (devices: `role:device:<kind>`), joined when the principal is known.
 */
@Injectable()
export class ConnectionRegistry {
  private readonly gateways = new Map<string, GatewayIndex>();
  private readonly byPrincipal = new Map<string, Set<Connection>>();

  private index(gateway: string): GatewayIndex {
    let g = this.gateways.get(gateway);
    if (!g) this.gateways.set(gateway, (g = { all: new Set(), byUser: new Map(), byClientId: new Map(), rooms: new Map() }));
    return g;
  }

  add(conn: Connection): void {
    this.index(conn.gateway.name).all.add(conn);
    if (conn.principal) this.indexPrincipal(conn);
  }

  /** Call when a connection authenticates after it was added (in-band auth). */
  indexPrincipal(conn: Connection): void {
    const p = conn.principal;
    if (!p) return;
    const g = this.index(conn.gateway.name);
    addTo(this.byPrincipal, `${p.kind}:${p.id}`, conn);
    if (p.kind === 'user') {
      addTo(g.byUser, p.id, conn);
      this.join(conn, `role:${p.role}`);
    } else {
      this.join(conn, `role:device:${p.deviceKind}`);
    }
  }

  remove(conn: Connection): void {
    const g = this.gateways.get(conn.gateway.name);
    if (!g || !g.all.delete(conn)) return;
    const p = conn.principal;
    if (p) {
      removeFrom(this.byPrincipal, `${p.kind}:${p.id}`, conn);
      if (p.kind === 'user') removeFrom(g.byUser, p.id, conn);
    }
    if (conn.clientId && g.byClientId.get(conn.clientId) === conn) g.byClientId.delete(conn.clientId);
    for (const room of conn.rooms) removeFrom(g.rooms, room, conn);
    conn.rooms = [];
  }

  /** Sets the client id and returns the connection that held it before, if any. */
  claimClientId(conn: Connection, clientId: string): Connection | null {
    const g = this.index(conn.gateway.name);
    if (conn.clientId && g.byClientId.get(conn.clientId) === conn) g.byClientId.delete(conn.clientId);
    const previous = g.byClientId.get(clientId) ?? null;
    g.byClientId.set(clientId, conn);
    conn.clientId = clientId;
    return previous === conn ? null : previous;
  }

  join(conn: Connection, room: string): void {
    if (conn.rooms.includes(room)) return;
    conn.rooms = [...conn.rooms, room];
    addTo(this.index(conn.gateway.name).rooms, room, conn);
  }

  leave(conn: Connection, room: string): void {
    if (!conn.rooms.includes(room)) return;
    conn.rooms = conn.rooms.filter((r) => r !== room);
    removeFrom(this.index(conn.gateway.name).rooms, room, conn);
  }

  all(gateway: string): ReadonlySet<Connection> {
    return this.gateways.get(gateway)?.all ?? EMPTY;
  }

  room(gateway: string, room: string): ReadonlySet<Connection> {
    return this.gateways.get(gateway)?.rooms.get(room) ?? EMPTY;
  }

  role(gateway: string, role: string): ReadonlySet<Connection> {
    return this.room(gateway, `role:${role}`);
  }

  byUser(gateway: string, userId: string): ReadonlySet<Connection> {
    return this.gateways.get(gateway)?.byUser.get(userId) ?? EMPTY;
  }

  byClientId(gateway: string, clientId: string): Connection | null {
    return this.gateways.get(gateway)?.byClientId.get(clientId) ?? null;
  }

  ofPrincipal(kind: 'user' | 'device', id: string): ReadonlySet<Connection> {
    return this.byPrincipal.get(`${kind}:${id}`) ?? EMPTY;
  }

  count(gateway?: string): number {
    if (gateway) return this.all(gateway).size;
    let n = 0;
    for (const g of this.gateways.values()) n += g.all.size;
    return n;
  }

  *everyConnection(): IterableIterator<Connection> {
    for (const g of this.gateways.values()) yield* g.all;
  }
}
