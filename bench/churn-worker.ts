/**
 * A client process of the loss-under-churn benchmark: holds its share of the
 * TVs, notes which broadcasts ("bench <seq>") each logical TV received (once
 * each, whatever the socket), and on every `churn` drops a share of its
 * sockets (TCP cut, no close frame) and reconnects them — resuming with their
 * positions when `resume` is on.
 */
import WebSocket from 'ws';
import { io as ioClient, Socket as IoSocket } from 'socket.io-client';
import type { ConnectPlan } from './protocol';

export type ChurnToWorker = { cmd: 'connect'; plan: ConnectPlan; resume: boolean; broadcasts: number } | { cmd: 'churn'; share: number } | { cmd: 'report' } | { cmd: 'close' };
export type ChurnFromWorker =
  { ev: 'ready'; connected: number } | { ev: 'report'; received: number; reconnects: number; open: number; retries: number; close_codes: Record<string, number> } | { ev: 'closed' };

const send = (m: ChurnFromWorker) => process.send!(m);
const MARKER = 'bench ';

let plan: ConnectPlan;
let resume = false;
/** got[i][seq] = 1 when TV i received broadcast seq. */
let got: Uint8Array[] = [];
let sockets: Array<WebSocket | IoSocket | null> = [];
let positions: Array<Map<string, [string, number]>> = [];
let reconnects = 0;
/** Attempts that closed before the TV was registered again, and were retried. */
let retries = 0;
const closeCodes = new Map<number, number>();
let stopping = false;

function received(i: number, text: string): void {
  const at = text.indexOf(MARKER);
  if (at < 0) return;
  const seq = parseInt(text.slice(at + MARKER.length), 10);
  if (seq > 0 && seq < got[i].length) got[i][seq] = 1;
}

/**
 * A screen whose connection fails tries again, as the console's screens and
 * Socket.IO's client do: after 100 ms, doubling to at most 1 s.
 */
function openWs(i: number, attempt = 0): Promise<void> {
  return new Promise((resolve) => {
    let url = plan.url;
    if (resume) {
      const held = positions[i];
      url += `${url.includes('?') ? '&' : '?'}recover=1${held.size ? `&since=${encodeURIComponent(JSON.stringify(Object.fromEntries(held)))}` : ''}`;
    }
    const ws = new WebSocket(url, { headers: plan.headers, localAddress: plan.localAddress, perMessageDeflate: false });
    sockets[i] = ws;
    let ready = false;
    ws.on('message', (data) => {
      const text = data.toString();
      if (resume && (text.startsWith('{"_pos"') || text.startsWith('{"_stream"'))) {
        const f = JSON.parse(text) as { _pos?: { s: string; e: string; o: number }; _stream?: { s: string; e: string | null; o: number } };
        if (f._pos) positions[i].set(f._pos.s, [f._pos.e, f._pos.o]);
        else if (f._stream) positions[i].set(f._stream.s, [f._stream.e ?? '', f._stream.o]);
      }
      received(i, text);
      if (!ready && text.includes(plan.ackContains!)) {
        ready = true;
        resolve();
      }
    });
    ws.once('open', () => ws.send(plan.register!.replace('{i}', `${plan.localAddress}-${i}`)));
    ws.on('error', () => undefined);
    ws.once('close', (code) => {
      if (!ready) {
        ready = true;
        resolve();
      }
      // Cut on purpose (a newer socket took its place) or the run is over: no retry.
      if (stopping || sockets[i] !== ws) return;
      retries++;
      closeCodes.set(code, (closeCodes.get(code) ?? 0) + 1);
      setTimeout(() => sockets[i] === ws && !stopping && void openWs(i, attempt + 1), Math.min(1000, 100 * 2 ** attempt));
    });
  });
}

function openIo(i: number): Promise<void> {
  return new Promise((resolve) => {
    const s = ioClient(plan.url, { transports: ['websocket'], forceNew: true, reconnection: true, reconnectionDelay: 100, reconnectionDelayMax: 1000, localAddress: plan.localAddress } as never);
    sockets[i] = s;
    s.on(plan.event!, (payload: { name?: string }) => received(i, String(payload?.name ?? '')));
    s.on('connect', () => {
      resolve();
    });
  });
}

/** Cuts the TCP connection under a socket without a close frame, as a Wi-Fi drop would. */
function cut(s: WebSocket | IoSocket): void {
  if (s instanceof WebSocket) {
    const socket = (s as unknown as { _socket?: { destroy(): void } })._socket;
    // Still connecting: no TCP socket to cut yet, so abort the attempt (else it would register beside its successor).
    if (socket) socket.destroy();
    else s.terminate();
    return;
  }
  const transport = (s.io as unknown as { engine?: { transport?: { ws?: { _socket?: { destroy(): void } } } } }).engine?.transport;
  transport?.ws?._socket?.destroy();
}

async function connectAll(count: number): Promise<void> {
  const batch = 200;
  for (let start = 0; start < count; start += batch) {
    const opening: Array<Promise<void>> = [];
    for (let i = start; i < Math.min(count, start + batch); i++) opening.push(plan.kind === 'socketio' ? openIo(i) : openWs(i));
    await Promise.all(opening);
  }
}

process.on('message', (m: ChurnToWorker) => {
  switch (m.cmd) {
    case 'connect':
      plan = m.plan;
      resume = m.resume;
      // The worker serves one case after another.
      stopping = false;
      reconnects = 0;
      retries = 0;
      closeCodes.clear();
      got = Array.from({ length: plan.count }, () => new Uint8Array(m.broadcasts + 1));
      positions = Array.from({ length: plan.count }, () => new Map());
      sockets = new Array(plan.count).fill(null);
      void connectAll(plan.count).then(() => send({ ev: 'ready', connected: sockets.filter(Boolean).length }));
      break;
    case 'churn': {
      const n = Math.round(sockets.length * m.share);
      const start = Math.floor(Math.random() * sockets.length);
      for (let k = 0; k < n; k++) {
        const i = (start + k) % sockets.length;
        const s = sockets[i];
        if (!s) continue;
        reconnects++;
        cut(s);
        // Socket.IO reconnects by itself; a ws TV reconnects at once, as a screen whose link came back.
        if (s instanceof WebSocket) void openWs(i);
      }
      break;
    }
    case 'report': {
      let total = 0;
      for (const g of got) for (let k = 1; k < g.length; k++) total += g[k];
      const open = sockets.filter((s) => (s instanceof WebSocket ? s.readyState === 1 : !!s?.connected)).length;
      send({ ev: 'report', received: total, reconnects, open, retries, close_codes: Object.fromEntries(closeCodes) });
      break;
    }
    case 'close':
      stopping = true;
      for (const s of sockets) {
        if (s instanceof WebSocket) s.terminate();
        else s?.disconnect();
      }
      sockets = [];
      send({ ev: 'closed' });
      break;
  }
});
