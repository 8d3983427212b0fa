import assert from 'node:assert/strict';
import { Logger } from '@nestjs/common';
import { describe, it } from 'node:test';
import { LocalClusterState } from '../../src/realtime/cluster/cluster-state';
import { CONNECTIONS_DIRECTORY, ConnectionDirectory } from '../../src/realtime/cluster/connection-directory';
import type { Connection } from '../../src/realtime/connection';

/** A cluster state whose directory writes wait until released, as Redis round trips do. */
class SlowState extends LocalClusterState {
  readonly pending: Array<() => void> = [];
  writes: object[] = [];
  override async putClient(gateway: string, connectionId: string, info: object): Promise<void> {
    await new Promise<void>((resolve) => this.pending.push(resolve));
    this.writes.push({ ...info });
    return super.putClient(gateway, connectionId, info);
  }
  release(): void {
    this.pending.splice(0).forEach((r) => r());
  }
}

const flush = () => new Promise((r) => setImmediate(r));

function socket(kind: 'device' | 'user'): Connection & { isOpen: boolean } {
  const conn = {
    id: `c-${kind}`,
    gateway: { name: 'queue' },
    ip: '10.0.0.7',
    connectedAt: Date.UTC(2026, 0, 5, 8, 0, 0),
    clientId: null as string | null,
    listing: null,
    isOpen: true,
    principal:
      kind === 'device'
        ? { kind: 'device', id: 'd1', name: 'Hall TV', deviceKind: 'display', role: 'device', counterId: null, location: null, expiresAt: null }
        : { kind: 'user', id: 'u1', name: 'Ann', role: 'admin', email: 'a@x', expiresAt: null, familyId: null },
    get open() {
      return this.isOpen;
    },
  };
  return conn as unknown as Connection & { isOpen: boolean };
}

describe('ConnectionDirectory', () => {
  it('lists a device at admission with since when; a user only once it claims a client id', async () => {
    const state = new LocalClusterState();
    const dir = new ConnectionDirectory(state, 'i1', new Logger('test'));
    const device = socket('device');
    const user = socket('user');
    dir.admitted(device);
    dir.admitted(user);
    await flush();
    assert.deepEqual(
      (await dir.list()).map((c) => [c.connection_id, c.device_name, c.connected_at, c.instance]),
      [['c-device', 'Hall TV', '2026-01-05T08:00:00.000Z', 'i1']],
    );
    user.clientId = 'console-1';
    dir.claimed(user);
    await flush();
    assert.deepEqual(
      (await dir.list()).map((c) => [c.connection_id, c.user_name, c.client_id]),
      [
        ['c-device', null, null],
        ['c-user', 'Ann', 'console-1'],
      ],
    );
  });

  it('writes one socket one write at a time, the changes of one step together, the newest view last, and removes a socket that closed meanwhile', async () => {
    const state = new SlowState();
    const dir = new ConnectionDirectory(state, 'i1', new Logger('test'));
    const tv = socket('device');
    dir.admitted(tv);
    tv.clientId = 'tv-1';
    dir.claimed(tv);
    dir.describe(tv, { client_type: 'tv' });
    assert.equal(state.pending.length, 0, 'nothing is written within the step');
    await flush();
    assert.equal(state.pending.length, 1, "the step's three changes, in one write");
    dir.describe(tv, { client_type: 'tv', counter_id: 3 });
    state.release();
    await flush();
    assert.equal(state.pending.length, 1, 'the change made meanwhile, in one more write');
    tv.isOpen = false;
    dir.closed(tv);
    state.release();
    await flush();
    await flush();
    assert.deepEqual(
      state.writes.map((w) => [(w as { client_id: string }).client_id, (w as { client_type?: string }).client_type, (w as { counter_id?: number }).counter_id]),
      [
        ['tv-1', 'tv', undefined],
        ['tv-1', 'tv', 3],
      ],
    );
    assert.deepEqual(await state.clients(CONNECTIONS_DIRECTORY), [], 'closed while its write was in flight: removed after it');
  });
});
