import type { WebSocketServer } from 'ws';
import type { Audience } from '../auth/principal';
import type { Codec } from './codec';

export type GatewayAuth = 'required' | 'optional' | 'in-band';

/** What `@RealtimeGateway` declares. Limits name config variables, so they stay configurable. */
export interface RealtimeGatewayOptions {
  /** Short name; the path can be changed with WS_PATH_<NAME>. */
  name: string;
  /** Default path; `:param` segments are allowed (`/ws/dashboard/:sessionId`). */
  path: string;
  codec: Codec;
  /**
   * required: a token at upgrade or the socket is refused (error frame, 4401).
   * optional: a token is checked when given; without one the principal is null.
   * in-band: like optional, but the gateway authenticates later (queue `AUTH`)
   * within `authTimeoutVar` milliseconds or the socket closes with 4408.
   */
  auth: GatewayAuth;
  /** Who may connect at all (others: error frame, 4403). */
  roles?: readonly Audience[];
  authTimeoutVar?: string;
  /** Overrides WS_CONNECTIONS_PER_MINUTE_PER_IP for this gateway. */
  connectionsPerMinutePerIpVar?: string;
  /** Open sockets one user may hold on this gateway. */
  maxConnectionsPerUserVar?: string;
  /** Overrides WS_MESSAGES_PER_MINUTE for this gateway. */
  messagesPerMinuteVar?: string;
  /** Close a socket that shows no sign of life (message or pong) for this long. */
  idleTimeoutVar?: string;
  /**
   * Track users' sockets cluster-wide and report (RealtimeService.onPresence)
   * when a user's first socket on this gateway opens anywhere (online) or the
   * last one closes (offline), including sockets lost with a dead instance.
   */
  presence?: boolean;
}

/** A registered gateway with its resolved path and limits. */
export interface GatewayRuntime {
  readonly name: string;
  readonly path: string;
  readonly pattern: RegExp;
  readonly paramNames: readonly string[];
  readonly codec: Codec;
  readonly auth: GatewayAuth;
  readonly roles: readonly Audience[] | null;
  readonly presence: boolean;
  readonly server: WebSocketServer;
  readonly limits: {
    authTimeoutMs: number;
    connectionsPerMinutePerIp: number;
    maxConnectionsPerUser: number;
    messagesPerMinute: number;
    idleTimeoutMs: number;
  };
}

/** `/ws/dashboard/:sessionId` → a regex and the parameter names. */
export function compilePath(path: string): { pattern: RegExp; paramNames: string[] } {
  const paramNames: string[] = [];
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const source = trimmed
    .split('/')
    .map((seg) => {
      if (seg.startsWith(':')) {
        paramNames.push(seg.slice(1));
        return '([^/]+)';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { pattern: new RegExp(`^${source}/?$`), paramNames };
}
