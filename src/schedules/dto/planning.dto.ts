import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Optional } from '../../common/optional';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsString, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { TIME_PATTERN } from '../../common/calendar';
import { OVERRIDABLE_RULES, type OverridableRule } from '../schedule-rules';
import { TIME_OFF_STATUSES, type TimeOffStatus } from '../entities/time-off.entity';
import { SHIFT_REQUEST_STATUSES, type ShiftRequestStatus } from '../entities/shift-request.entity';
import { IsCalendarDate } from './calendar-date.validator';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value);

/** PUT /api/schedules/rules: each field given replaces the rule; null switches it off. */
export class RulesDto {
  @ApiPropertyOptional({ nullable: true, type: Number, example: 11, description: 'Hours off between two shifts of one employee' })
  @Optional()
  @ValidateIf((_, v) => v !== null)
  @IsNumber()
  @Min(0)
  @Max(48)
  min_rest_hours?: number | null;

  @ApiPropertyOptional({ nullable: true, type: Number, example: 10, description: 'Hours of the shifts starting on one day' })
  @Optional()
  @ValidateIf((_, v) => v !== null)
  @IsNumber()
  @Min(1)
  @Max(24)
  max_hours_per_day?: number | null;

  @ApiPropertyOptional({ nullable: true, type: Number, example: 40, description: 'Hours of the shifts starting in one week, Monday to Sunday' })
  @Optional()
  @ValidateIf((_, v) => v !== null)
  @IsNumber()
  @Min(1)
  @Max(168)
  max_hours_per_week?: number | null;

  @ApiPropertyOptional({ enum: OVERRIDABLE_RULES, isArray: true, description: 'Rules a manager may break with override_reason (overlap never)' })
  @Optional()
  @IsArray()
  @IsIn(OVERRIDABLE_RULES, { each: true })
  overridable?: OverridableRule[];
}

export class RulesViewDto {
  @ApiProperty({ nullable: true, type: Number }) min_rest_hours: number | null;
  @ApiProperty({ nullable: true, type: Number }) max_hours_per_day: number | null;
  @ApiProperty({ nullable: true, type: Number }) max_hours_per_week: number | null;
  @ApiProperty({ enum: OVERRIDABLE_RULES, isArray: true }) overridable: OverridableRule[];
  /** The site time zone (SCHEDULES_TIME_ZONE) */
  time_zone: string;
}

export class AvailabilityWindowDto {
  /** 0 = Sunday … 6 = Saturday */
  @IsInt()
  @Min(0)
  @Max(6)
  weekday: number;

  /** @example "08:00" */
  @Matches(TIME_PATTERN, { message: 'start_time must be HH:MM or HH:MM:SS' })
  start_time: string;

  /** At or before the start: runs into the next day. @example "18:00" */
  @Matches(TIME_PATTERN, { message: 'end_time must be HH:MM or HH:MM:SS' })
  end_time: string;

  @ApiPropertyOptional({ default: false, description: 'Hours the employee would rather work' })
  @Optional()
  @IsBoolean()
  preferred?: boolean;
}

/** PUT /api/availability/:employee_id: the whole weekly pattern; an empty list means available any time. */
export class AvailabilityDto {
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AvailabilityWindowDto)
  windows: AvailabilityWindowDto[];
}

export class AvailabilityViewDto {
  employee_id: number;
  @ApiProperty({ type: [AvailabilityWindowDto] }) windows: AvailabilityWindowDto[];
}

export class CreateTimeOffDto {
  @ApiPropertyOptional({ description: 'Managers only: for this employee (an employee always asks for themselves)' })
  @Optional()
  @IsInt()
  @Min(1)
  employee_id?: number;

  /** First day off @example "2024-01-24" */
  @IsCalendarDate()
  from: string;

  /** Last day off, inclusive @example "2024-01-25" */
  @IsCalendarDate()
  to: string;

  @Optional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class ListTimeOffQuery {
  @Optional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  employee_id?: number;

  @Optional()
  @IsIn(TIME_OFF_STATUSES)
  status?: TimeOffStatus;
}

/** Approve, decline, cancel: an optional note kept with the decision. */
export class DecisionDto {
  @Optional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class TimeOffViewDto {
  id: number;
  employee_id: number;
  from: string;
  to: string;
  reason: string | null;
  @ApiProperty({ enum: TIME_OFF_STATUSES }) status: TimeOffStatus;
  @ApiProperty({ nullable: true, type: Object }) decided_by: { id: string | null; name: string } | null;
  decided_at: string | null;
  decision_note: string | null;
  created_at: string;
  /** On approval: shifts the employee already has in those days (they are not removed) */
  @ApiPropertyOptional({ type: [Number] }) conflicting_schedule_ids?: number[];
}

export class CreateOpenShiftDto {
  @IsInt()
  @Min(1)
  shift_id: number;

  @IsCalendarDate()
  date: string;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'Only employees with this job role may take it' })
  @Optional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(100)
  job_role?: string | null;

  @Optional()
  @IsString()
  @MaxLength(2000)
  notes?: string;

  @ApiPropertyOptional({ default: 1, maximum: 50, description: 'How many people the shift needs: one open shift each' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(50)
  count?: number;
}

export class ListOpenShiftsQuery {
  @Optional()
  @IsCalendarDate()
  from?: string;

  @Optional()
  @IsCalendarDate()
  to?: string;
}

export class OpenShiftViewDto {
  id: number;
  shift_id: number;
  date: string;
  @ApiProperty({ nullable: true, type: String }) job_role: string | null;
  notes: string | null;
  shift: { id: number; name: string; start_time: string; end_time: string };
  created_at: string;
}

/** POST /api/shift-requests: an employee offers one of their published shifts. */
export class OfferShiftDto {
  @ApiProperty({ enum: ['swap', 'drop'] })
  @IsIn(['swap', 'drop'])
  kind: 'swap' | 'drop';

  @IsInt()
  @Min(1)
  schedule_id: number;

  @ApiPropertyOptional({ description: 'swap: the colleague who takes it over; absent: any eligible colleague may offer to' })
  @Optional()
  @IsInt()
  @Min(1)
  target_employee_id?: number;

  @Optional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class ClaimDto {
  @Optional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class ApproveRequestDto extends DecisionDto {
  @ApiPropertyOptional({ description: 'Plan it even though it breaks overridable rules; recorded in the audit log' })
  @Optional()
  @IsString()
  @MaxLength(500)
  override_reason?: string;
}

export class ListShiftRequestsQuery {
  @Optional()
  @IsIn(SHIFT_REQUEST_STATUSES)
  status?: ShiftRequestStatus;
}

export class ShiftRequestViewDto {
  id: number;
  @ApiProperty({ enum: ['claim', 'swap', 'drop'] }) kind: string;
  @ApiProperty({ enum: SHIFT_REQUEST_STATUSES }) status: ShiftRequestStatus;
  employee_id: number;
  open_shift_id: number | null;
  schedule_id: number | null;
  target_employee_id: number | null;
  date: string;
  reason: string | null;
  @ApiProperty({ nullable: true, type: Object }) decided_by: { id: string | null; name: string } | null;
  decided_at: string | null;
  decision_note: string | null;
  created_at: string;
  /** approved claim or swap: the schedule the employee now works */
  @ApiPropertyOptional({ nullable: true, type: Number }) result_schedule_id?: number | null;
}

/** POST /api/schedules/auto-fill */
export class AutoFillDto {
  /** @example "2024-01-22" */
  @IsCalendarDate()
  from: string;

  /** Inclusive, at most 31 days after `from` @example "2024-01-28" */
  @IsCalendarDate()
  to: string;

  @ApiPropertyOptional({ default: false, description: 'Only propose: write nothing' })
  @Optional()
  @IsBoolean()
  dry_run?: boolean;
}

export class AutoFillAssignmentDto {
  open_shift_id: number;
  /** The draft created (null on a dry run) */
  @ApiProperty({ nullable: true, type: Number }) schedule_id: number | null;
  employee_id: number;
  employee_name: string;
  shift_id: number;
  date: string;
  reason: string;
}

export class AutoFillUnfilledDto {
  open_shift_id: number;
  shift_id: number;
  date: string;
  reason: string;
  @ApiProperty({ type: 'array', items: { type: 'object', properties: { rule: { type: 'string' }, employee_ids: { type: 'array', items: { type: 'integer' } } } } })
  blocked: Array<{ rule: string; employee_ids: number[] }>;
}

export class AutoFillResultDto {
  @ApiProperty({ type: [AutoFillAssignmentDto] }) assignments: AutoFillAssignmentDto[];
  @ApiProperty({ type: [AutoFillUnfilledDto] }) unfilled: AutoFillUnfilledDto[];
  @ApiProperty({ type: 'array', items: { type: 'object', properties: { employee_id: { type: 'integer' }, hours: { type: 'number' } } } })
  hours: Array<{ employee_id: number; hours: number }>;
}
