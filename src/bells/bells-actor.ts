import type { Principal } from '../auth/principal';

/** How the bell logs name who did something: `user:<id> <name>` or `device:<id> <name>`. */
export function actorOf(p: Principal | undefined): string | null {
  return p ? `${p.kind}:${p.id} ${p.name}`.slice(0, 300) : null;
}

/** A player is the principal behind its token, so a reconnect is the same player. */
export function playerIdOf(p: Principal): string {
  return `${p.kind}:${p.id}`;
}
