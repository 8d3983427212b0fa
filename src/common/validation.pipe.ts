import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage, type ValidationError } from 'class-validator';
import { AppError, ErrorCode } from './app-error';
import { boundIntegers } from './db-input';
import { fastValidate } from './validation-fast-path';
import { cacheValidationMetadata } from './validation-metadata-cache';

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
  boundIntegers();
  cacheValidationMetadata();
  return new AppValidationPipe({
    whitelist: true,
    transform: true,
    forbidUnknownValues: false,
    exceptionFactory: (errors) => {
      const list = describeValidationErrors(errors);
      return new AppError(ErrorCode.VALIDATION_FAILED, `Invalid input: ${list.join('; ')}`, { errors: list });
    },
  });
}

/**
 * A query key given twice (`?offset=1&offset=2`) arrives as an array; where the
 * route expects one value that is refused rather than one of them picked.
 */
class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    boundIntegers();
    if (metadata.type === 'query') {
      if (metadata.data && Array.isArray(value)) throw repeated([metadata.data]);
      if (!metadata.data && value && typeof value === 'object') {
        const lists = listProperties(metadata.metatype);
        const bad = Object.entries(value)
          .filter(([k, v]) => Array.isArray(v) && !lists.has(k))
          .map(([k]) => k);
        if (bad.length) throw repeated(bad);
      }
    }
    // A valid flat object takes the shortcut; anything else (and every failure) takes class-validator's full path.
    if (metadata.metatype && this.toValidate(metadata)) {
      const entity = fastValidate(metadata.metatype, value);
      if (entity) return entity;
    }
    return super.transform(value, metadata);
  }
}

function repeated(keys: string[]): AppError {
  const errors = keys.map((k) => `${k} must be given once`);
  return new AppError(ErrorCode.VALIDATION_FAILED, `Invalid input: ${errors.join('; ')}`, { errors });
}

/** Properties of a query DTO declared as lists (`@IsArray()` or a validator with `each`). */
function listProperties(metatype: unknown): Set<string> {
  const out = new Set<string>();
  if (typeof metatype !== 'function') return out;
  for (const m of getMetadataStorage().getTargetValidationMetadatas(metatype, '', true, false)) {
    if (m.each || m.name === 'isArray' || m.type === 'isArray') out.add(m.propertyName);
  }
  return out;
}
