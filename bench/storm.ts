/**
 * The reconnect storm of `npm run bench`: a hall's access point restarts and
 * every display behind it reconnects at once. N queue TVs (a hall of counters
 * with tickets, so every snapshot has content) are connected and registered;
 * then every TCP connection is destroyed at once (no close frame) and each TV
 * reconnects with its client id and its own device token after a random
 * delay of up to the jitter, and registers again. Measured: time from the cut until every TV is registered
 * again (CONNECTION_ACK and its counters' snapshot), registrations per second
 * over that time, and the server's CPU per registration (/proc, from the cut to
 * the last registration: the closes, upgrades, admissions and registrations).
 * Beside it the bare `ws` server doing the same (accept, answer the register
 * message).
 *
 * Environment: BENCH_STORM (1; 0 skips it), BENCH_STORM_SIZE (10000 TVs),
 * BENCH_STORM_JITTER_MS (500), BENCH_STORM_COUNTERS (10 counters, 5 tickets each),
 * BENCH_STORM_DEVICES (display devices, each with its own token: one per TV by default),
 * BENCH_STORM_CLIENT (lean; ws: the ws library's client), BENCH_STORM_CLIENT_NICE (10: the TVs'
 * processes run that much lower while they reconnect; 0: equal priority). See client-worker.ts.
 */
import { loadavg } from 'node:os';
import type { FromWorker, ToWorker } from './protocol';
import { percentile, procStat, sortNumbers } from './stats';
import { ScriptTarget, SwitchboardTarget, Target } from './targets';

export const STORM_SIZE = Number(process.env.BENCH_STORM_SIZE ?? 10_000);
const JITTER_MS = Number(process.env.BENCH_STORM_JITTER_MS ?? 500);
const COUNTERS = Number(process.env.BENCH_STORM_COUNTERS ?? 10);
const DEVICES = Number(process.env.BENCH_STORM_DEVICES ?? STORM_SIZE);
const CLK_TCK = 100;

export interface StormWorker {
  send(m: ToWorker): void;
  wait<E extends FromWorker['ev']>(ev: E, timeoutMs: number): Promise<Extract<FromWorker, { ev: E }>>;
}

export interface StormResult {
  target: string;
  n: number;
  jitter_ms: number;
  registered_again: number;
  failed: number;
  retries: number;
  all_back_s: number;
  back_p50_ms: number;
  back_p99_ms: number;
  registrations_per_s: number;
  server_cpu_us_per_registration: number;
  /** The part of it spent in the kernel (accepting, the loopback TCP work of each write, closing). */
  server_kernel_us_per_registration: number;
  /** The client processes' CPU per registration over the same time: the server and the clients share the machine's cores. */
  client_cpu_us_per_registration: number;
  /** Mean time from upgrade to registered, from the server's own histogram (Switchboard only). */
  server_registration_wait_ms: number | null;
  load_average_1m: number;
  /** The first failure each client process saw, if any (why attempts were retried). */
  first_errors: string[];
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

function registrationWait(metrics: string): { sum: number; count: number } {
  const read = (what: string) => Number(new RegExp(`switchboard_ws_registration_seconds_${what}\\{gateway="queue"\\} ([0-9.e+-]+)`).exec(metrics)?.[1] ?? 0);
  return { sum: read('sum'), count: read('count') };
}

/** One storm on a fresh server of `target`. */
export async function reconnectStorm(target: Target, workers: StormWorker[], addressBlock: number): Promise<StormResult> {
  await target.start();
  try {
    const sb = target instanceof SwitchboardTarget ? target : null;
    if (sb) await sb.prepareHall(COUNTERS, 5);
    const per = Math.ceil(STORM_SIZE / workers.length);
    const counts = workers.map((_, i) => Math.max(0, Math.min(per, STORM_SIZE - i * per)));
    // Every display is its own device, as in a real hall: each reconnect presents a token not seen for a while.
    const tokens = sb ? await sb.displayTokens(Math.min(DEVICES, STORM_SIZE)) : [];
    const tokensOf = (i: number) => (tokens.length ? { tokens: Array.from({ length: counts[i] }, (_, k) => tokens[(i * per + k) % tokens.length]) } : {});
    // A Switchboard TV counts as registered once its counters' snapshot arrived, not at the acknowledgement before it.
    const plan = (i: number) => ({ ...target.plan(counts[i], `127.0.${addressBlock}.${i + 2}`), ...tokensOf(i), ...(sb ? { ackContains: 'COUNTER_STATUS_UPDATE' } : {}) });
    const ready = await Promise.all(
      workers.map(async (w, i) => {
        if (!counts[i]) return null;
        w.send({ cmd: 'connect', plan: plan(i) });
        return w.wait('ready', 300_000);
      }),
    );
    const connected = ready.reduce((a, r) => a + (r?.connected ?? 0), 0);
    if (connected < STORM_SIZE) console.error(`  ${target.name}: only ${connected} of ${STORM_SIZE} TVs registered before the storm`);
    await settle(2000);
    const waitBefore = sb ? registrationWait(await sb.metrics()) : null;
    const stat0 = procStat(target.pid());
    const active = workers.filter((_, i) => counts[i]);
    active.forEach((w) => w.send({ cmd: 'storm', jitterMs: JITTER_MS }));
    const reports = await Promise.all(active.map((w) => w.wait('stormed', 300_000)));
    const stat1 = procStat(target.pid());
    const load = loadavg()[0];
    const waitAfter = sb ? registrationWait(await sb.metrics()) : null;
    const cutAt = Math.min(...reports.map((r) => r.cutAt));
    // Each worker's figures are from its own cut; shift them to the first cut.
    const back = sortNumbers(reports.flatMap((r) => r.backMs.map((ms) => ms + (r.cutAt - cutAt))));
    const registered = back.length;
    const allBackS = registered ? back[registered - 1] / 1000 : NaN;
    active.forEach((w) => w.send({ cmd: 'close' }));
    await Promise.all(active.map((w) => w.wait('closed', 60_000)));
    return {
      target: target.name,
      n: connected,
      jitter_ms: JITTER_MS,
      registered_again: registered,
      failed: reports.reduce((a, r) => a + r.failed, 0),
      retries: reports.reduce((a, r) => a + r.retries, 0),
      all_back_s: allBackS,
      back_p50_ms: percentile(back, 50),
      back_p99_ms: percentile(back, 99),
      registrations_per_s: registered / allBackS,
      server_cpu_us_per_registration: (((stat1.cpuTicks - stat0.cpuTicks) / CLK_TCK) * 1e6) / Math.max(1, registered),
      server_kernel_us_per_registration: (((stat1.sysTicks - stat0.sysTicks) / CLK_TCK) * 1e6) / Math.max(1, registered),
      client_cpu_us_per_registration: reports.reduce((a, r) => a + r.cpuUs, 0) / Math.max(1, registered),
      server_registration_wait_ms: waitBefore && waitAfter ? ((waitAfter.sum - waitBefore.sum) / Math.max(1, waitAfter.count - waitBefore.count)) * 1000 : null,
      load_average_1m: load,
      first_errors: reports.map((r) => r.error).filter((e): e is string => !!e),
    };
  } finally {
    await target.stop();
  }
}

/** Switchboard (queue TVs) and the bare `ws` server, each on a fresh process. */
export async function reconnectStorms(workers: StormWorker[], firstBlock: number, port: number, names: string[]): Promise<StormResult[]> {
  const results: StormResult[] = [];
  const targets: Target[] = [new SwitchboardTarget(port, null, 'switchboard', 'queue'), new ScriptTarget('bare-ws', 'bare-ws-server.js')].filter((t) => names.includes(t.name));
  for (const [i, target] of targets.entries()) {
    console.error(`# reconnect storm: ${target.name}, N=${STORM_SIZE}`);
    const r = await reconnectStorm(target, workers, firstBlock + i);
    console.error(`  ${JSON.stringify(r)}`);
    results.push(r);
  }
  return results;
}

const fmt = (v: number | null, digits = 1) => (v !== null && Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

export function stormTable(results: StormResult[]): string {
  const sb = results.find((r) => r.target === 'switchboard');
  const bare = results.find((r) => r.target === 'bare-ws');
  const n = sb?.n ?? bare?.n ?? STORM_SIZE;
  const rows: Array<[string, (r: StormResult) => number | null, number]> = [
    ['time until all are registered again (s)', (r) => r.all_back_s, 2],
    ['registrations per second', (r) => r.registrations_per_s, 0],
    ['server CPU per registration (µs)', (r) => r.server_cpu_us_per_registration, 0],
    ['… of which in the kernel (µs)', (r) => r.server_kernel_us_per_registration, 0],
    ['client CPU per registration (µs, the TVs)', (r) => r.client_cpu_us_per_registration, 0],
    ['back after p50 / p99 (ms)', (r) => r.back_p50_ms, 0],
    ['retries (refused or cut attempts)', (r) => r.retries, 0],
    ['never back', (r) => r.failed, 0],
  ];
  const lines = [
    `\n#### Reconnect storm: ${n.toLocaleString('en-US')} TVs cut at once, reconnecting within ${JITTER_MS} ms (load average ${fmt(sb?.load_average_1m ?? bare?.load_average_1m ?? NaN, 2)})\n`,
    '| metric | Switchboard | bare ws | Switchboard / bare |',
    '|---|---:|---:|---:|',
  ];
  for (const [label, get, digits] of rows) {
    const v = (r: StormResult | undefined) => (r ? get(r) : NaN);
    const cell = (r: StormResult | undefined) => (label.startsWith('back after') && r ? `${fmt(r.back_p50_ms, 0)} / ${fmt(r.back_p99_ms, 0)}` : fmt(v(r), digits));
    const ratio = label.startsWith('retries') || label.startsWith('never') || !sb || !bare ? '' : `${fmt(v(sb)! / v(bare)!, 2)}×`;
    lines.push(`| ${label} | ${cell(sb)} | ${cell(bare)} | ${ratio} |`);
  }
  if (sb?.server_registration_wait_ms !== null && sb)
    lines.push(`\nSwitchboard's own figure (switchboard_ws_registration_seconds): upgrade → registered, mean ${fmt(sb.server_registration_wait_ms, 1)} ms.`);
  return lines.join('\n');
}
