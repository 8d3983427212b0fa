/**
 * One Switchboard instance for the cluster tests: the whole app plus the
 * test gateway, listening on PORT, reporting readiness to its parent over
 * IPC. The tests start two of these on one PostgreSQL and one Redis and may
 * kill one with SIGKILL.
 */
import 'reflect-metadata';
import { createApp } from '../../src/bootstrap';
import { JsonLogger } from '../../src/common/logger';
import { ProbeModule } from '../fixtures/probe.gateway';

async function main(): Promise<void> {
  const { app, config } = await createApp({ modules: [ProbeModule], logger: new JsonLogger('warn', (l) => process.stderr.write(l + '\n')) });
  app.enableShutdownHooks();
  await app.listen(config.http.port, '127.0.0.1');
  const address = app.getHttpServer().address();
  process.send?.({ ready: true, port: address.port });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
