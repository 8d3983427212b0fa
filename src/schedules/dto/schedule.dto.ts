import { PageQuery, PageLimit } from '../../common/pagination';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
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
}

export class UpdateScheduleDto extends PartialType(CreateScheduleDto) {}

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
  @ApiProperty({ type: ScheduleEmployeeDto }) employee: ScheduleEmployeeDto;
  @ApiProperty({ type: ScheduleShiftDto }) shift: ScheduleShiftDto;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}
