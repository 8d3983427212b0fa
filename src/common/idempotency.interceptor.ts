import { applyDecorators, CallHandler, ExecutionContext, Injectable, NestInterceptor, UseInterceptors } from '@nestjs/common';
import { ApiConflictResponse, ApiHeader } from '@nestjs/swagger';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { from, mergeMap, Observable, of, catchError } from 'rxjs';
import type { Principal } from '../auth/principal';
import { AppError, badRequest } from './app-error';
import { IdempotencyService, IN_PROGRESS } from './idempotency.service';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** Set on a response that repeats the first one instead of acting again. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/** Visible ASCII, as a UUID or any client-made token is. */
const KEY = /^[\x21-\x7e]{1,200}$/;

type UploadRequest = Request & { principal?: Principal | null; file?: { buffer: Buffer }; files?: Array<{ buffer: Buffer }> };

/**
 * The Idempotency-Key header on a route that creates something. Without the
 * header nothing changes. With it, the first request runs and its status and
 * body are stored; a retry with the same key (same principal, within
 * IDEMPOTENCY_TTL_SECONDS) gets them back without acting again, marked
 * `Idempotent-Replayed: true`. The same key for a different request (another
 * route, body or file) is 409 `key_reused`; a retry while the first still runs
 * is 409 `in_progress` with Retry-After. A request that fails frees its key.
 *
 * Multipart routes: declare `@Idempotent()` above the upload decorator, so the
 * file is read before the request is hashed.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly keys: IdempotencyService) {}

  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = ctx.switchToHttp().getRequest<UploadRequest>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const raw = req.headers['idempotency-key'];
    if (raw === undefined || !req.principal) return next.handle();
    if (typeof raw !== 'string' || !KEY.test(raw)) throw badRequest(`${IDEMPOTENCY_HEADER} must be 1 to 200 visible ASCII characters (a UUID is a good choice), sent once`);
    const owner = this.keys.ownerOf(req.principal);
    const key = `http:${raw}`;
    const files = [...(req.file ? [req.file] : []), ...(req.files ?? [])].map((f) => createHash('sha256').update(f.buffer).digest('hex'));
    const fingerprint = this.keys.fingerprint(req.method, req.originalUrl.split('?')[0], req.body ?? null, files);
    let first;
    try {
      first = await this.keys.begin(owner, key, fingerprint);
    } catch (err) {
      if (err instanceof AppError && err.details?.reason === IN_PROGRESS) res.setHeader('Retry-After', '1');
      throw err;
    }
    if (first) {
      res.status(first.status ?? res.statusCode);
      res.setHeader(REPLAYED_HEADER, 'true');
      return of(first.result);
    }
    return next.handle().pipe(
      mergeMap((body) => from(this.keys.finish(owner, key, res.statusCode, body).then(() => body))),
      catchError((err: unknown) =>
        from(
          this.keys.abandon(owner, key).then(() => {
            throw err;
          }),
        ),
      ),
    );
  }
}

/** Marks a creating route as accepting Idempotency-Key (see IdempotencyInterceptor). */
export function Idempotent() {
  return applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: IDEMPOTENCY_HEADER,
      required: false,
      description:
        'Any unique string per request (a UUID): a retry with the same key within IDEMPOTENCY_TTL_SECONDS returns the first response (with `Idempotent-Replayed: true`) instead of acting again',
    }),
    ApiConflictResponse({ description: 'Idempotency-Key reused for a different request (`details.reason: key_reused`), or the first request with it is still running (`in_progress`, Retry-After)' }),
  );
}
