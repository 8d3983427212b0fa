/**
 * A benchmark client process: holds many sockets, timestamps every broadcast
 * it receives (no parsing on the hot path), and reports per-delivery latency
 * against the trigger times the coordinator sends at the end.
 */
import { Socket } from 'node:net';
import { getPriority, setPriority } from 'node:os';
import WebSocket from 'ws';
import { io as ioClient, Socket as IoSocket } from 'socket.io-client';
import { leanRegister, maskedTextFrame } from './lean-ws-client';
import { ConnectPlan, FromWorker, ToWorker } from './protocol';
import { nowMs } from './stats';

const send = (m: FromWorker) => process.send!(m);
let sockets: Array<WebSocket | IoSocket | Socket> = [];
/** receipts[socket][k] = epoch ms of the k-th broadcast on that socket. */
let receipts: number[][] = [];
let measuring = false;
let expectPerSocket = 0;
let roundCounts: number[] = [];

let seqMarker: string | undefined;
let seqOffset = 0;
let countOnly: string | undefined;
let lastPlan: ConnectPlan | null = null;
const STORM_ATTEMPTS = 20;

function onBroadcast(i: number, data?: unknown): void {
  if (!measuring) return;
  const t = nowMs();
  const list = receipts[i];
  let k = list.length;
  if (data !== undefined) {
    const text = String(data);
    if (countOnly && !text.includes(countOnly)) return;
    const at = seqMarker ? text.indexOf(seqMarker) : -1;
    if (at >= 0) k = parseInt(text.slice(at + seqMarker!.length), 10) + seqOffset;
  }
  list[k] = t;
  if (k < expectPerSocket && ++roundCounts[k] === sockets.length) send({ ev: 'round', round: k });
}

/** Ends a socket's TCP connection without a close frame. */
function cut(s: WebSocket | IoSocket | Socket): void {
  if (s instanceof WebSocket) s.terminate();
  else if (s instanceof Socket) s.destroy();
  else s.disconnect();
}

function headersOf(plan: ConnectPlan, index: number): Record<string, string> | undefined {
  return plan.tokens?.length ? { authorization: `Bearer ${plan.tokens[index % plan.tokens.length]}` } : plan.headers;
}

async function connect(plan: ConnectPlan): Promise<void> {
  let failed = 0;
  let error: string | undefined;
  const batch = 200;
  const first = sockets.length;
  const end = first + plan.count;
  for (let start = first; start < end; start += batch) {
    const opening: Promise<void>[] = [];
    for (let i = start; i < Math.min(end, start + batch); i++) {
      const index = i;
      receipts[index] = [];
      opening.push(
        new Promise<void>((resolve) => {
          const fail = (e: unknown) => {
            failed++;
            error ??= String(e);
            resolve();
          };
          if (plan.kind === 'socketio') {
            const s = ioClient(plan.url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 20000, extraHeaders: plan.headers, localAddress: plan.localAddress } as never);
            sockets[index] = s;
            s.on(plan.event!, () => onBroadcast(index));
            s.once('connect', () => resolve());
            s.once('connect_error', fail);
            return;
          }
          const ws = new WebSocket(plan.url, { headers: headersOf(plan, index), localAddress: plan.localAddress, perMessageDeflate: false });
          sockets[index] = ws;
          let registered = !plan.register;
          ws.on('message', (data) => {
            if (registered) return onBroadcast(index, seqMarker || countOnly ? data : undefined);
            if (data.toString().includes(plan.ackContains!)) {
              registered = true;
              resolve();
            }
          });
          ws.once('open', () => (plan.register ? ws.send(plan.register.replace('{i}', `${plan.localAddress}-${index}`)) : resolve()));
          ws.once('error', fail);
          ws.once('close', (code) => !registered && fail(`closed ${code}`));
        }),
      );
    }
    await Promise.all(opening);
  }
  send({ ev: 'ready', connected: plan.count - failed, failed, error });
}

/**
 * Every socket's TCP connection destroyed at once (no close frame, as when a
 * hall's access point restarts), then each one reconnects with the same client
 * id after a random delay up to `jitterMs`, retrying a refused or cut attempt
 * after a short pause, as a display does.
 */
async function storm(jitterMs: number): Promise<void> {
  const plan = lastPlan!;
  // On a site the TVs are other machines; here they share the server's cores. At a lower priority they
  // take what the server leaves instead of competing with it for the core being measured (0: equal priority).
  const priority = getPriority();
  const nice = Number(process.env.BENCH_STORM_CLIENT_NICE ?? 10);
  if (nice) setPriority(Math.min(19, priority + nice));
  const cutAt = nowMs();
  const cpu0 = process.cpuUsage();
  for (const s of sockets) cut(s);
  const backMs: number[] = [];
  let failed = 0;
  let retries = 0;
  let error: string | undefined;
  // The TVs' own cost stays small (they share the machine's cores with the server): the marker is looked for in the bytes, not in decoded text.
  const marker = Buffer.from(plan.ackContains!);
  const lean = process.env.BENCH_STORM_CLIENT !== 'ws';
  const url = new URL(plan.url);
  const target = { host: url.hostname, port: Number(url.port), path: url.pathname + url.search, localAddress: plan.localAddress };
  await Promise.all(
    sockets.map(
      (_, index) =>
        new Promise<void>((resolve) => {
          const back = () => {
            backMs.push(nowMs() - cutAt);
            resolve();
          };
          const lost = (tries: number, why: string) => {
            error ??= why;
            if (tries + 1 >= STORM_ATTEMPTS) {
              failed++;
              return resolve();
            }
            retries++;
            setTimeout(() => attempt(tries + 1), 100 + Math.random() * 400);
          };
          const attempt = (tries: number) => {
            if (lean) {
              const register = maskedTextFrame(plan.register!.replace('{i}', `${plan.localAddress}-${index}`));
              sockets[index] = leanRegister(target, headersOf(plan, index)?.authorization, register, marker, back, (why) => lost(tries, why));
              return;
            }
            const ws = new WebSocket(plan.url, { headers: headersOf(plan, index), localAddress: plan.localAddress, perMessageDeflate: false, skipUTF8Validation: true });
            sockets[index] = ws;
            let registered = false;
            ws.on('message', (data: Buffer) => {
              if (registered || data.indexOf(marker) < 0) return;
              registered = true;
              back();
            });
            ws.once('open', () => ws.send(plan.register!.replace('{i}', `${plan.localAddress}-${index}`)));
            ws.on('error', (e) => (error ??= String(e)));
            ws.once('close', (code) => !registered && lost(tries, `closed ${code}`));
          };
          setTimeout(() => attempt(0), Math.random() * jitterMs);
        }),
    ),
  );
  const cpu = process.cpuUsage(cpu0);
  try {
    setPriority(priority);
  } catch {
    // Raising a priority back needs privileges this user may not have; the storm is the last phase anyway.
  }
  send({ ev: 'stormed', cutAt, backMs, failed, retries, error, cpuUs: cpu.user + cpu.system });
}

function report(t0s: number[]): void {
  const latencies: number[] = [];
  const completion = new Array<number>(t0s.length).fill(0);
  let received = 0;
  let lastReceipt = 0;
  for (const list of receipts) {
    for (let k = 0; k < list.length; k++) {
      const t = list[k];
      if (t === undefined) continue;
      received++;
      if (t > lastReceipt) lastReceipt = t;
      if (k >= t0s.length || !t0s[k]) continue;
      const d = t - t0s[k];
      latencies.push(d);
      if (d > completion[k]) completion[k] = d;
    }
  }
  send({ ev: 'report', latencies, completion, received, expected: sockets.length * expectPerSocket, lastReceipt });
}

process.on('message', (m: ToWorker) => {
  switch (m.cmd) {
    case 'connect':
      if (!m.plan.append) {
        sockets = [];
        receipts = [];
      }
      seqMarker = m.plan.seqMarker;
      seqOffset = m.plan.seqOffset ?? 0;
      countOnly = m.plan.countOnly;
      lastPlan = m.plan;
      void connect(m.plan);
      break;
    case 'storm':
      void storm(m.jitterMs);
      break;
    case 'measure':
      expectPerSocket = m.expectPerSocket;
      roundCounts = new Array(m.expectPerSocket).fill(0);
      for (const r of receipts) r.length = 0;
      measuring = true;
      break;
    case 'report':
      measuring = false;
      report(m.t0s);
      break;
    case 'close':
      for (const s of sockets) cut(s);
      sockets = [];
      receipts = [];
      send({ ev: 'closed' });
      break;
  }
});

// Exit normally when the coordinator ends the run, so a --cpu-prof profile (BENCH_CLIENT_CPU_PROF) is written.
process.on('SIGTERM', () => process.exit(0));
