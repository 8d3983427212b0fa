import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadDotEnv } from './config/dotenv';
import { ConfigError } from './config/app-config';
import { createApp } from './bootstrap';
import { RealtimeService } from './realtime/realtime.service';

const LISTEN_BACKLOG = 4096;

async function main(): Promise<void> {
  loadDotEnv();
  const logger = new Logger('Switchboard');
  process.on('unhandledRejection', (reason) => logger.error({ msg: 'unhandled rejection', err: String(reason), stack: (reason as Error)?.stack }));

  let created: Awaited<ReturnType<typeof createApp>>;
  try {
    created = await createApp();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example and the configuration table in README.md.\n`);
      process.exit(1);
    }
    throw err;
  }
  const { app, config } = created;

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log({ msg: `${signal} received: closing sockets with 1001 and draining requests` });
    setTimeout(() => process.exit(1), config.shutdownTimeoutMs).unref();
    app.close().then(
      () => process.exit(0),
      (err) => {
        logger.error({ msg: 'shutdown failed', err: String(err) });
        process.exit(1);
      },
    );
  };
  // Only when started with --expose-gc (the benchmark does, to measure memory per connection).
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) process.on('SIGUSR2', () => gc());
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  // A deep accept queue (the kernel caps it at net.core.somaxconn): when a hall's displays all reconnect at once, connections
  // wait their turn instead of being dropped and retried by the clients' TCP after growing back-offs.
  // Nest hands every argument to http.Server#listen(port, host, backlog); its typings name only a callback.
  const listen = app.listen.bind(app) as unknown as (port: number, host: string, backlog: number) => Promise<unknown>;
  await listen(config.http.port, config.http.host, LISTEN_BACKLOG);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.http.port;
  const base = `http://${config.http.host === '0.0.0.0' ? 'localhost' : config.http.host}:${port}`;
  const gateways = app.get(RealtimeService).gatewayPaths();
  logger.log({
    msg: `Switchboard listening on ${base} (database: ${config.database.url ? 'PostgreSQL' : `embedded PGlite in ${config.database.dataDir}`})`,
    url: base,
    docs: `${base}/docs`,
    gateways: Object.fromEntries(gateways.map((g) => [g.name, g.path])),
  });
  logger.log({
    msg: `Log in: curl -s -X POST ${base}/api/auth/login -H 'Content-Type: application/json' -d '{"email":"${config.auth.adminEmail}","password":"<ADMIN_PASSWORD>"}'`,
  });
}

main().catch((err) => {
  process.stderr.write(`Switchboard failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
