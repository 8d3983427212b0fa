import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { AppError, ErrorCode, httpErrorOf } from './app-error';
import { isDatabaseUnavailable } from './database-unavailable';

/** Nest's and body-parser's own errors carry only a status; their codes for the REST body. */
const STATUS_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.VALIDATION_FAILED,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  409: ErrorCode.CONFLICT,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  429: ErrorCode.RATE_LIMITED,
  503: ErrorCode.UNAVAILABLE,
};

/**
 * The one place REST errors become responses:
 * `{statusCode, error: <code>, message, details?}`.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    let status: number;
    let body: Record<string, unknown>;
    if (exception instanceof AppError) return sendAppError(res, exception);
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      const r = exception.getResponse();
      const raw = typeof r === 'object' && r !== null ? (r as Record<string, unknown>).message : r;
      const message = Array.isArray(raw) ? raw.join('; ') : String(raw ?? exception.message);
      body = { statusCode: status, error: STATUS_CODES[status] ?? `HTTP_${status}`, message };
      if (Array.isArray(raw)) body.details = { errors: raw };
    } else if (isBodyParserError(exception)) {
      status = exception.status;
      body = { statusCode: status, error: STATUS_CODES[status] ?? ErrorCode.VALIDATION_FAILED, message: status === 413 ? 'Request body is too large' : 'Request body is not valid JSON' };
    } else if (isDatabaseUnavailable(exception)) {
      status = HttpStatus.SERVICE_UNAVAILABLE;
      this.logger.warn(`database unavailable: ${exception instanceof Error ? exception.message : String(exception)}`);
      res.setHeader('Retry-After', '1');
      body = { statusCode: status, error: ErrorCode.UNAVAILABLE, message: 'The database is unavailable; try again shortly' };
    } else {
      status = HttpStatus.INTERNAL_SERVER_ERROR;
      this.logger.error(exception instanceof Error ? exception : String(exception));
      body = { statusCode: status, error: ErrorCode.INTERNAL, message: 'Internal server error' };
    }
    res.status(status).json(body);
  }
}

/** An AppError as REST answers it: `{statusCode, error, message, details?}`, Retry-After when rate limited. */
export function sendAppError(res: Response, err: AppError): void {
  const { status, error } = httpErrorOf(err.code);
  if (error === ErrorCode.RATE_LIMITED && typeof err.details?.retry_after_ms === 'number') {
    res.setHeader('Retry-After', String(Math.ceil(err.details.retry_after_ms / 1000)));
  }
  res.status(status).json({ statusCode: status, error, message: err.message, ...(err.details ? { details: err.details } : {}) });
}

function isBodyParserError(e: unknown): e is { status: number; type: string } {
  return typeof e === 'object' && e !== null && typeof (e as { status?: unknown }).status === 'number' && typeof (e as { type?: unknown }).type === 'string';
}
