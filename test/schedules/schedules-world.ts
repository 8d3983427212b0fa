import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { TestApp, TestUser } from '../support/test-app';
import { Frame, TestSocket } from '../support/ws-client';

export const WS = '/ws/schedules';

export const isFrame =
  (type: string, action?: string) =>
  (f: Frame): boolean =>
    f.type === type && (action === undefined || f.action === action);

/** Connects the way the seed's clients do: `?token=`. */
export function connect(t: TestApp, token: string, headers?: Record<string, string>): Promise<TestSocket> {
  return t.socket(`${WS}?token=${encodeURIComponent(token)}`, { headers });
}

export async function subscribe(s: TestSocket, events: string[], filters?: Record<string, unknown>): Promise<Frame> {
  s.send({ type: 'subscription', action: 'subscribe', data: filters ? { events, filters } : { events } });
  return s.next((f) => isFrame('subscription', 'subscribed')(f) || f.type === 'error', 5000, 'the subscription answer');
}

/**
 * A ping round trip: once its pong is back, every frame the server wrote to
 * this socket before it has arrived (one socket's frames keep their order).
 */
export async function settle(...sockets: TestSocket[]): Promise<void> {
  await Promise.all(
    sockets.map(async (s) => {
      const stamp = randomUUID();
      s.send({ type: 'ping', timestamp: stamp });
      await s.next((f) => f.type === 'pong' && f.data?.timestamp === stamp, 5000, 'the pong');
    }),
  );
}

/** Builders for the people and shifts a test needs. */
export class World {
  private n = 0;
  private sockets: TestSocket[] = [];
  constructor(readonly t: TestApp) {}

  /** Opens a schedules socket that `closeAll` closes after the test. */
  async connect(token: string, headers?: Record<string, string>): Promise<TestSocket> {
    const s = await connect(this.t, token, headers);
    this.sockets.push(s);
    return s;
  }

  async closeAll(): Promise<void> {
    const open = this.sockets.splice(0);
    for (const s of open) s.close();
    await Promise.all(open.map((s) => s.waitClose().catch(() => undefined)));
  }

  async manager(): Promise<TestUser> {
    return this.t.newUser({ role: 'manager', name: `Manager ${++this.n}` });
  }

  /** A user with role employee, linked to a new employee record. */
  async employee(fields: { first?: string; job?: string } = {}): Promise<{ user: TestUser; id: number; name: string }> {
    const n = ++this.n;
    const user = await this.t.newUser({ role: 'employee', name: `Employee ${n}` });
    const first = fields.first ?? `Emp${n}`;
    const r = await this.t.http('POST', '/api/employees', {
      token: this.t.adminToken,
      body: { first_name: first, last_name: 'Doe', job_role: fields.job ?? 'server', user_id: user.id },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return { user, id: r.body.id, name: `${first} Doe` };
  }

  /** An employee record with no user account. */
  async unlinkedEmployee(): Promise<number> {
    const r = await this.t.http('POST', '/api/employees', { token: this.t.adminToken, body: { first_name: `Loose${++this.n}`, last_name: 'Hand' } });
    assert.equal(r.status, 201);
    return r.body.id;
  }

  async shift(name = 'Morning Shift', start = '09:00', end = '17:00'): Promise<{ id: number; name: string; start_time: string; end_time: string }> {
    const r = await this.t.http('POST', '/api/shifts', { token: this.t.adminToken, body: { name, start_time: start, end_time: end } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  }

  async schedule(token: string, body: Record<string, unknown>): Promise<Record<string, any>> {
    const r = await this.t.http('POST', '/api/schedules', { token, body });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  }
}
