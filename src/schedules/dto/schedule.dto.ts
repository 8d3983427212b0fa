import { PageQuery, PageLimit } from '../../common/pagination';
import { Optional } from '../../common/optional';
import { ChangedSince, ChangePageWithDeletionsDto, ChangesCursor } from '../../common/changes';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsString, MaxLength, Min, ValidateIf } from 'class-validator';
import { SCHEDULE_STATUSES, type ScheduleStatus } from '../entities/schedule.entity';
import { IsCalendarDate } from './calendar-date.validator';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value);

export class CreateScheduleDto {
  /** @example 45 */
  @IsInt()
  @Min(1)
  employee_id: number;

  /** @example 12 */
  @IsInt()
  @Min(1)
  shift_id: number;

  /** @example "2024-01-20" */
  @IsCalendarDate()
  date: string;

  @ApiPropertyOptional({ enum: SCHEDULE_STATUSES, default: 'scheduled' })
  @Optional()
  @IsIn(SCHEDULE_STATUSES)
  status?: ScheduleStatus;

  /** @example "Overtime approved" */
  @Optional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(2000)
  notes?: string | null;

  @ApiPropertyOptional({ default: false, description: 'A draft: seen by managers only, announced and notified when its week is published' })
  @Optional()
  @IsBoolean()
  draft?: boolean;

  @ApiPropertyOptional({ description: 'Plan it even though it breaks overridable planning rules (rest, hours, availability…); kept in the audit log' })
  @Optional()
  @IsString()
  @MaxLength(500)
  override_reason?: string;
}

export class UpdateScheduleDto extends PartialType(OmitType(CreateScheduleDto, ['draft'] as const), { skipNullProperties: false }) {}

/** POST /api/schedules/publish: every draft dated from `from` to `to` (inclusive). */
export class PublishSchedulesDto {
  /** @example "2024-01-15" */
  @IsCalendarDate()
  from: string;

  /** @example "2024-01-21" */
  @IsCalendarDate()
  to: string;
}

export class PublishResultDto {
  /** Schedules published */
  published: number;
  schedule_ids: number[];
  @ApiProperty({ description: 'Employees notified (one summary each; employees without an account get none)' }) notified_employees: number;
}

export class ListSchedulesQuery extends PageQuery {
  /** Only this employee’s schedules */
  @Optional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  employee_id?: number;

  /**
   * First date, inclusive
   * @example "2024-01-15"
   */
  @Optional()
  @IsCalendarDate()
  from?: string;

  /**
   * Last date, inclusive
   * @example "2024-01-22"
   */
  @Optional()
  @IsCalendarDate()
  to?: string;

  @Optional()
  @IsIn(SCHEDULE_STATUSES)
  status?: ScheduleStatus;

  @ApiPropertyOptional({ default: 500, minimum: 1, maximum: 1000, description: 'Page size (a read of changes: default 100)' })
  @PageLimit(1000)
  declare limit?: number;

  @ChangedSince('schedules created, changed, deleted or moved to another employee')
  changed_since?: string;

  @ChangesCursor()
  cursor?: string;
}

/** POST /api/schedules/:id/decline */
export class DeclineScheduleDto {
  /** @example "Exam that morning" */
  @Optional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class DeleteScheduleQuery {
  /**
   * Shown to the employee and in schedule/deleted
   * @example "Employee unavailable"
   */
  @Optional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class ScheduleEmployeeDto {
  id: number;
  /** @example "John Doe" */
  name: string;
  /**
   * The job role
   * @example "server"
   */
  role: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) user_id: string | null;
}

export class ScheduleShiftDto {
  id: number;
  name: string;
  /** @example "09:00:00" */
  start_time: string;
  /** @example "17:00:00" */
  end_time: string;
}

export class ScheduleDto {
  id: number;
  employee_id: number;
  shift_id: number;
  /** @example "2024-01-20" */
  date: string;
  status: ScheduleStatus;
  notes: string | null;
  @ApiProperty({ description: 'False for a draft (managers only)' }) published: boolean;
  employee: ScheduleEmployeeDto;
  shift: ScheduleShiftDto;
  created_at: string;
  updated_at: string;
}

/** `GET /api/schedules?changed_since=`: what changed for the reader, oldest change first. */
export class ScheduleChangesDto extends ChangePageWithDeletionsDto {
  /** Created or changed at or after `changed_since`, as they are now */
  items: ScheduleDto[];
  @ApiProperty({ type: [Number], description: 'Schedules the reader no longer sees: deleted, or moved to another employee' }) deleted: number[];
}
