import { applyDecorators } from '@nestjs/common';
import { Optional } from './optional';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { INT4_MAX, QueryNumber } from './db-input';

/** How many items a list returns: 1 … the route's maximum (each service caps it to its own). */
export class LimitQuery {
  @ApiPropertyOptional({ minimum: 1, description: 'Page size; each list caps it to its own maximum' })
  @QueryNumber()
  @Optional()
  @IsInt()
  @Min(1)
  @Max(INT4_MAX)
  limit?: number;
}

/**
 * The one pagination query of every list route: `limit` and `offset`, whole
 * numbers the database can hold. A route extends it for its own filters.
 */
export class PageQuery extends LimitQuery {
  @ApiPropertyOptional({ default: 0, minimum: 0 })
  @QueryNumber()
  @Optional()
  @IsInt()
  @Min(0)
  @Max(INT4_MAX)
  offset?: number;
}

/**
 * A list's own page-size cap, on a subclass's `declare limit`. It repeats the
 * integer checks: class-validator drops a parent's validators of a property
 * the subclass validates again.
 */
export const PageLimit = (max: number) => applyDecorators(IsInt(), Min(1), Max(max));
