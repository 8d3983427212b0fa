/**
 * `npm run bench`: broadcast fan-out of Switchboard (queue TVs or bell players,
 * real REST trigger, embedded database; a fresh server per size) against a bare `ws` server that serializes once
 * per broadcast and against Socket.IO's default broadcast, in one run on this
 * machine. Prints a Markdown table and writes the raw figures as JSON.
 *
 * Environment: BENCH_SIZES (1000,5000,15000; `none` for the end-to-end phase only), BENCH_ROUNDS (100 sequential
 * broadcasts for latency), BENCH_BURST (20 broadcasts fired at once),
 * BENCH_WORKERS (4 client processes), BENCH_TARGETS (switchboard,switchboard-recover,bare-ws,socket.io;
 * switchboard-recover: every socket opted in to reliable delivery; switchboard-cluster[-recover]: two instances
 * on Redis and BENCH_DATABASE_URL, skipped without it),
 * BENCH_GATEWAY (queue|bells), BENCH_DATABASE_URL, BENCH_CPU_PROF, BENCH_CLIENT_CPU_PROF (a folder for
 * the client processes' profiles), BENCH_E2E=0,
 * BENCH_STORM=0 and the reconnect storm's settings (bench/storm.ts),
 * BENCH_OUT (bench/results/latest.json). See docs/performance.md.
 */
import { ChildProcess, fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { FromWorker, ToWorker } from './protocol';
import { nowMs, percentile, procStat, sortNumbers } from './stats';
import { reconnectStorms, StormResult, stormTable } from './storm';
import { ClusterTarget, ScriptTarget, SwitchboardTarget, Target } from './targets';

const SIZES = process.env.BENCH_SIZES === 'none' ? [] : (process.env.BENCH_SIZES ?? '1000,5000,15000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 100);
const BURST = Number(process.env.BENCH_BURST ?? 20);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 4);
const TARGETS = (process.env.BENCH_TARGETS ?? 'switchboard,switchboard-recover,switchboard-cluster,switchboard-cluster-recover,bare-ws,socket.io').split(',');
const OUT = process.env.BENCH_OUT ?? join(__dirname, '..', '..', 'bench', 'results', 'latest.json');
const WAIT_MS = 30_000;
const MEMORY_STEPS = 4;
const CLK_TCK = 100;

interface Result {
  target: string;
  n: number;
  connected: number;
  latency_p50_ms: number;
  latency_p99_ms: number;
  completion_p99_ms: number;
  burst_deliveries_per_s: number;
  server_cpu_us_per_delivery: number;
  rss_per_connection_kib: number;
  /** [open sockets, resident KiB] readings the memory figure is fitted to. */
  rss_readings_kib: Array<[number, number]>;
  lost: number;
}

class Worker {
  readonly child: ChildProcess;
  private listeners: Array<(m: FromWorker) => void> = [];
  constructor() {
    const prof = process.env.BENCH_CLIENT_CPU_PROF;
    this.child = fork(join(__dirname, 'client-worker.js'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [] });
    this.child.on('message', (m: FromWorker) => this.listeners.forEach((l) => l(m)));
  }
  send(m: ToWorker): void {
    this.child.send(m);
  }
  on(l: (m: FromWorker) => void): () => void {
    this.listeners.push(l);
    return () => (this.listeners = this.listeners.filter((x) => x !== l));
  }
  wait<E extends FromWorker['ev']>(ev: E, timeoutMs: number, match: (m: Extract<FromWorker, { ev: E }>) => boolean = () => true): Promise<Extract<FromWorker, { ev: E }>> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        off();
        reject(new Error(`worker: timed out waiting for ${ev}`));
      }, timeoutMs);
      const off = this.on((m) => {
        if (m.ev === ev && match(m as Extract<FromWorker, { ev: E }>)) {
          clearTimeout(t);
          off();
          resolve(m as Extract<FromWorker, { ev: E }>);
        }
      });
    });
  }
}

/** CPU and memory of every process of a target (a cluster has several). */
function targetStat(target: Target): { cpuTicks: number; sysTicks: number; rssKib: number } {
  return (target.pids?.() ?? [target.pid()]).map(procStat).reduce((a, b) => ({ cpuTicks: a.cpuTicks + b.cpuTicks, sysTicks: a.sysTicks + b.sysTicks, rssKib: a.rssKib + b.rssKib }));
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Opens and closes a batch of sockets so start-up garbage and lazy code paths are behind us before the baseline. */
async function warmUp(target: Target, workers: Worker[], addressBlock: number): Promise<void> {
  const w = workers[0];
  w.send({ cmd: 'connect', plan: target.plan(500, `127.0.${addressBlock}.200`) });
  await w.wait('ready', 60_000);
  w.send({ cmd: 'close' });
  await w.wait('closed', 60_000);
  await settle(2000);
}

/** Resident memory after a full collection (every server runs with --expose-gc and collects on SIGUSR2). */
async function settledRss(target: Target): Promise<number> {
  const pids = target.pids?.() ?? [target.pid()];
  for (let i = 0; i < 2; i++) {
    for (const pid of pids) process.kill(pid, 'SIGUSR2');
    await settle(700);
  }
  return targetStat(target).rssKib;
}

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const mx = points.reduce((a, [x]) => a + x, 0) / points.length;
  const my = points.reduce((a, [, y]) => a + y, 0) / points.length;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den ? num / den : NaN;
}

/**
 * One size on a fresh server process: memory first, then the broadcasts.
 * Memory per idle connection is the least-squares slope of resident memory
 * (each reading after a full collection) over MEMORY_STEPS + 1 readings, from
 * no socket to N sockets, after a warm-up batch. A fresh process, because
 * memory freed by an earlier size stays resident and would be reused; several
 * readings, because a small process's heap grows in steps and any two
 * readings can fall either side of one.
 */
async function measure(target: Target, n: number, workers: Worker[], addressBlock: number): Promise<Result> {
  await warmUp(target, workers, addressBlock);
  const per = Math.ceil(n / workers.length);
  const counts = workers.map((_, i) => Math.max(0, Math.min(per, n - i * per)));
  const opened = workers.map(() => 0);
  let connected = 0;
  const points: Array<[number, number]> = [[0, await settledRss(target)]];
  for (let step = 1; step <= MEMORY_STEPS; step++) {
    await Promise.all(
      workers.map(async (w, i) => {
        const goal = Math.round((counts[i] * step) / MEMORY_STEPS);
        const add = goal - opened[i];
        if (add <= 0) return;
        w.send({ cmd: 'connect', plan: { ...target.plan(add, `127.0.${addressBlock}.${i + 2}`), append: step > 1 } });
        const ready = await w.wait('ready', 180_000);
        if (ready.failed) console.error(`  ${target.name}: ${ready.failed} sockets failed to connect (${ready.error})`);
        opened[i] = goal;
        connected += ready.connected;
      }),
    );
    points.push([connected, await settledRss(target)]);
  }
  const rssPerConn = slope(points);

  const total = ROUNDS + BURST;
  workers.forEach((w) => w.send({ cmd: 'measure', expectPerSocket: total }));
  const t0s: number[] = [];
  let timedOut = 0;
  const roundDone = (k: number) => Promise.all(workers.map((w, i) => (counts[i] ? w.wait('round', WAIT_MS, (m) => m.round === k) : Promise.resolve())));
  for (let k = 0; k < ROUNDS; k++) {
    const done = roundDone(k);
    t0s[k] = nowMs();
    await target.trigger(k);
    try {
      await done;
    } catch {
      timedOut++;
    }
  }
  const cpu0 = targetStat(target).cpuTicks;
  const burstStart = nowMs();
  const burstDone = Promise.all(Array.from({ length: BURST }, (_, j) => roundDone(ROUNDS + j)));
  await Promise.all(Array.from({ length: BURST }, (_, j) => target.trigger(ROUNDS + j)));
  try {
    await burstDone;
  } catch {
    timedOut++;
  }
  const cpu1 = targetStat(target).cpuTicks;
  if (timedOut) console.error(`  ${target.name}: ${timedOut} broadcasts did not reach every socket within ${WAIT_MS / 1000} s`);

  workers.forEach((w) => w.send({ cmd: 'report', t0s }));
  const reports = await Promise.all(workers.map((w) => w.wait('report', 120_000)));
  const latencies = sortNumbers(reports.flatMap((r) => r.latencies));
  const completion = sortNumbers(t0s.map((_, k) => Math.max(...reports.map((r) => r.completion[k] ?? 0))));
  const received = reports.reduce((a, r) => a + r.received, 0);
  const lastReceipt = Math.max(...reports.map((r) => r.lastReceipt));
  workers.forEach((w) => w.send({ cmd: 'close' }));
  await Promise.all(workers.map((w) => w.wait('closed', 60_000)));
  await settle(1000);
  return {
    target: target.name,
    n,
    connected,
    latency_p50_ms: percentile(latencies, 50),
    latency_p99_ms: percentile(latencies, 99),
    completion_p99_ms: percentile(completion, 99),
    burst_deliveries_per_s: (n * BURST) / ((lastReceipt - burstStart) / 1000),
    server_cpu_us_per_delivery: (((cpu1 - cpu0) / CLK_TCK) * 1e6) / (n * BURST),
    rss_per_connection_kib: rssPerConn,
    rss_readings_kib: points,
    lost: reports.reduce((a, r) => a + r.expected, 0) - received,
  };
}

const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

function table(results: Result[]): string {
  const lines: string[] = [];
  const metrics: Array<[keyof Result, string, number, 'lower' | 'higher']> = [
    ['burst_deliveries_per_s', 'burst delivery rate (deliveries/s)', 0, 'higher'],
    ['server_cpu_us_per_delivery', 'server CPU per delivery (µs)', 2, 'lower'],
    ['completion_p99_ms', 'broadcast completion p99 (ms)', 1, 'lower'],
    ['latency_p50_ms', 'per-delivery latency p50 (ms)', 1, 'lower'],
    ['latency_p99_ms', 'per-delivery latency p99 (ms)', 1, 'lower'],
    ['rss_per_connection_kib', 'memory per idle connection (KiB)', 2, 'lower'],
    ['lost', 'lost deliveries', 0, 'lower'],
  ];
  for (const n of SIZES) {
    const by = (t: string) => results.find((r) => r.target === t && r.n === n);
    const sb = by('switchboard');
    const bare = by('bare-ws');
    const sio = by('socket.io');
    lines.push(`\n#### N = ${n.toLocaleString('en-US')}\n`);
    lines.push('| metric | Switchboard | bare ws | Switchboard / bare | Socket.IO | Socket.IO / bare |');
    lines.push('|---|---:|---:|---:|---:|---:|');
    for (const [key, label, digits] of metrics) {
      const v = (r: Result | undefined) => (r ? (r[key] as number) : NaN);
      const ratio = (r: Result | undefined) => (key === 'lost' ? '' : bare && r ? fmt(v(r) / v(bare), 2) + '×' : 'n/a');
      lines.push(`| ${label} | ${fmt(v(sb), digits)} | ${fmt(v(bare), digits)} | ${ratio(sb)} | ${fmt(v(sio), digits)} | ${ratio(sio)} |`);
    }
  }
  return lines.join('\n');
}

/** What opting in to reliable delivery costs: every socket with recover=1 against none, on one instance and on two (Redis). */
function costTable(results: Result[]): string {
  const lines: string[] = [];
  for (const n of SIZES) {
    const by = (t: string) => results.find((r) => r.target === t && r.n === n);
    const off = by('switchboard');
    const on = by('switchboard-recover');
    if (!off || !on) continue;
    const cluster = by('switchboard-cluster-recover');
    const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b ? fmt(a / b, 2) + '×' : 'n/a');
    lines.push(`\n#### Reliable delivery, N = ${n.toLocaleString('en-US')}\n`);
    lines.push('| metric | opt-in off | every socket opted in | on ÷ off | target | two instances, opted in | two ÷ one | target |');
    lines.push('|---|---:|---:|---:|---|---:|---:|---|');
    lines.push(
      `| server CPU per delivery (µs) | ${fmt(off.server_cpu_us_per_delivery, 2)} | ${fmt(on.server_cpu_us_per_delivery, 2)} | ${ratio(on.server_cpu_us_per_delivery, off.server_cpu_us_per_delivery)} | ≤ 1.10× | ${fmt(cluster?.server_cpu_us_per_delivery ?? NaN, 2)} | ${ratio(cluster?.server_cpu_us_per_delivery, on.server_cpu_us_per_delivery)} | ≤ 1.15× |`,
    );
    lines.push(
      `| memory per idle connection (KiB) | ${fmt(off.rss_per_connection_kib, 2)} | ${fmt(on.rss_per_connection_kib, 2)} | ${ratio(on.rss_per_connection_kib, off.rss_per_connection_kib)} | ≤ 1.10× | | | |`,
    );
    lines.push(`| lost deliveries | ${off.lost} | ${on.lost} | | 0 | ${cluster?.lost ?? 'n/a'} | | 0 |`);
  }
  return lines.join('\n');
}

interface EndToEnd {
  database: string;
  actions: number;
  rate_per_s: number;
  sockets: number;
  frame_p50_ms: number;
  frame_p99_ms: number;
  rest_p50_ms: number;
  rest_p99_ms: number;
  http_baseline_p50_ms: number;
  fanout_avg_ms: number;
  serialize_us: number;
  lost: number;
}

const E2E_ACTIONS = Number(process.env.BENCH_E2E_ACTIONS ?? 500);
const E2E_RATE = Number(process.env.BENCH_E2E_RATE ?? 50);
const E2E_SOCKETS = Number(process.env.BENCH_E2E_SOCKETS ?? 100);

/** REST action → committed → frame on a socket, at a steady rate of concurrent actions. */
async function endToEnd(database: string, databaseUrl: string | null, worker: Worker, port: number): Promise<EndToEnd> {
  const target = new SwitchboardTarget(port, databaseUrl, `switchboard (${database})`);
  await target.start();
  try {
    await target.issueTicket();
    worker.send({ cmd: 'connect', plan: target.ticketPlan(E2E_SOCKETS, '127.0.0.250') });
    await worker.wait('ready', 60_000);
    // Warm up the route, then measure a plain HTTP round trip on this machine for comparison.
    for (let i = 0; i < 5; i++) await fetch(`${target.baseUrl}/health/live`);
    const baseline: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t = nowMs();
      await fetch(`${target.baseUrl}/health/live`);
      baseline.push(nowMs() - t);
    }
    const metricsBefore = fanoutTotals(await target.metrics());
    worker.send({ cmd: 'measure', expectPerSocket: E2E_ACTIONS });
    const allDone = worker.wait('round', 120_000, (m) => m.round === E2E_ACTIONS - 1).catch(() => undefined);
    const t0s: number[] = [];
    const rest: number[] = [];
    const pending: Promise<void>[] = [];
    const start = nowMs();
    for (let k = 0; k < E2E_ACTIONS; k++) {
      const due = start + (k * 1000) / E2E_RATE;
      const wait = due - nowMs();
      if (wait > 0) await settle(wait);
      const sent = nowMs();
      // Frames are matched to the request that made their ticket (numbers follow commit order).
      pending.push(
        target.issueTicket().then((n) => {
          t0s[n - 2] = sent;
          rest.push(nowMs() - sent);
        }),
      );
    }
    await Promise.all(pending);
    await Promise.race([allDone, settle(WAIT_MS)]);
    worker.send({ cmd: 'report', t0s });
    const report = await worker.wait('report', 60_000);
    worker.send({ cmd: 'close' });
    await worker.wait('closed', 60_000);
    const metricsAfter = fanoutTotals(await target.metrics());
    const frames = sortNumbers(report.latencies);
    const restSorted = sortNumbers(rest);
    const frame = {
      type: 'TICKET_CREATED',
      payload: { ticket_id: 456, ticket_number: 105, counter_id: 1, counter_name: 'Bench counter', procedure_name: null, created_at: new Date().toISOString(), estimated_wait_time: 15 },
    };
    const reps = 100_000;
    const ts = nowMs();
    for (let i = 0; i < reps; i++) Buffer.from(JSON.stringify(frame));
    const serializeUs = ((nowMs() - ts) * 1000) / reps;
    return {
      database,
      actions: E2E_ACTIONS,
      rate_per_s: E2E_RATE,
      sockets: E2E_SOCKETS,
      frame_p50_ms: percentile(frames, 50),
      frame_p99_ms: percentile(frames, 99),
      rest_p50_ms: percentile(restSorted, 50),
      rest_p99_ms: percentile(restSorted, 99),
      http_baseline_p50_ms: percentile(sortNumbers(baseline), 50),
      fanout_avg_ms: ((metricsAfter.sum - metricsBefore.sum) / Math.max(1, metricsAfter.count - metricsBefore.count)) * 1000,
      serialize_us: serializeUs,
      lost: report.expected - report.received,
    };
  } finally {
    await target.stop();
  }
}

/** A new, empty database on the server of BENCH_DATABASE_URL, dropped afterwards. */
async function freshDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `sb_bench_${Date.now().toString(36)}`;
  const run = async (sql: string) => {
    const c = new Client({ connectionString: serverUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

function fanoutTotals(metrics: string): { sum: number; count: number } {
  const sum = Number(/switchboard_ws_broadcast_fanout_seconds_sum\{gateway="queue"\} ([0-9.e+-]+)/.exec(metrics)?.[1] ?? 0);
  const count = Number(/switchboard_ws_broadcast_fanout_seconds_count\{gateway="queue"\} ([0-9.e+-]+)/.exec(metrics)?.[1] ?? 0);
  return { sum, count };
}

function e2eTable(rows: EndToEnd[]): string {
  const lines = [
    `\n#### End to end: REST action → committed → frame (${E2E_RATE} actions/s, ${E2E_ACTIONS} actions, ${E2E_SOCKETS} sockets)\n`,
    '| database | frame p50 (ms) | frame p99 (ms) | REST response p50 (ms) | REST p99 (ms) | plain HTTP round trip p50 (ms) | fan-out per broadcast (ms) | serialization per frame (µs) | lost |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows)
    lines.push(
      `| ${r.database} | ${fmt(r.frame_p50_ms, 2)} | ${fmt(r.frame_p99_ms, 2)} | ${fmt(r.rest_p50_ms, 2)} | ${fmt(r.rest_p99_ms, 2)} | ${fmt(r.http_baseline_p50_ms, 2)} | ${fmt(r.fanout_avg_ms, 3)} | ${fmt(r.serialize_us, 2)} | ${r.lost} |`,
    );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  const results: Result[] = [];
  const e2e: EndToEnd[] = [];
  let storms: StormResult[] = [];
  let clusterDatabase: string | null = null;
  const make = (name: string, i: number): Target =>
    name === 'switchboard' || name === 'switchboard-recover'
      ? new SwitchboardTarget(39000 + i, null, name, (process.env.BENCH_GATEWAY as 'queue' | 'bells') ?? 'queue', name === 'switchboard-recover')
      : name.startsWith('switchboard-cluster')
        ? new ClusterTarget(name, 39060 + 2 * i, clusterDatabase!, name === 'switchboard-cluster-recover')
        : name === 'bare-ws'
          ? new ScriptTarget('bare-ws', 'bare-ws-server.js')
          : new ScriptTarget('socket.io', 'socketio-server.js');
  const workers = Array.from({ length: WORKERS }, () => new Worker());
  try {
    let block = 1;
    for (const [i, name] of TARGETS.entries()) {
      const cluster = name.startsWith('switchboard-cluster');
      if (cluster && !process.env.BENCH_DATABASE_URL) {
        console.error(`# ${name}: skipped (two instances need one PostgreSQL: set BENCH_DATABASE_URL)`);
        continue;
      }
      for (const n of SIZES) {
        // A fresh server per size (see measure).
        const db = cluster ? await freshDatabase(process.env.BENCH_DATABASE_URL!) : null;
        clusterDatabase = db?.url ?? null;
        const target = make(name, i);
        console.error(`# ${name}: N=${n}`);
        await target.start();
        try {
          const r = await measure(target, n, workers, block++);
          results.push(r);
          console.error(`  ${JSON.stringify(r)}`);
        } finally {
          await target.stop();
          await db?.drop();
        }
      }
    }
    if (process.env.BENCH_E2E !== '0' && TARGETS.includes('switchboard')) {
      console.error('# end to end on the embedded database');
      e2e.push(await endToEnd('PGlite', null, workers[0], 39050));
      console.error(`  ${JSON.stringify(e2e[e2e.length - 1])}`);
      if (process.env.BENCH_DATABASE_URL) {
        console.error('# end to end on PostgreSQL');
        const db = await freshDatabase(process.env.BENCH_DATABASE_URL);
        try {
          e2e.push(await endToEnd('PostgreSQL', db.url, workers[0], 39051));
        } finally {
          await db.drop();
        }
        console.error(`  ${JSON.stringify(e2e[e2e.length - 1])}`);
      }
    }
    if (process.env.BENCH_STORM !== '0') storms = await reconnectStorms(workers, 200, 39090, TARGETS);
  } finally {
    workers.forEach((w) => w.child.kill());
  }
  const machine = { cpus: cpus().length, cpu_model: cpus()[0]?.model, memory_gib: Math.round(totalmem() / 2 ** 30), node: process.version };
  const output = {
    date: new Date().toISOString(),
    machine,
    settings: { sizes: SIZES, rounds: ROUNDS, burst: BURST, workers: WORKERS },
    duration_s: Math.round((Date.now() - started) / 1000),
    results,
    end_to_end: e2e,
    reconnect_storm: storms,
  };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify(output, null, 2));
  console.log(`## Broadcast fan-out (${machine.cpus} cores, ${machine.cpu_model}, Node ${machine.node})`);
  console.log(table(results));
  console.log(costTable(results));
  if (e2e.length) console.log(e2eTable(e2e));
  if (storms.length) console.log(stormTable(storms));
  console.log(`\nRaw figures: ${OUT} (${output.duration_s} s)`);
}

main().then(
  // Keep-alive HTTP agents would otherwise hold the process open for a while.
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
