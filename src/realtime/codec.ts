/**
 * A gateway's wire protocol: how an inbound frame names its message, and what
 * the protocol's error frame looks like. Server events are shaped by the
 * gateway itself and encoded once per broadcast by the core.
 */
export interface Codec {
  /**
   * Turns a parsed JSON object into the `@SubscribeMessage` key and the body
   * handed to `@MessageBody()`; null when the frame names no message.
   */
  decode(frame: Record<string, unknown>): DecodedMessage | null;
  /**
   * The protocol's error frame for a core or domain error code. `now` is the
   * app's injected clock (epoch ms), so error timestamps agree with the rest.
   */
  error(code: string, message: string, details: Record<string, unknown> | undefined, now: number): object;
}

export interface DecodedMessage {
  event: string;
  data: unknown;
}

/** Errors the core raises; each codec maps them to its own wire codes. */
export enum CoreErrorCode {
  INVALID_MESSAGE = 'INVALID_MESSAGE',
  RATE_LIMITED = 'RATE_LIMITED',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  TOO_MANY_CONNECTIONS = 'TOO_MANY_CONNECTIONS',
  AUTH_TIMEOUT = 'AUTH_TIMEOUT',
  NOT_FOUND = 'NOT_FOUND',
  BAD_HANDSHAKE = 'BAD_HANDSHAKE',
  INTERNAL = 'INTERNAL',
}

/** Close codes of the contract (PROTOCOLS.md §3). */
export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  TOO_LARGE: 1009,
  TRY_AGAIN_LATER: 1013,
  BAD_HANDSHAKE: 4400,
  UNAUTHENTICATED: 4401,
  FORBIDDEN: 4403,
  NOT_FOUND: 4404,
  AUTH_TIMEOUT: 4408,
  REPLACED: 4409,
  RATE_LIMITED: 4429,
} as const;

/**
 * Thrown by handlers, guards and pipes; the gateway's exception filter turns
 * it into the protocol's error frame, and closes the socket when `close` is set.
 */
export class RealtimeException extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly close?: number,
  ) {
    super(message);
  }
}
