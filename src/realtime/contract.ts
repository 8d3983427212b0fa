import type { TSchema } from '@sinclair/typebox';
import { CloseCode } from './codec';
import type { JsonSchema } from './dto-schema';
import type { OutboundFrames } from './frames';

/** One client → server message: its DTO (the validator and the schema's source) and what answers it. */
export interface InboundMessage {
  /** The class-validator DTO of its body; none for messages without one (`heartbeat`, `ping`). */
  dto?: abstract new (...args: never[]) => object;
  summary: string;
  /** Who may send it (default: any authenticated principal). */
  who?: string;
  /** Outbound frame types that answer it. */
  replies?: string[];
}

/** A query parameter of the handshake. */
export interface HandshakeParam {
  description: string;
  schema: JsonSchema;
  required?: boolean;
}

/**
 * Everything a client author needs about one gateway, declared beside it
 * (`<domain>.contract.ts`) from its frame schemas and DTOs; the AsyncAPI
 * document and /docs/ws are built from these and nothing else.
 */
export interface GatewayContract {
  name: string;
  title: string;
  /** Default path; a deployment may move it (WS_PATH_<NAME>). */
  path: string;
  description: string;
  auth: {
    /** Where the token may come from, in the order the server looks. */
    sources: Array<'header' | 'query' | 'in-band'>;
    required: boolean;
    who: string;
  };
  query?: Record<string, HandshakeParam>;
  pathParams?: Record<string, HandshakeParam>;
  outbound: OutboundFrames;
  /** The outbound frame type that carries errors. */
  errorFrame: string;
  inbound: Record<string, InboundMessage>;
  /** The whole inbound frame around a message body (the body schema is null for messages without one). */
  inboundFrame(name: string, body: JsonSchema | null): JsonSchema | TSchema;
  closeCodes: number[];
  heartbeat: string;
  limits: string[];
}

/** What each close code means, for every gateway that uses it. */
export const CLOSE_CODE_MEANINGS: Record<number, string> = {
  [CloseCode.NORMAL]: 'Normal closure (on /ws/schedules also: idle for SCHEDULES_IDLE_TIMEOUT_MS).',
  [CloseCode.GOING_AWAY]: 'The server is shutting down: reconnect (with backoff).',
  [CloseCode.TOO_LARGE]: 'A frame over WS_MAX_FRAME_BYTES.',
  1011: 'The server could not complete the handshake (an internal error): reconnect later.',
  [CloseCode.TRY_AGAIN_LATER]: 'Slow consumer: more than WS_MAX_BUFFERED_BYTES waited to be sent. Reconnect.',
  [CloseCode.BAD_HANDSHAKE]: 'Bad handshake (an unknown client_type).',
  [CloseCode.UNAUTHENTICATED]: 'Missing, malformed, expired or revoked token; a token that expired while connected; a disabled user or revoked device. Refresh the token, then reconnect.',
  [CloseCode.FORBIDDEN]: 'This principal may not use this gateway, client type or resource. Do not retry with the same token.',
  [CloseCode.NOT_FOUND]: 'Unknown resource (a dashboard session that does not exist). Do not retry.',
  [CloseCode.AUTH_TIMEOUT]: 'No AUTH within the authentication timeout.',
  [CloseCode.REPLACED]: 'A newer connection with the same client id took over. Do not reconnect automatically.',
  [CloseCode.RATE_LIMITED]: 'Messages at twice the rate limit, or too many connections from this address or for this user. Back off before reconnecting.',
};

/** Close codes every gateway may send. */
export const COMMON_CLOSE_CODES = [CloseCode.GOING_AWAY, CloseCode.TOO_LARGE, CloseCode.TRY_AGAIN_LATER, CloseCode.RATE_LIMITED];

export const COMMON_LIMITS = [
  'Frames are UTF-8 JSON text, one message per frame; a frame over WS_MAX_FRAME_BYTES (default 64 KiB) closes with 1009.',
  'An inbound frame nested deeper than WS_MAX_JSON_DEPTH (default 32) or with an array longer than WS_MAX_JSON_ARRAY_LENGTH (default 1000) is INVALID_MESSAGE.',
  'WS_MESSAGES_PER_MINUTE (default 100) messages a minute per socket: over it the message is dropped with a RATE_LIMITED error; at twice the limit the socket closes with 4429.',
  'WS_CONNECTIONS_PER_MINUTE_PER_IP (default 600) new sockets a minute per address and gateway; more are refused with an error frame and 4429.',
  'The server pings every WS_HEARTBEAT_MS (default 30 s); a peer that has not answered by the next ping is terminated. WebSocket libraries answer pings by themselves.',
  'The server may add fields to any frame; documented fields never change meaning or type. Ignore what you do not know.',
];
