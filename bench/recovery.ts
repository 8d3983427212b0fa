/**
 * Loss under churn (docs/performance.md, "Reliable delivery"): N queue TVs
 * hear a burst of broadcasts while a tenth of the sockets is cut (TCP, no
 * close frame) and reconnected every second. Reports delivered ÷ expected per
 * TV and broadcast, for Switchboard with resume (recover=1 + since) and
 * without, and for Socket.IO by default and with its connection state
 * recovery, in the same harness.
 *
 * Environment: BENCH_CHURN_N (10000), BENCH_CHURN_BROADCASTS (100), BENCH_CHURN_RATE (10 a second),
 * BENCH_CHURN_SHARE (0.1 of the sockets a second), BENCH_WORKERS (4), BENCH_CHURN_CASES (all four).
 */
import { ChildProcess, fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import type { ChurnFromWorker, ChurnToWorker } from './churn-worker';
import { ScriptTarget, SwitchboardTarget, Target } from './targets';

const N = Number(process.env.BENCH_CHURN_N ?? 10_000);
const BROADCASTS = Number(process.env.BENCH_CHURN_BROADCASTS ?? 100);
const RATE = Number(process.env.BENCH_CHURN_RATE ?? 10);
const SHARE = Number(process.env.BENCH_CHURN_SHARE ?? 0.1);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 4);
const OUT = process.env.BENCH_CHURN_OUT ?? join(__dirname, '..', '..', 'bench', 'results', 'churn.json');

interface Case {
  name: string;
  target: () => Target;
  resume: boolean;
  env?: Record<string, string>;
}

const CASES: Case[] = [
  { name: 'switchboard, resume', target: () => new SwitchboardTarget(39200, null, 'switchboard'), resume: true },
  { name: 'switchboard, no resume', target: () => new SwitchboardTarget(39201, null, 'switchboard'), resume: false },
  { name: 'socket.io default', target: () => new ScriptTarget('socket.io', 'socketio-server.js'), resume: false },
  { name: 'socket.io, connection state recovery', target: () => new ScriptTarget('socket.io', 'socketio-server.js'), resume: true, env: { SIO_RECOVERY: '1' } },
].filter((c) => !process.env.BENCH_CHURN_CASES || process.env.BENCH_CHURN_CASES.split(',').some((x) => c.name.includes(x)));

class Worker {
  readonly child: ChildProcess = fork(join(__dirname, 'churn-worker.js'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  send(m: ChurnToWorker): void {
    this.child.send(m);
  }
  next<E extends ChurnFromWorker['ev']>(ev: E, timeoutMs: number): Promise<Extract<ChurnFromWorker, { ev: E }>> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`churn worker: no ${ev} within ${timeoutMs} ms`)), timeoutMs);
      const on = (m: ChurnFromWorker) => {
        if (m.ev !== ev) return;
        clearTimeout(t);
        this.child.off('message', on);
        resolve(m as Extract<ChurnFromWorker, { ev: E }>);
      };
      this.child.on('message', on);
    });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ChurnResult {
  case: string;
  sockets: number;
  broadcasts: number;
  delivered_ratio: number;
  reconnects: number;
  /** Reconnect attempts that failed before the TV was registered (and were retried), by close code. */
  retries: number;
  close_codes: Record<string, number>;
  open_at_end: number;
}

async function run(c: Case, workers: Worker[], block: number): Promise<ChurnResult> {
  const saved = { ...process.env };
  Object.assign(process.env, c.env ?? {});
  const target = c.target();
  await target.start();
  process.env = saved;
  try {
    const per = Math.ceil(N / workers.length);
    workers.forEach((w, i) => w.send({ cmd: 'connect', plan: target.plan(per, `127.0.${block}.${i + 1}`), resume: c.resume, broadcasts: BROADCASTS }));
    await Promise.all(workers.map((w) => w.next('ready', 300_000)));
    const started = Date.now();
    let nextChurn = started + 1000;
    for (let seq = 1; seq <= BROADCASTS; seq++) {
      await target.trigger(seq);
      const due = started + (seq * 1000) / RATE;
      for (;;) {
        const now = Date.now();
        if (now >= nextChurn) {
          workers.forEach((w) => w.send({ cmd: 'churn', share: SHARE }));
          nextChurn += 1000;
        } else if (now >= due) break;
        else await sleep(Math.min(due, nextChurn) - now);
      }
    }
    // Settle: reconnects finish and replays land; stop when nothing more arrives and no more sockets open for three seconds.
    let last = -1;
    let lastOpen = -1;
    let still = 0;
    let reports: Array<Extract<ChurnFromWorker, { ev: 'report' }>> = [];
    for (let i = 0; i < 60 && still < 3; i++) {
      await sleep(1000);
      workers.forEach((w) => w.send({ cmd: 'report' }));
      reports = await Promise.all(workers.map((w) => w.next('report', 30_000)));
      const total = reports.reduce((a, r) => a + r.received, 0);
      const open = reports.reduce((a, r) => a + r.open, 0);
      still = total === last && open === lastOpen ? still + 1 : 0;
      last = total;
      lastOpen = open;
    }
    const expected = per * workers.length * BROADCASTS;
    return {
      case: c.name,
      sockets: per * workers.length,
      broadcasts: BROADCASTS,
      delivered_ratio: last / expected,
      reconnects: reports.reduce((a, r) => a + r.reconnects, 0),
      retries: reports.reduce((a, r) => a + r.retries, 0),
      close_codes: reports.reduce<Record<string, number>>((a, r) => {
        for (const [code, n] of Object.entries(r.close_codes)) a[code] = (a[code] ?? 0) + n;
        return a;
      }, {}),
      open_at_end: reports.reduce((a, r) => a + r.open, 0),
    };
  } finally {
    workers.forEach((w) => w.send({ cmd: 'close' }));
    await Promise.all(workers.map((w) => w.next('closed', 60_000).catch(() => undefined)));
    await target.stop();
  }
}

async function main(): Promise<void> {
  const workers = Array.from({ length: WORKERS }, () => new Worker());
  const results: ChurnResult[] = [];
  try {
    let block = 101;
    for (const c of CASES) {
      console.error(`# loss under churn: ${c.name}, N=${N}`);
      const r = await run(c, workers, block++);
      console.error(`  ${JSON.stringify(r)}`);
      results.push(r);
    }
  } finally {
    workers.forEach((w) => w.child.kill());
  }
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify({ date: new Date().toISOString(), cpus: cpus().length, settings: { N, BROADCASTS, RATE, SHARE }, results }, null, 2));
  console.log(`## Loss under churn: ${N} TVs, ${BROADCASTS} broadcasts at ${RATE}/s, ${SHARE * 100}% of sockets cut and reconnected every second`);
  console.log('| | delivered ÷ expected | cuts | failed attempts, retried | open at the end |');
  console.log('|---|---|---|---|---|');
  for (const r of results) console.log(`| ${r.case} | ${(r.delivered_ratio * 100).toFixed(2)}% | ${r.reconnects} | ${r.retries} | ${r.open_at_end} |`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
