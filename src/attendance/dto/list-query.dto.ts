import { ApiPropertyOptional } from '@nestjs/swagger';
import { Optional } from '../../common/optional';
import { PageQuery } from '../../common/pagination';
import { IsInstant } from './form-fields';

/** Paging of attendance lists; `limit` is capped by ATTENDANCE_MAX_PAGE_SIZE. */
export { PageQuery };

/** A page within a time range: from inclusive, to exclusive. */
export class RangeQuery extends PageQuery {
  @ApiPropertyOptional({ example: '2023-12-10T00:00:00Z', description: 'Inclusive' })
  @Optional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ example: '2023-12-11T00:00:00Z', description: 'Exclusive' })
  @Optional()
  @IsInstant()
  to?: string;
}
