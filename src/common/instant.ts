import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsISO8601, Matches } from 'class-validator';

/** A date-time with its offset; year 0000 does not exist for the database. */
export const INSTANT = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * An ISO 8601 instant with its offset (`Z` or `+07:00`): without one the
 * server would have to guess the sender's zone. An empty field counts as
 * absent, so an HTML form's blank input is not a bad value.
 */
export const IsInstant = () =>
  applyDecorators(
    Transform(({ value }) => (typeof value === 'string' && value.trim() === '' ? undefined : value)),
    IsISO8601({ strict: true }, { message: '$property must be an ISO 8601 date-time' }),
    Matches(INSTANT, { message: '$property must be an ISO 8601 date-time with a time zone offset, e.g. 2023-12-10T08:00:00Z' }),
  );
