/**
 * Every domain event, by name. The core declares its own; each domain adds its
 * events in `<domain>.events.ts` by declaration merging:
 *
 *   declare module '../realtime/events' {
 *     interface RealtimeEvents { 'bells.bell_triggered': BellTriggered }
 *   }
 *
 * so `broadcaster.publish(name, payload)` is checked by the compiler and the
 * core never imports a domain.
 */

export interface RealtimeEvents {
  /** A device was revoked or a user disabled or deleted: close its sockets. */
  'realtime.principal_revoked': { kind: 'user' | 'device'; id: string };
  /** Close a connection that may live on another instance (client id replaced, …). */
  'realtime.close_connection': { connection_id: string; code: number; reason: string; why: string };
}

// `& string` keeps the names usable as strings however a domain declares its keys.
// eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents
export type EventName = keyof RealtimeEvents & string;
export type EventPayload<K extends EventName> = RealtimeEvents[K];
