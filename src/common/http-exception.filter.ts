import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger, NotFoundException } from '@nestjs/common';
import type { Request, Response } from 'express';
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
    let allow: string[];
    if (exception instanceof AppError) return sendAppError(res, exception);
    if (exception instanceof NotFoundException && /^Cannot [A-Z]+ /.test(exception.message) && (allow = allowedMethods(host.switchToHttp().getRequest<Request>())).length) {
      // The path exists with other methods: 405 with Allow, not 404.
      status = HttpStatus.METHOD_NOT_ALLOWED;
      res.setHeader('Allow', allow.join(', '));
      body = { statusCode: status, error: 'METHOD_NOT_ALLOWED', message: `This route does not take ${host.switchToHttp().getRequest<Request>().method}; allowed: ${allow.join(', ')}` };
    } else if (exception instanceof HttpException) {
      status = exception.getStatus();
      const r = exception.getResponse();
      const raw = typeof r === 'object' && r !== null ? (r as Record<string, unknown>).message : r;
      const message = Array.isArray(raw) ? raw.join('; ') : String(raw ?? exception.message);
      body = { statusCode: status, error: STATUS_CODES[status] ?? `HTTP_${status}`, message };
      if (Array.isArray(raw)) body.details = { errors: raw };
    } else if (isBodyParserError(exception)) {
      status = exception.status;
      const message = (exception as { jsonLimit?: boolean }).jsonLimit
        ? `Request body refused: ${(exception as unknown as Error).message}`
        : status === 413
          ? 'Request body is too large'
          : 'Request body is not valid JSON';
      body = { statusCode: status, error: STATUS_CODES[status] ?? ErrorCode.VALIDATION_FAILED, message };
    } else if (isDataError(exception)) {
      // A value a validator let through but the database cannot store (the validators are the first line; this is the backstop).
      status = HttpStatus.BAD_REQUEST;
      body = { statusCode: status, error: ErrorCode.VALIDATION_FAILED, message: 'A value is out of range or not valid for its field' };
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

/** PostgreSQL's class 22 (data exception): out of range, bad date, bad text representation. */
export function isDataError(e: unknown): boolean {
  const code = (e as { driverError?: { code?: unknown }; code?: unknown } | null)?.driverError?.code ?? (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

interface RouteLayer {
  route?: { methods: Record<string, boolean> };
  match(path: string): boolean;
}

/**
 * The methods other routes serve on the request's path; empty when no route
 * has the path at all. Only asked for requests no route took (404s).
 */
function allowedMethods(req: Request): string[] {
  const stack = (req.app as unknown as { router?: { stack?: RouteLayer[] } })?.router?.stack;
  if (!Array.isArray(stack)) return [];
  const methods = new Set<string>();
  for (const layer of stack) {
    if (!layer.route) continue;
    try {
      if (!layer.match(req.path)) continue;
    } catch {
      continue;
    }
    for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== '_all') methods.add(m.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  // A route of this very method exists: a handler's own 404, not a wrong method.
  if (methods.has(req.method.toUpperCase())) return [];
  return [...methods].sort();
}
