/**
 * The server side of `npm run soak`: the whole app in a child process run
 * with --expose-gc, which answers the coordinator's `report` over IPC with
 * its memory after a full collection and the resources (timers, sockets,
 * handles) keeping its event loop alive.
 */
import 'reflect-metadata';
import { createApp } from '../src/bootstrap';
import { JsonLogger } from '../src/common/logger';

export interface SoakReport {
  heap_used_kib: number;
  rss_kib: number;
  external_kib: number;
  /** process.getActiveResourcesInfo(), counted by kind (Timeout, TCPSocketWrap, …). */
  resources: Record<string, number>;
}

async function settle(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 4; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function report(): Promise<SoakReport> {
  await settle();
  const m = process.memoryUsage();
  const resources: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) resources[kind] = (resources[kind] ?? 0) + 1;
  return { heap_used_kib: Math.round(m.heapUsed / 1024), rss_kib: Math.round(m.rss / 1024), external_kib: Math.round(m.external / 1024), resources };
}

async function main(): Promise<void> {
  const { app, config } = await createApp({ logger: new JsonLogger('warn', (l) => process.stderr.write(l + '\n')) });
  await app.listen(config.http.port, '127.0.0.1');
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'report') void report().then((r) => process.send?.({ ev: 'report', report: r }));
    if (m.cmd === 'stop') void app.close().then(() => process.exit(0));
  });
  process.send?.({ ev: 'ready', port: app.getHttpServer().address().port });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
