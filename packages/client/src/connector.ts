import { backoffDelay, BackoffOptions } from './backoff';
import { AUTH_CLOSE_CODES, ClientError, FATAL_CLOSE_CODES } from './errors';

/** The part of the WebSocket API the connector uses: the browser's global and the `ws` package both have it. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketFactory = new (url: string, protocols?: string | string[] | Record<string, unknown>, options?: Record<string, unknown>) => WebSocketLike;

/** An access token, or a function that returns a fresh one (called before every connect). */
export type TokenSource = string | (() => string | Promise<string>);

export interface ConnectorOptions {
  /** The server, `http(s)://host:port` or `ws(s)://host:port`. */
  url: string;
  token?: TokenSource;
  /**
   * `header` sends `Authorization: Bearer` (Node, with the `ws` package);
   * `query` puts `?token=` on the URL (browsers cannot set headers).
   * Default: header when the `ws` package is used, else query.
   */
  auth?: 'header' | 'query';
  /** Overrides the gateway's default path (a deployment may move it). */
  path?: string;
  /** Reconnect after a drop (default on); false to stay closed. */
  reconnect?: BackoffOptions | false;
  /** Application heartbeat every this many ms (default 25 000; 0: none). */
  heartbeatMs?: number;
  /** A heartbeat with no frame at all back within this long counts as a dead link (default 10 000). */
  heartbeatTimeoutMs?: number;
  /** The WebSocket implementation (default: the global one, else the `ws` package). */
  WebSocket?: WebSocketFactory;
  /**
   * Reliable delivery (default on): connect with `recover=1`, keep the last
   * position of every stream and present them on reconnect, so the server
   * replays what was missed. `false`: the seed protocol exactly.
   */
  recover?: boolean;
}

/** Where a stream stands after a (re)connect, from the server's `_stream` frame or a gap the client saw itself. */
export interface StreamStatus {
  stream: string;
  /** true: every missed frame was replayed; false: some are lost (rebuild from the snapshot / REST); undefined: first join. */
  recovered?: boolean;
  reason?: string;
  replayed?: number;
}

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** How a gateway differs: its path, how a frame is named, its heartbeat and its error frame. */
export interface GatewayProtocol<M> {
  path: string;
  /** The name `on()` uses for a frame (its `type`, `type/action`, `event`, or what a bare frame is). */
  kindOf(frame: Record<string, unknown>): keyof M & string;
  /** The application heartbeat and whether the server answers it. */
  heartbeat?: { message: () => unknown; answered: boolean };
  /** The error of an error frame, or null for other frames. */
  errorOf(frame: Record<string, unknown>): { code: string; message: string } | null;
  query?: Record<string, string | undefined>;
}

type Handler<T> = (value: T) => void;

/**
 * One gateway's socket that stays connected: it reconnects with exponential
 * backoff and jitter, asks the token source again before each attempt (so a
 * refreshed token is used after a 4401), sends the gateway's heartbeat and
 * treats a heartbeat left unanswered as a dead link. `M` maps each frame name
 * to its type (from the server's frame schemas); `In` is what may be sent.
 *
 * Resume: the connector keeps the last position (`_pos`) of each stream and
 * presents them on reconnect; the server replays what was missed before live
 * frames. `onRecovery` says, per stream, whether that was complete; on
 * `recovered: false` rebuild that state from the snapshot or REST. Duplicate
 * positions are dropped; a gap seen live is reported the same way.
 */
export class Connector<M extends Record<string, unknown>, In> {
  private ws: WebSocketLike | null = null;
  private readonly handlers = new Map<string, Set<Handler<never>>>();
  private readonly errorHandlers = new Set<Handler<ClientError>>();
  private readonly stateHandlers = new Set<Handler<ConnectionState>>();
  private readonly openHandlers = new Set<() => void>();
  private readonly recoveryHandlers = new Set<Handler<StreamStatus>>();
  /** Last position held per stream: [epoch, offset]. */
  private readonly positions = new Map<string, [string, number]>();
  private attempt = 0;
  private generation = 0;
  private stopped = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  private deadTimer: ReturnType<typeof setTimeout> | null = null;
  state: ConnectionState = 'connecting';

  constructor(
    private readonly protocol: GatewayProtocol<M>,
    private readonly options: ConnectorOptions,
  ) {
    void this.connect();
  }

  /** Calls `handler` with every frame of this type; returns a function that stops it. */
  on<K extends keyof M & string>(type: K, handler: (frame: M[K]) => void): () => void {
    let set = this.handlers.get(type);
    if (!set) this.handlers.set(type, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  /** Errors as values: error frames, closes, network trouble. */
  onError(handler: Handler<ClientError>): () => void {
    this.errorHandlers.add(handler);
    return () => this.errorHandlers.delete(handler);
  }

  /** Per stream, after each (re)connect: whether what was missed came back (see StreamStatus). */
  onRecovery(handler: Handler<StreamStatus>): () => void {
    this.recoveryHandlers.add(handler);
    return () => this.recoveryHandlers.delete(handler);
  }

  onState(handler: Handler<ConnectionState>): () => void {
    this.stateHandlers.add(handler);
    return () => this.stateHandlers.delete(handler);
  }

  /** Runs after every (re)connect: where a client registers or subscribes again. */
  onOpen(handler: () => void): () => void {
    this.openHandlers.add(handler);
    if (this.state === 'open') handler();
    return () => this.openHandlers.delete(handler);
  }

  /** Sends a message now; false when the socket is not open (nothing is queued). */
  send(message: In): boolean {
    if (!this.ws || this.ws.readyState !== 1) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  /**
   * Drops the current socket at once and connects again now, keeping the
   * stream positions (so what was missed is replayed). For a client that
   * knows better than a heartbeat: a browser's `offline`/`online` events.
   */
  reconnect(): void {
    if (this.stopped) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const ws = this.ws;
    this.ws = null;
    this.stopTimers();
    if (ws) {
      // Not waiting for a close handshake that a dead link never completes.
      ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
      try {
        ws.close(4000, 'reconnect');
      } catch {
        // already closed
      }
    }
    this.attempt = 0;
    this.setState('reconnecting');
    void this.connect();
  }

  /** Closes for good: no reconnect. */
  close(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.stopTimers();
    this.ws?.close(1000);
    this.setState('closed');
  }

  /** The URL and headers of the next attempt, with the positions to resume from. */
  protected async handshake(): Promise<{ url: string; headers: Record<string, string> }> {
    const base = new URL(this.options.url.replace(/^http/, 'ws'));
    const url = new URL((this.options.path ?? this.protocol.path).replace(/^\/?/, '/'), base);
    for (const [k, v] of Object.entries(this.protocol.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    if (this.options.recover !== false) {
      url.searchParams.set('recover', '1');
      if (this.positions.size) url.searchParams.set('since', JSON.stringify(Object.fromEntries(this.positions)));
    }
    const headers: Record<string, string> = {};
    const token = typeof this.options.token === 'function' ? await this.options.token() : this.options.token;
    if (token) {
      if (this.authMode() === 'header') headers.authorization = `Bearer ${token}`;
      else url.searchParams.set('token', token);
    }
    return { url: url.toString(), headers };
  }

  /** The WebSocket to use, and whether it is the `ws` package (which, unlike a browser's, can send headers). */
  private impl(): { factory: WebSocketFactory; headers: boolean } {
    if (this.options.WebSocket) return { factory: this.options.WebSocket, headers: this.options.auth === 'header' };
    const global = (globalThis as { WebSocket?: WebSocketFactory }).WebSocket;
    if (global) return { factory: global, headers: false };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return { factory: require('ws') as WebSocketFactory, headers: true };
  }

  private authMode(): 'header' | 'query' {
    return this.options.auth ?? (this.impl().headers ? 'header' : 'query');
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const generation = ++this.generation;
    let target: { url: string; headers: Record<string, string> };
    try {
      target = await this.handshake();
    } catch (err) {
      this.emitError({ kind: 'auth', message: `could not get a token: ${String((err as Error)?.message ?? err)}` });
      return this.retry();
    }
    // reconnect() may have started a newer attempt while this one waited for its token.
    if (this.stopped || generation !== this.generation) return;
    const { factory } = this.impl();
    const ws = Object.keys(target.headers).length ? new factory(target.url, undefined, { headers: target.headers }) : new factory(target.url);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.setState('open');
      this.startHeartbeat();
      for (const h of this.openHandlers) h();
    };
    ws.onmessage = (ev) => this.receive(ev.data);
    ws.onerror = (ev) => this.emitError({ kind: 'network', message: String((ev as { message?: string })?.message ?? 'socket error') });
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.stopTimers();
      if (this.stopped) return;
      const fatal = FATAL_CLOSE_CODES.has(ev.code) || this.options.reconnect === false;
      this.emitError({ kind: 'closed', code: ev.code, reason: ev.reason, willReconnect: !fatal });
      if (fatal) return this.setState('closed');
      // 4429: the server asked for less; start further along the backoff curve.
      if (ev.code === 4429) this.attempt = Math.max(this.attempt, 3);
      if (AUTH_CLOSE_CODES.has(ev.code) && typeof this.options.token !== 'function') {
        // A fixed token the server refused will be refused again.
        return this.setState('closed');
      }
      this.retry();
    };
  }

  private retry(): void {
    if (this.stopped) return;
    const backoff = this.options.reconnect === false ? null : (this.options.reconnect ?? {});
    if (!backoff || (backoff.maxAttempts !== undefined && this.attempt >= backoff.maxAttempts)) return this.setState('closed');
    this.setState('reconnecting');
    const delay = backoffDelay(this.attempt++, backoff);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private receive(data: unknown): void {
    this.alive();
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(typeof data === 'string' ? data : String(data));
    } catch {
      return this.emitError({ kind: 'network', message: 'the server sent a frame that is not JSON' });
    }
    if (!frame || typeof frame !== 'object') return;
    if (!this.positioned(frame)) return;
    const error = this.protocol.errorOf(frame);
    if (error) this.emitError({ kind: 'server', code: error.code, message: error.message, frame });
    const set = this.handlers.get(this.protocol.kindOf(frame));
    if (set) for (const h of set) (h as Handler<unknown>)(frame);
  }

  /** Tracks `_stream` and `_pos`; false for a frame not to hand on (a status, a duplicate). */
  private positioned(frame: Record<string, unknown>): boolean {
    const status = frame._stream as { s: string; e: string | null; o: number; recovered?: boolean; reason?: string; replayed?: number } | undefined;
    if (status) {
      this.positions.set(status.s, [status.e ?? '', status.o]);
      const info: StreamStatus = { stream: status.s, recovered: status.recovered, reason: status.reason, replayed: status.replayed };
      for (const h of this.recoveryHandlers) h(info);
      return false;
    }
    const pos = frame._pos as { s: string; e: string; o: number } | undefined;
    if (!pos) return true;
    const held = this.positions.get(pos.s);
    if (held && held[0] === pos.e && pos.o <= held[1]) return false;
    this.positions.set(pos.s, [pos.e, pos.o]);
    if (held && (held[0] === pos.e || held[0] === '') && pos.o !== held[1] + 1) {
      for (const h of this.recoveryHandlers) h({ stream: pos.s, recovered: false, reason: 'gap' });
    }
    return true;
  }

  private startHeartbeat(): void {
    const every = this.options.heartbeatMs ?? 25_000;
    const hb = this.protocol.heartbeat;
    if (!hb || every <= 0) return;
    this.heartbeatTimer = setInterval(() => {
      if (!this.ws || this.ws.readyState !== 1) return;
      this.ws.send(JSON.stringify(hb.message()));
      if (hb.answered && !this.deadTimer) {
        this.deadTimer = setTimeout(() => {
          this.emitError({ kind: 'network', message: 'heartbeat not answered: the link is dead' });
          // close() on a dead link may wait for a handshake that never comes; drop the socket instead.
          const ws = this.ws;
          const terminate = (ws as { terminate?: () => void } | null)?.terminate;
          if (terminate) terminate.call(ws);
          else ws?.close(4000, 'heartbeat timeout');
        }, this.options.heartbeatTimeoutMs ?? 10_000);
      }
    }, every);
  }

  private alive(): void {
    if (this.deadTimer) clearTimeout(this.deadTimer);
    this.deadTimer = null;
  }

  private stopTimers(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.alive();
    this.heartbeatTimer = null;
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    for (const h of this.stateHandlers) h(state);
  }

  private emitError(error: ClientError): void {
    for (const h of this.errorHandlers) h(error);
  }
}
