import { applyDecorators, ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { Optional } from './optional';
import { Transform } from 'class-transformer';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { getMetadataStorage, IsInt, Max, Min, ValidateBy, ValidationOptions } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { badRequest } from './app-error';

/**
 * Input is checked against what the database can hold before a query runs:
 * an integer PostgreSQL cannot store or a date the calendar does not have is
 * the caller's mistake (400), not the server's (500).
 */
export const INT4_MAX = 2_147_483_647;
export const INT4_MIN = -2_147_483_648;

/** `:id` path parameters of integer-keyed tables: a whole number the column can hold. */
@Injectable()
export class ParseIdPipe implements PipeTransform<unknown, number> {
  transform(value: unknown, meta: ArgumentMetadata): number {
    const name = meta.data ?? 'id';
    // The global validation pipe may already have turned the text into a number.
    const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
    if (typeof text !== 'string' || !/^\d{1,10}$/.test(text) || Number(text) > INT4_MAX) {
      throw badRequest(`${name} must be a whole number from 0 to ${INT4_MAX}`, { errors: [`${name} must be a whole number from 0 to ${INT4_MAX}`] });
    }
    return Number(text);
  }
}

/** An integer id in a body or query: 1 … INT4_MAX. */
export const IsId = (options?: ValidationOptions) => applyDecorators(IsInt(options), Min(1, options), Max(INT4_MAX, options));

/** A query-string number: digits become a number, anything else is left for the validators to refuse. */
export const QueryNumber = () => Transform(({ value }) => (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value));

/** True for a real date written `YYYY-MM-DD` (no 2024-13-45, no 2023-02-29). */
export function isCalendarDay(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

export function IsCalendarDay(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isCalendarDay', validator: { validate: isCalendarDay, defaultMessage: (a) => `${a?.property} must be a real date written YYYY-MM-DD` } }, options);
}

const bounded = new WeakSet<ValidationMetadata>();
let seenTargets = -1;

/**
 * Gives every `@IsInt()` in the application that has no bound of its own the
 * range of a PostgreSQL integer, so no DTO (REST or socket) can carry an
 * integer the database would refuse with an error. Runs again only when new
 * DTO classes were loaded.
 */
export function boundIntegers(): void {
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<object, ValidationMetadata[]> };
  const all = storage.validationMetadatas;
  if (!(all instanceof Map) || all.size === seenTargets) return;
  seenTargets = all.size;
  for (const metas of [...all.values()]) {
    for (const m of [...metas]) {
      if (m.name !== 'isInt' || bounded.has(m)) continue;
      bounded.add(m);
      const onProperty = metas.filter((o) => o.propertyName === m.propertyName && o.groups?.join() === m.groups?.join());
      const options = { each: m.each, groups: m.groups, always: m.always };
      const proto = (m.target as { prototype: object }).prototype;
      if (!proto) continue;
      if (!onProperty.some((o) => o.type === 'max' || o.name === 'max')) Max(INT4_MAX, options)(proto, m.propertyName);
      if (!onProperty.some((o) => o.type === 'min' || o.name === 'min')) Min(INT4_MIN, options)(proto, m.propertyName);
    }
  }
  seenTargets = all.size;
}

/** `?date=YYYY-MM-DD`, optional. */
export class DayQuery {
  @ApiPropertyOptional({ example: '2024-01-15', description: 'YYYY-MM-DD; default today' })
  @Optional()
  @IsCalendarDay()
  date?: string;
}
