import { TestApp } from '../support/test-app';
import { silenceWav } from '../support/wav';
import { Frame, TestSocket } from '../support/ws-client';

export const isType = (type: string) => (f: Frame) => f.type === type;

/** A tiny valid WAV (silence). */
export const wav = silenceWav;

export async function uploadSound(t: TestApp, name = 'Bell', bytes: Buffer = wav(), fileName = 'bell.wav', token = t.adminToken) {
  const form = new FormData();
  form.append('name', name);
  form.append('file', new Blob([bytes], { type: 'application/octet-stream' }), fileName);
  return t.http('POST', '/api/bells/sounds', { token, body: form });
}

export async function newSound(t: TestApp, name = 'Bell'): Promise<{ id: string; checksum: string; url: string }> {
  const r = await uploadSound(t, name);
  if (r.status !== 201) throw new Error(`upload failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A bells socket as seed 000 connects one: token and client_type in the query, then `register`. */
export async function bellsSocket(t: TestApp, options: { token: string; type?: 'admin' | 'client'; name?: string; zone?: string; register?: boolean }): Promise<TestSocket> {
  const type = options.type ?? 'client';
  const q = new URLSearchParams({ token: options.token, client_type: type, ...(options.name ? { client_name: options.name } : {}) });
  const s = await t.socket(`/ws/bells?${q}`);
  if (options.register !== false) {
    s.send({ type: 'register', timestamp: new Date().toISOString(), payload: { client_type: type, client_name: options.name ?? null, ...(options.zone ? { zone: options.zone } : {}) } });
    await s.next(isType('connection_acknowledged'));
  }
  return s;
}

/** Round trip: an invalid message answered by an error frame; frames sent to this socket before it have arrived. */
export async function barrier(s: TestSocket): Promise<void> {
  s.send({ type: 'no_such_message' });
  await s.next((f) => f.type === 'error' && f.payload?.code === 'INVALID_MESSAGE');
}

/** A schedule in UTC with its items, every day unless told. */
export async function schedule(t: TestApp, items: Array<{ name: string; time: string; sound_id: string; day_type_id?: string; zones?: string[] }>, days = [0, 1, 2, 3, 4, 5, 6]) {
  const s = (await t.http('POST', '/api/bells/schedules', { token: t.adminToken, body: { name: `S ${Math.random()}`, days_of_week: days, timezone: 'UTC' } })).body;
  const created = [];
  for (const i of items) {
    const r = await t.http('POST', `/api/bells/schedules/${s.id}/items`, { token: t.adminToken, body: i });
    if (r.status !== 201) throw new Error(`item failed: ${r.status} ${JSON.stringify(r.body)}`);
    created.push(r.body);
  }
  return { id: s.id as string, items: created };
}
