import { HttpStatus } from '@nestjs/common';

/**
 * The one vocabulary of failures, for REST and sockets alike. Each transport
 * has one exhaustive mapping from it: HTTP (`httpErrorOf` below) and each
 * gateway codec's wire code. A new code fails to compile until every mapping
 * names it.
 */
export enum ErrorCode {
  /** The input is not acceptable (REST 400, sockets INVALID_MESSAGE). */
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  RATE_LIMITED = 'RATE_LIMITED',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  UNAVAILABLE = 'UNAVAILABLE',
  INTERNAL = 'INTERNAL',
  // Connection-level refusals of the realtime core.
  TOO_MANY_CONNECTIONS = 'TOO_MANY_CONNECTIONS',
  AUTH_TIMEOUT = 'AUTH_TIMEOUT',
  BAD_HANDSHAKE = 'BAD_HANDSHAKE',
  // Domain refusals the queue protocol names on its own.
  COUNTER_NOT_FOUND = 'COUNTER_NOT_FOUND',
  TICKET_NOT_FOUND = 'TICKET_NOT_FOUND',
  QUEUE_EMPTY = 'QUEUE_EMPTY',
  COUNTER_PAUSED = 'COUNTER_PAUSED',
  /** A schedules subscription asked for events the role may not see. */
  EVENTS_NOT_ALLOWED = 'EVENTS_NOT_ALLOWED',
}

/**
 * Every refusal the service raises: a code, a message for people, optional
 * details for programs, and, on sockets, the close code when the refusal
 * ends the connection.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly close?: number,
  ) {
    super(message);
  }
}

/** REST's view of a code: the status and the `error` name of the body. */
export interface HttpError {
  status: number;
  error: ErrorCode;
}

const http = (status: number, error: ErrorCode): HttpError => ({ status, error });

export function httpErrorOf(code: ErrorCode): HttpError {
  switch (code) {
    case ErrorCode.VALIDATION_FAILED:
    case ErrorCode.BAD_HANDSHAKE:
      return http(HttpStatus.BAD_REQUEST, ErrorCode.VALIDATION_FAILED);
    case ErrorCode.UNAUTHENTICATED:
    case ErrorCode.AUTH_TIMEOUT:
      return http(HttpStatus.UNAUTHORIZED, ErrorCode.UNAUTHENTICATED);
    case ErrorCode.FORBIDDEN:
    case ErrorCode.EVENTS_NOT_ALLOWED:
      return http(HttpStatus.FORBIDDEN, ErrorCode.FORBIDDEN);
    case ErrorCode.NOT_FOUND:
    case ErrorCode.COUNTER_NOT_FOUND:
    case ErrorCode.TICKET_NOT_FOUND:
      return http(HttpStatus.NOT_FOUND, ErrorCode.NOT_FOUND);
    case ErrorCode.CONFLICT:
    case ErrorCode.QUEUE_EMPTY:
    case ErrorCode.COUNTER_PAUSED:
      return http(HttpStatus.CONFLICT, ErrorCode.CONFLICT);
    case ErrorCode.RATE_LIMITED:
    case ErrorCode.TOO_MANY_CONNECTIONS:
      return http(HttpStatus.TOO_MANY_REQUESTS, ErrorCode.RATE_LIMITED);
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return http(HttpStatus.PAYLOAD_TOO_LARGE, code);
    case ErrorCode.UNSUPPORTED_MEDIA_TYPE:
      return http(HttpStatus.UNSUPPORTED_MEDIA_TYPE, code);
    case ErrorCode.UNAVAILABLE:
      return http(HttpStatus.SERVICE_UNAVAILABLE, code);
    case ErrorCode.INTERNAL:
      return http(HttpStatus.INTERNAL_SERVER_ERROR, code);
    default: {
      const unmapped: never = code;
      throw new Error(`unmapped error code ${String(unmapped)}`);
    }
  }
}

export const notFound = (what: string) => new AppError(ErrorCode.NOT_FOUND, `${what} not found`);
export const badRequest = (message: string, details?: Record<string, unknown>) => new AppError(ErrorCode.VALIDATION_FAILED, message, details);
export const conflict = (message: string, details?: Record<string, unknown>) => new AppError(ErrorCode.CONFLICT, message, details);
export const forbidden = (message = 'You may not do this') => new AppError(ErrorCode.FORBIDDEN, message);
