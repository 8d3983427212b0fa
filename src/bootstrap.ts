import 'reflect-metadata';
import { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule, AppModuleOptions } from './app.module';
import { AppConfig, loadConfig } from './config/app-config';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { createValidationPipe } from './common/validation.pipe';
import { JsonLogger } from './common/logger';
import { requestLog } from './common/request-log.middleware';
import { RealtimeAdapter } from './realtime/adapter';
import { RealtimeService } from './realtime/realtime.service';

export interface CreateAppOptions extends AppModuleOptions {
  env?: NodeJS.ProcessEnv;
  logger?: LoggerService;
}

/** Builds the whole application (used by main.ts, the tests and the benchmark). */
export async function createApp(options: CreateAppOptions = {}): Promise<{ app: INestApplication; config: AppConfig }> {
  const config = loadConfig(options.env ?? process.env);
  const logger = options.logger ?? new JsonLogger(config.logLevel);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), { logger, bodyParser: false });
  app.set('trust proxy', config.http.trustProxy);
  app.disable('x-powered-by');
  // First, so requests whose body the parsers reject still get a request id and a log line.
  app.use(requestLog);
  app.useBodyParser('json', { limit: config.http.bodyLimit });
  app.useBodyParser('urlencoded', { limit: config.http.bodyLimit, extended: false });
  app.enableCors({ origin: config.http.allowedOrigins.length ? config.http.allowedOrigins : true, exposedHeaders: ['X-Request-Id', 'ETag'] });
  app.useGlobalFilters(new HttpExceptionFilter());
  app.useGlobalPipes(createValidationPipe());
  app.useWebSocketAdapter(new RealtimeAdapter(app, app.get(RealtimeService)));

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
