import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Min } from 'class-validator';
import { FormNumber, IsInstant } from './form-fields';

/** Paging of attendance lists; `limit` is capped by ATTENDANCE_MAX_PAGE_SIZE. */
export class PageQuery {
  @ApiPropertyOptional({ default: 100, minimum: 1 })
  @FormNumber()
  @IsOptional()
  @IsInt()
  @Min(1)
  limit?: number;

  @ApiPropertyOptional({ default: 0, minimum: 0 })
  @FormNumber()
  @IsOptional()
  @IsInt()
  @Min(0)
  offset?: number;
}

/** A page within a time range: from inclusive, to exclusive. */
export class RangeQuery extends PageQuery {
  @ApiPropertyOptional({ example: '2023-12-10T00:00:00Z', description: 'Inclusive' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ example: '2023-12-11T00:00:00Z', description: 'Exclusive' })
  @IsOptional()
  @IsInstant()
  to?: string;
}
