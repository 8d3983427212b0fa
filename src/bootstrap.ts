import 'reflect-metadata';
import { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule, AppModuleOptions } from './app.module';
import { AppConfig, loadConfig, publicUrlFor } from './config/app-config';
import { resolveJwtSecret } from './config/jwt-secret';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { createValidationPipe } from './common/validation.pipe';
import { JsonLogger } from './common/logger';
import { requestLog } from './common/request-log.middleware';
import { verifyJsonLimits } from './common/json-limits';
import { securityHeaders } from './common/security-headers';
import { RealtimeAdapter } from './realtime/adapter';
import { RealtimeService } from './realtime/realtime.service';

export interface CreateAppOptions extends AppModuleOptions {
  env?: NodeJS.ProcessEnv;
  logger?: LoggerService;
}

/** Builds the whole application (used by main.ts, the tests and the benchmark). */
export async function createApp(options: CreateAppOptions = {}): Promise<{ app: INestApplication; config: AppConfig }> {
  const loaded = loadConfig(options.env ?? process.env);
  const logger = options.logger ?? new JsonLogger(loaded.logLevel);
  const config = resolveJwtSecret(loaded, logger);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), { logger, bodyParser: false });
  app.set('trust proxy', config.http.trustProxy);
  app.disable('x-powered-by');
  // First, so requests whose body the parsers reject still get a request id and a log line.
  app.use(requestLog);
  app.use(securityHeaders());
  // The shape of the raw body is checked before it is parsed (see json-limits.ts).
  const jsonOptions = { limit: config.http.bodyLimit, verify: verifyJsonLimits(config.json) };
  app.useBodyParser('json', jsonOptions);
  app.useBodyParser('urlencoded', { limit: config.http.bodyLimit, extended: false });
  app.enableCors({ origin: config.http.allowedOrigins.length ? config.http.allowedOrigins : true, exposedHeaders: ['X-Request-Id', 'ETag'] });
  app.useGlobalFilters(new HttpExceptionFilter());
  app.useGlobalPipes(createValidationPipe());
  app.useWebSocketAdapter(new RealtimeAdapter(app, app.get(RealtimeService)));
  followListeningPort(app, config);

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Switchboard')
      .setDescription('REST API of Switchboard. The WebSocket gateways are described by the AsyncAPI 3.0 document at /asyncapi.json (readable at /docs/ws) and in docs/protocols/.')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return { app, config };
}

/** With PUBLIC_URL unset, URLs in frames and responses name the port the server really listens on (PORT=0 included). */
function followListeningPort(app: INestApplication, config: AppConfig): void {
  if (!config.http.publicUrlFromPort) return;
  const server = app.getHttpServer() as import('node:http').Server;
  server.on('listening', () => {
    const address = server.address();
    if (address && typeof address === 'object') config.http.publicUrl = publicUrlFor(address.address === '::' || address.address === '0.0.0.0' ? config.http.host : address.address, address.port);
  });
}
