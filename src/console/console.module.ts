import { DynamicModule, Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ServeStaticModule } from '@nestjs/serve-static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/** Where `vite build` writes the console (console/dist), found from both src/console and dist/src/console. */
export function consoleAssetsDir(): string | null {
  const candidates = [join(__dirname, '..', '..', 'console', 'dist'), join(__dirname, '..', '..', '..', 'console', 'dist')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

export const CONSOLE_PATH = '/console';

/** Logs where the console is once the server listens (the port may be 0 until then). */
@Injectable()
class ConsoleAnnouncer implements OnApplicationBootstrap {
  private readonly logger = new Logger('Console');
  constructor(
    private readonly http: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const server = this.http.httpAdapter?.getHttpServer() as import('node:http').Server | undefined;
    server?.once('listening', () => {
      // PUBLIC_URL, or the real port (bootstrap updates publicUrl on the same event, registered earlier).
      const url = `${this.config.http.publicUrl}${CONSOLE_PATH}/`;
      this.logger.log({ msg: `Operations console: ${url}`, console: url });
    });
  }
}

/**
 * The operations console and device screens (console/, built by Vite), served
 * at /console by the service itself so they work on a closed network. Unknown
 * paths under /console get index.html: the app routes in the browser.
 */
@Module({})
export class ConsoleModule {
  static forRoot(): DynamicModule {
    const dir = consoleAssetsDir();
    if (!dir) {
      new Logger('Console').warn({ msg: 'console not built (console/dist/index.html missing): run `npm run build` to serve /console' });
      return { module: ConsoleModule };
    }
    return {
      module: ConsoleModule,
      imports: [
        ServeStaticModule.forRoot({
          rootPath: dir,
          serveRoot: CONSOLE_PATH,
          // A missing script or stylesheet is a 404, not the app's page (which a browser could not run as a script).
          exclude: new RegExp(`^${CONSOLE_PATH}/assets/`),
          // Hashed assets never change; index.html must be fetched again so a new build is picked up.
          serveStaticOptions: {
            index: false,
            setHeaders: (res: { setHeader(k: string, v: string): void }, path: string) =>
              res.setHeader('Cache-Control', path.includes(`${join('assets', '')}`) ? 'public, max-age=31536000, immutable' : 'no-cache'),
          },
        }),
      ],
      providers: [ConsoleAnnouncer],
    };
  }
}
