import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Optional } from '../../common/optional';
import { IsIn, Matches } from 'class-validator';

export const REPORT_GROUPS = ['service', 'counter', 'officer'] as const;
export type ReportGroup = (typeof REPORT_GROUPS)[number];

export class ReportQuery {
  @ApiProperty({ description: 'First local day (YYYY-MM-DD in QUEUE_TIMEZONE), inclusive' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  from: string;

  @ApiProperty({ description: 'Last local day, inclusive (at most 366 days after from)' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  to: string;

  @ApiPropertyOptional({ enum: REPORT_GROUPS, default: 'service' })
  @Optional()
  @IsIn(REPORT_GROUPS)
  group_by?: ReportGroup;

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @Optional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

/** The figures of one service, counter or officer over the range. Times are in seconds. */
export class ReportRowDto {
  /** Procedure name, counter id, or the officer’s display name */
  key: string;
  /** Counter or procedure name; the officer’s name */
  name: string;
  @ApiProperty({ description: 'Tickets issued (a transfer does not count twice)' }) issued: number;
  /** Tickets completed */
  served: number;
  @ApiProperty({ description: 'Tickets skipped (no-show or withdrawn)' }) no_shows: number;
  avg_wait_s: number | null;
  p90_wait_s: number | null;
  max_wait_s: number | null;
  avg_service_s: number | null;
  p90_service_s: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Share (0–1) of called tickets called within QUEUE_TARGET_WAIT_MINUTES' }) within_target: number | null;
}

export class ReportDto {
  from: string;
  to: string;
  @ApiProperty({ enum: REPORT_GROUPS }) group_by: ReportGroup;
  /** The wait target of within_target, in minutes */
  target_wait_minutes: number;
  rows: ReportRowDto[];
}
