import { ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { AppError, ErrorCode } from './app-error';

export function describeValidationErrors(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => (prefix && m.startsWith(e.property) ? `${prefix}.${m}` : m));
    return [...own, ...describeValidationErrors(e.children ?? [], path)];
  });
}

/**
 * The one validation pipe: REST bodies, queries and params, and gateway
 * `@MessageBody()` DTOs. A failure is AppError VALIDATION_FAILED, which REST
 * answers with 400 and a gateway with its protocol's INVALID_MESSAGE frame.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    transform: true,
    forbidUnknownValues: false,
    exceptionFactory: (errors) => {
      const list = describeValidationErrors(errors);
      return new AppError(ErrorCode.VALIDATION_FAILED, `Invalid input: ${list.join('; ')}`, { errors: list });
    },
  });
}
