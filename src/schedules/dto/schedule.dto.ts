import { PageQuery, PageLimit } from '../../common/pagination';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { SCHEDULE_STATUSES, type ScheduleStatus } from '../entities/schedule.entity';
import { IsCalendarDate } from './calendar-date.validator';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value);

export class CreateScheduleDto {
  @ApiProperty({ example: 45 })
  @IsInt()
  @Min(1)
  employee_id: number;

  @ApiProperty({ example: 12 })
  @IsInt()
  @Min(1)
  shift_id: number;

  @ApiProperty({ example: '2024-01-20' })
  @IsCalendarDate()
  date: string;

  @ApiPropertyOptional({ enum: SCHEDULE_STATUSES, default: 'scheduled' })
  @IsOptional()
  @IsIn(SCHEDULE_STATUSES)
  status?: ScheduleStatus;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'Overtime approved' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(2000)
  notes?: string | null;

  @ApiPropertyOptional({ default: false, description: 'A draft: seen by managers only, announced and notified when its week is published' })
  @IsOptional()
  @IsBoolean()
  draft?: boolean;
}

export class UpdateScheduleDto extends PartialType(OmitType(CreateScheduleDto, ['draft'] as const)) {}

/** POST /api/schedules/publish: every draft dated from `from` to `to` (inclusive). */
export class PublishSchedulesDto {
  @ApiProperty({ example: '2024-01-15' })
  @IsCalendarDate()
  from: string;

  @ApiProperty({ example: '2024-01-21' })
  @IsCalendarDate()
  to: string;
}

export class PublishResultDto {
  @ApiProperty({ description: 'Schedules published' }) published: number;
  @ApiProperty({ type: [Number] }) schedule_ids: number[];
  @ApiProperty({ description: 'Employees notified (one summary each; employees without an account get none)' }) notified_employees: number;
}

export class ListSchedulesQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only this employee’s schedules' })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  employee_id?: number;

  @ApiPropertyOptional({ example: '2024-01-15', description: 'First date, inclusive' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ example: '2024-01-22', description: 'Last date, inclusive' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiPropertyOptional({ enum: SCHEDULE_STATUSES })
  @IsOptional()
  @IsIn(SCHEDULE_STATUSES)
  status?: ScheduleStatus;

  @ApiPropertyOptional({ default: 500, minimum: 1, maximum: 1000 })
  @PageLimit(1000)
  declare limit?: number;
}

/** POST /api/schedules/:id/decline */
export class DeclineScheduleDto {
  @ApiPropertyOptional({ example: 'Exam that morning', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class DeleteScheduleQuery {
  @ApiPropertyOptional({ example: 'Employee unavailable', description: 'Shown to the employee and in schedule/deleted' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class ScheduleEmployeeDto {
  @ApiProperty() id: number;
  @ApiProperty({ example: 'John Doe' }) name: string;
  @ApiProperty({ example: 'server', description: 'The job role' }) role: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) user_id: string | null;
}

export class ScheduleShiftDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ example: '09:00:00' }) start_time: string;
  @ApiProperty({ example: '17:00:00' }) end_time: string;
}

export class ScheduleDto {
  @ApiProperty() id: number;
  @ApiProperty() employee_id: number;
  @ApiProperty() shift_id: number;
  @ApiProperty({ example: '2024-01-20' }) date: string;
  @ApiProperty({ enum: SCHEDULE_STATUSES }) status: ScheduleStatus;
  @ApiProperty({ nullable: true, type: String }) notes: string | null;
  @ApiProperty({ description: 'False for a draft (managers only)' }) published: boolean;
  @ApiProperty({ type: ScheduleEmployeeDto }) employee: ScheduleEmployeeDto;
  @ApiProperty({ type: ScheduleShiftDto }) shift: ScheduleShiftDto;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}
