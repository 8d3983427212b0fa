import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { TestApp } from '../support/test-app';
import { Frame, TestSocket } from '../support/ws-client';

export const isType = (type: string) => (f: Frame) => f.type === type;
export const ofCounter = (type: string, counterId: number) => (f: Frame) => f.type === type && f.payload?.counter_id === counterId;

/** Whether espeak-ng runs on this machine (then audio_url must play; else it must be null). */
export const espeakInstalled = spawnSync('espeak-ng', ['--version']).status === 0;

let seq = 0;

/** A counter with its procedure and officer, and a registered kiosk, TV, officer screen and admin dashboard. */
export interface Hall {
  counter: { id: number; name: string };
  procedure: { id: number; name: string; average_service_time: number };
  officer: { id: string; token: string };
  kiosk: TestSocket;
  tv: TestSocket;
  officerScreen: TestSocket;
  admin: TestSocket;
  /** Every registered socket of the hall. */
  all: TestSocket[];
  /** Their client ids. */
  ids: { kiosk: string; tv: string; officer: string; admin: string };
}

/** Small builders so each queue test sets up counters, devices and officers in a few lines. */
export class QueueWorld {
  constructor(readonly t: TestApp) {}

  async procedure(fields: { name?: string; average_service_time?: number; prefix?: string } = {}): Promise<{ id: number; name: string; average_service_time: number; prefix: string | null }> {
    const r = await this.t.http('POST', '/api/queue/procedures', {
      token: this.t.adminToken,
      body: { name: fields.name ?? `Thủ tục ${++seq}`, average_service_time: fields.average_service_time ?? 10, ...(fields.prefix ? { prefix: fields.prefix } : {}) },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  }

  async counter(fields: { name?: string; procedures?: number[]; officer_ids?: string[]; status?: string } = {}): Promise<{ id: number; name: string }> {
    const r = await this.t.http('POST', '/api/queue/counters', { token: this.t.adminToken, body: { ...fields, name: fields.name ?? `Quầy thử ${++seq}` } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  }

  async officer(counterId: number) {
    const user = await this.t.newUser({ role: 'officer' });
    const current = await this.t.http('GET', `/api/queue/counters/${counterId}`, { token: this.t.adminToken });
    const r = await this.t.http('PATCH', `/api/queue/counters/${counterId}`, { token: this.t.adminToken, body: { officer_ids: [...current.body.officer_ids, user.id] } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return user;
  }

  /** A socket authenticated in band (AUTH) and registered; resolves after CONNECTION_ACK. */
  async client(token: string, clientType: string, clientId: string, extra: Record<string, unknown> = {}): Promise<TestSocket> {
    const s = await this.t.socket('/ws/queue');
    s.send({ type: 'AUTH', payload: { token: `Bearer ${token}`, ...extra } });
    s.send({ type: 'REGISTER_CLIENT', payload: { client_type: clientType, client_id: clientId, location: 'main-hall' } });
    const ack = await s.next(isType('CONNECTION_ACK'));
    assert.equal(ack.payload.client_id, clientId);
    return s;
  }

  async ticket(token: string, counterId: number): Promise<{ id: number; ticket_number: number; estimated_wait_time: number }> {
    const r = await this.t.http('POST', '/api/queue/tickets', { token, body: { counter_id: counterId } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  }

  /**
   * A hall around one fresh counter (procedure of `average_service_time`
   * minutes), its clients registered and their welcome snapshots consumed.
   */
  async hall(fields: { counterName?: string; procedureName?: string; average_service_time?: number } = {}): Promise<Hall> {
    const procedure = await this.procedure({ name: fields.procedureName, average_service_time: fields.average_service_time });
    const counter = await this.counter({ name: fields.counterName, procedures: [procedure.id] });
    const officer = await this.officer(counter.id);
    const n = ++seq;
    const ids = { kiosk: `kiosk-${n}`, tv: `tv-${n}`, officer: `officer-${n}`, admin: `admin-${n}` };
    const admin = await this.client(this.t.adminToken, 'admin', ids.admin);
    const kiosk = await this.client((await this.t.newDevice({ kind: 'kiosk' })).token, 'kiosk', ids.kiosk);
    const tv = await this.client((await this.t.newDevice({ kind: 'display' })).token, 'tv', ids.tv);
    const officerScreen = await this.client(officer.token, 'officer', ids.officer);
    const all = [kiosk, tv, officerScreen, admin];
    for (const s of all) {
      await s.next(ofCounter('QUEUE_UPDATE', counter.id));
      await s.next(ofCounter('COUNTER_STATUS_UPDATE', counter.id));
    }
    return { counter, procedure, officer, kiosk, tv, officerScreen, admin, all, ids };
  }

  /** A round trip: once PONG is back, every frame sent to this socket before it has arrived. */
  async sync(s: TestSocket): Promise<void> {
    const stamp = `sync-${++seq}`;
    s.send({ type: 'PING', payload: { timestamp: stamp } });
    await s.next((f) => f.type === 'PONG' && f.payload.timestamp === stamp);
  }
}
