/**
 * Type-level test, checked by `tsc` as part of `npm test`: publishing a known
 * event with a wrong payload, or an event nobody declared, must not compile.
 * If one of these lines ever compiles, its `@ts-expect-error` is unused and
 * the build fails.
 */
import type { Broadcaster } from '../../src/realtime/broadcaster';
import type { PendingEvents } from '../../src/database/unit-of-work';
import '../fixtures/probe.events';

export function typeLevelChecks(broadcaster: Broadcaster, events: PendingEvents): void {
  // Correct payloads compile.
  broadcaster.publish('probe.announced', { room: 'a', text: 'hello' });
  broadcaster.publish('realtime.principal_revoked', { kind: 'device', id: 'x' });
  events.publish('probe.announced', { room: 'a', text: 'hello' });
  broadcaster.on('probe.announced', (p) => p.text.toUpperCase());

  // @ts-expect-error room must be a string
  broadcaster.publish('probe.announced', { room: 1, text: 'hello' });
  // @ts-expect-error text is required
  broadcaster.publish('probe.announced', { room: 'a' });
  // @ts-expect-error kind is 'user' | 'device'
  broadcaster.publish('realtime.principal_revoked', { kind: 'robot', id: 'x' });
  // @ts-expect-error unknown event names do not compile
  broadcaster.publish('probe.unknown', {});
  // @ts-expect-error the unit of work is typed the same way
  events.publish('probe.announced', { room: 'a', text: 42 });
  // @ts-expect-error subscribers see the declared payload type
  broadcaster.on('probe.announced', (p) => p.missing.toUpperCase());
}
