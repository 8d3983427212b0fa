import type { INestApplication } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { Server as HttpServer } from 'node:http';
import type { Observable } from 'rxjs';
import { connectionOf } from './connection';
import type { RealtimeGatewayOptions } from './gateway-runtime';
import { RealtimeService } from './realtime.service';

/**
 * The one Nest WebSocket adapter: every `@RealtimeGateway` is served on the
 * HTTP port through the realtime core, which does the routing, handshakes,
 * limits and ordered dispatch. Nest still owns the gateways: it calls
 * handleConnection/handleDisconnect and builds each handler with its guards,
 * pipes and filters.
 */
export class RealtimeAdapter extends WsAdapter {
  constructor(
    app: INestApplication,
    private readonly core: RealtimeService,
  ) {
    super(app);
  }

  override create(port: number, options?: Record<string, unknown>): unknown {
    if (port !== 0) throw new Error('Realtime gateways share the HTTP port; declare them without a port');
    const runtime = this.core.registerGateway(options as unknown as RealtimeGatewayOptions);
    this.core.listen(this.httpServer as HttpServer);
    return runtime.server;
  }

  override bindMessageHandlers(client: unknown, handlers: MessageMappingProperties[], _transform: (data: unknown) => Observable<unknown>): void {
    this.core.bind(connectionOf(client), handlers);
  }

  /**
   * Kept on the connection and called by the core on close: no once-wrapper and
   * listener list per socket. Nest binds it synchronously inside the 'connection'
   * event, so the socket cannot have closed yet.
   */
  override bindClientDisconnect(client: unknown, callback: (reason: unknown) => void): void {
    connectionOf(client).disconnected = callback;
  }

  override async close(_server: unknown): Promise<void> {
    await this.core.shutdown();
  }

  override async dispose(): Promise<void> {
    this.core.unlisten();
  }
}
