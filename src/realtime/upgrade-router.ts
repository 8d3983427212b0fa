import { Logger } from '@nestjs/common';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { AppConfig } from '../config/app-config';
import { compilePath, GatewayRuntime, RealtimeGatewayOptions } from './gateway-runtime';
import { RealtimeMetrics } from './realtime-metrics';

/** Called with each upgraded socket (positional: no object per socket). */
export type Opened = (gateway: GatewayRuntime, ws: WebSocket, req: IncomingMessage, ip: string, params: Record<string, string>, query: Record<string, string>) => void;

const NONE: Record<string, string> = Object.freeze({});

/**
 * HTTP upgrades on the service's port: finds the gateway by path, refuses
 * unknown paths, foreign origins and upgrades during shutdown with a plain
 * HTTP answer, and hands the rest, upgraded, to `opened`.
 */
export class UpgradeRouter {
  readonly gateways: GatewayRuntime[] = [];
  private httpServer: HttpServer | null = null;
  private readonly listener = (req: IncomingMessage, socket: Duplex, head: Buffer) => this.route(req, socket, head);

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: RealtimeMetrics,
    private readonly logger: Logger,
    private readonly closing: () => boolean,
    private readonly opened: Opened,
  ) {}

  register(options: RealtimeGatewayOptions): GatewayRuntime {
    if (!options?.name || !options.codec) throw new Error('Gateways must be declared with @RealtimeGateway({ name, path, codec, auth })');
    const path = this.config.ws.paths[options.name.toLowerCase()] ?? options.path;
    const existing = this.gateways.find((g) => g.name === options.name);
    if (existing) return existing;
    const { pattern, paramNames } = compilePath(path);
    const v = (name: string | undefined, fallback: number) => (name && this.config.vars[name] !== undefined ? Number(this.config.vars[name]) : fallback);
    const server = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: this.config.ws.maxFrameBytes,
      perMessageDeflate: this.config.ws.perMessageDeflate,
    });
    const runtime: GatewayRuntime = {
      name: options.name,
      path,
      pattern,
      paramNames,
      codec: options.codec,
      auth: options.auth,
      roles: options.roles ?? null,
      presence: options.presence ?? false,
      server,
      limits: {
        authTimeoutMs: v(options.authTimeoutVar, 10_000),
        connectionsPerMinutePerIp: v(options.connectionsPerMinutePerIpVar, this.config.ws.connectionsPerMinutePerIp),
        maxConnectionsPerUser: v(options.maxConnectionsPerUserVar, 0),
        messagesPerMinute: v(options.messagesPerMinuteVar, this.config.ws.messagesPerMinute),
        idleTimeoutMs: v(options.idleTimeoutVar, 0),
      },
    };
    this.gateways.push(runtime);
    this.logger.log({ msg: `gateway ${runtime.name} at ${path}`, gateway: runtime.name, path });
    return runtime;
  }

  listen(httpServer: HttpServer): void {
    if (this.httpServer) return;
    this.httpServer = httpServer;
    httpServer.on('upgrade', this.listener);
  }

  unlisten(): void {
    this.httpServer?.off('upgrade', this.listener);
    this.httpServer = null;
  }

  private route(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', destroySelf);
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    let match: RegExpExecArray | null = null;
    const gw = this.gateways.find((g) => (match = g.pattern.exec(pathname)) !== null);
    if (!gw || !match) return this.reject(socket, 404, 'Not Found', 'unknown', 'not_found');
    if (this.closing()) return this.reject(socket, 503, 'Service Unavailable', gw.name, 'shutting_down');
    const origin = req.headers.origin;
    const allowed = this.config.http.allowedOrigins;
    if (origin && allowed.length && !allowed.includes(origin)) return this.reject(socket, 403, 'Forbidden', gw.name, 'origin');
    // Most sockets have neither: they share one empty object.
    let params: Record<string, string> = NONE;
    if (gw.paramNames.length) {
      params = {};
      gw.paramNames.forEach((name, i) => (params[name] = safeDecode(match![i + 1])));
    }
    let query: Record<string, string> = NONE;
    if (q >= 0 && q < url.length - 1) {
      query = {};
      for (const [k, val] of new URLSearchParams(url.slice(q + 1))) if (!(k in query)) query[k] = val;
    }
    gw.server.handleUpgrade(req, socket, head, (ws) => {
      // ws has its own error listener on the socket from here on.
      socket.off('error', destroySelf);
      this.opened(gw, ws, req, this.clientIp(req), params, query);
    });
  }

  private reject(socket: Duplex, status: number, text: string, gateway: string, reason: string): void {
    this.metrics.refused.inc({ gateway, reason });
    if (!socket.writable) return void socket.destroy();
    socket.once('finish', () => socket.destroy());
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`);
  }

  private clientIp(req: IncomingMessage): string {
    if (this.config.http.trustProxy) {
      const fwd = req.headers['x-forwarded-for'];
      const first = (Array.isArray(fwd) ? fwd[0] : fwd)?.split(',')[0]?.trim();
      if (first) return first;
    }
    return (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
  }
}

function destroySelf(this: Duplex): void {
  this.destroy();
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
