import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { redact, requestContext } from './logger';

const logger = new Logger('HTTP');

/** Gives every request an id (`X-Request-Id`, kept when the caller sends one) and logs it once done. */
export function requestLog(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', requestId);
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    requestContext.run({ requestId }, () =>
      logger.log({
        msg: 'request',
        method: req.method,
        url: redact(req.originalUrl ?? req.url),
        status: res.statusCode,
        duration_ms: Number(process.hrtime.bigint() - started) / 1e6,
        ip: req.ip,
      }),
    );
  });
  requestContext.run({ requestId }, next);
}
