import { applyDecorators, CallHandler, ExecutionContext, Inject, Injectable, mixin, NestInterceptor, Type, UseInterceptors } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import type { Observable } from 'rxjs';
import { AppError, ErrorCode } from '../common/app-error';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { MediaConfig } from './media.config';

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

/**
 * Parses a multipart body with one optional file in `field`, held in memory up
 * to MEDIA_MAX_IMAGE_BYTES (read at start, so the cap is configurable, which a
 * static `FileInterceptor` option is not). Other parts become `req.body`
 * fields for the route's DTO. A JSON body passes through untouched, so the
 * same route takes either. Multer's errors become messages a person can act on.
 */
function imageUploadInterceptor(field: string): Type<NestInterceptor> {
  @Injectable()
  class ImageUploadInterceptor implements NestInterceptor {
    private readonly maxBytes: number;
    private readonly upload: Middleware;

    constructor(@Inject(APP_CONFIG) config: AppConfig) {
      this.maxBytes = MediaConfig.read(config).MEDIA_MAX_IMAGE_BYTES;
      this.upload = multer({
        storage: multer.memoryStorage(),
        limits: { fileSize: this.maxBytes, files: 1, fields: 30, fieldSize: 16 * 1024, parts: 32 },
      }).single(field);
    }

    async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      const http = ctx.switchToHttp();
      await new Promise<void>((resolve, reject) =>
        this.upload(http.getRequest<Request>(), http.getResponse<Response>(), (err?: unknown) => (err ? reject(this.explain(err)) : resolve())),
      );
      return next.handle();
    }

    private explain(err: unknown): Error {
      if (err instanceof AppError) return err;
      const e = err as { code?: string; message?: string; field?: string };
      switch (e.code) {
        case 'LIMIT_FILE_SIZE':
          return new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `The image is larger than the limit of ${this.maxBytes} bytes`, { max_bytes: this.maxBytes });
        case 'LIMIT_UNEXPECTED_FILE':
        case 'LIMIT_FILE_COUNT':
          return new AppError(ErrorCode.VALIDATION_FAILED, `Send one image, in the multipart field "${field}"${e.field && e.field !== field ? ` (got a file in "${e.field}")` : ''}`);
        case 'LIMIT_PART_COUNT':
        case 'LIMIT_FIELD_COUNT':
        case 'LIMIT_FIELD_KEY':
        case 'LIMIT_FIELD_VALUE':
          return new AppError(ErrorCode.VALIDATION_FAILED, `Multipart body refused: ${e.message ?? e.code}`);
      }
      if (typeof e.message === 'string' && /^Unsupported content type/i.test(e.message)) {
        return new AppError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Send multipart/form-data or JSON');
      }
      if (typeof e.message === 'string' && /multipart|boundary|unexpected end/i.test(e.message)) {
        return new AppError(ErrorCode.VALIDATION_FAILED, `Malformed multipart body: ${e.message}`);
      }
      return err instanceof Error ? err : new Error(String(err));
    }
  }
  return mixin(ImageUploadInterceptor);
}

/** The route accepts `multipart/form-data` with an image in `field` (see imageUploadInterceptor). */
export function ImageUpload(field = 'image') {
  return applyDecorators(UseInterceptors(imageUploadInterceptor(field)));
}
