import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { TestApp } from '../support/test-app';
import { Frame, TestSocket } from '../support/ws-client';

export const isType = (type: string) => (f: Frame) => f.type === type;
export const ofCounter = (type: string, counterId: number) => (f: Frame) => f.type === type && f.payload?.counter_id === counterId;

/** Whether espeak-ng runs on this machine (then audio_url must play; else it must be null). */
export const espeakInstalled = spawnSync('espeak-ng', ['--version']).status === 0;

let seq = 0;

/** Small builders so each queue test sets up counters, devices and officers in a few lines. */
export class QueueWorld {
  constructor(readonly t: TestApp) {}

  async procedure(fields: { name?: string; average_service_time?: number } = {}): Promise<{ id: number; name: string; average_service_time: number }> {
    const r = await this.t.http('POST', '/api/queue/procedures', { token: this.t.adminToken, body: { name: fields.name ?? `Thủ tục ${++seq}`, average_service_time: fields.average_service_time ?? 10 } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  }

  async counter(fields: { name?: string; procedures?: number[]; officer_ids?: string[]; status?: string } = {}): Promise<{ id: number; name: string }> {
    const r = await this.t.http('POST', '/api/queue/counters', { token: this.t.adminToken, body: { name: fields.name ?? `Quầy thử ${++seq}`, ...fields } });
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

  /** A round trip: once PONG is back, every frame sent to this socket before it has arrived. */
  async sync(s: TestSocket): Promise<void> {
    const stamp = `sync-${++seq}`;
    s.send({ type: 'PING', payload: { timestamp: stamp } });
    await s.next((f) => f.type === 'PONG' && f.payload.timestamp === stamp);
  }
}
