import { applyDecorators, CallHandler, ExecutionContext, Inject, Injectable, mixin, NestInterceptor, Type, UseInterceptors } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import type { Observable } from 'rxjs';
import { AppError, ErrorCode } from './app-error';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { valueLimitProblem } from './json-limits';

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

export interface FileUploadOptions {
  /** The multipart field that carries the file. */
  field: string;
  /** The largest file accepted, in bytes: the route's own variable, read at start. */
  maxBytes: (config: AppConfig) => number;
  /** What the file is, for messages ("image", "sound"). */
  what: string;
}

/**
 * The one upload configuration of every multipart route: one optional file in
 * `field`, held in memory up to the route's own size variable (read at start,
 * which a static `FileInterceptor` option cannot), and the same limits on
 * fields, field size and parts everywhere (UPLOAD_MAX_*). Other parts become
 * `req.body` fields for the route's DTO, within the JSON shape limits. A JSON
 * body passes through untouched, so a route may take either. Every multer
 * error becomes a 400, 413 or 415 a person can act on.
 */
function fileUploadInterceptor({ field, maxBytes, what }: FileUploadOptions): Type<NestInterceptor> {
  @Injectable()
  class FileUploadInterceptor implements NestInterceptor {
    private readonly maxBytes: number;
    private readonly upload: Middleware;

    constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
      this.maxBytes = maxBytes(config);
      this.upload = multer({
        storage: multer.memoryStorage(),
        limits: {
          fileSize: this.maxBytes,
          files: 1,
          fields: config.uploads.maxFields,
          fieldSize: config.uploads.maxFieldBytes,
          fieldNameSize: 200,
          parts: config.uploads.maxFields + 1,
        },
      }).single(field);
    }

    async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      const http = ctx.switchToHttp();
      const req = http.getRequest<Request>();
      await new Promise<void>((resolve, reject) => this.upload(req, http.getResponse<Response>(), (err?: unknown) => (err ? reject(this.explain(err)) : resolve())));
      // Field names such as a[b][c] build nested objects; held to the limits of a JSON body.
      const problem = req.is('multipart/form-data') ? valueLimitProblem(req.body, this.config.json) : null;
      if (problem) throw new AppError(ErrorCode.VALIDATION_FAILED, `Multipart body refused: ${problem}`);
      return next.handle();
    }

    private explain(err: unknown): Error {
      if (err instanceof AppError) return err;
      const e = err as { code?: string; message?: string; field?: string };
      switch (e.code) {
        case 'LIMIT_FILE_SIZE':
          return new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `The ${what} is larger than the limit of ${this.maxBytes} bytes`, { max_bytes: this.maxBytes });
        case 'LIMIT_UNEXPECTED_FILE':
        case 'LIMIT_FILE_COUNT':
          return new AppError(ErrorCode.VALIDATION_FAILED, `Send one ${what}, in the multipart field "${field}"${e.field && e.field !== field ? ` (got a file in "${e.field}")` : ''}`);
        case 'LIMIT_FIELD_VALUE':
          return new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `Multipart field "${e.field ?? '?'}" is longer than ${this.config.uploads.maxFieldBytes} bytes`);
        case 'LIMIT_PART_COUNT':
        case 'LIMIT_FIELD_COUNT':
          return new AppError(ErrorCode.VALIDATION_FAILED, `Multipart body refused: more than ${this.config.uploads.maxFields} fields`);
        case 'LIMIT_FIELD_KEY':
          return new AppError(ErrorCode.VALIDATION_FAILED, `Multipart body refused: ${e.message ?? e.code}`);
      }
      // Any other refusal of multer's (a part without a field name, …) is the client's malformed body.
      if ((err as Error)?.name === 'MulterError') return new AppError(ErrorCode.VALIDATION_FAILED, `Multipart body refused: ${e.message ?? e.code}`);
      if (typeof e.message === 'string' && /^Unsupported content type/i.test(e.message)) {
        return new AppError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Send multipart/form-data or JSON');
      }
      if (typeof e.message === 'string' && /multipart|boundary|unexpected end|malformed|part/i.test(e.message)) {
        return new AppError(ErrorCode.VALIDATION_FAILED, `Malformed multipart body: ${e.message}`);
      }
      return err instanceof Error ? err : new Error(String(err));
    }
  }
  return mixin(FileUploadInterceptor);
}

/** The route accepts `multipart/form-data` with one file (see fileUploadInterceptor). */
export function FileUpload(options: FileUploadOptions) {
  return applyDecorators(UseInterceptors(fileUploadInterceptor(options)));
}
