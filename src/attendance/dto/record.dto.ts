import { IsCalendarDay } from '../../common/db-input';
import { Optional } from '../../common/optional';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNumber, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { isValidTimezone } from '../../config/app-config';
import { ValidateBy } from 'class-validator';
import { FormNumber, FormString, IsInstant } from './form-fields';
import { RangeQuery } from './list-query.dto';
import { ChangedSince, ChangePageWithDeletionsDto, ChangesCursor } from '../../common/changes';

export class CreateRecordDto {
  @ApiProperty({ example: 1 })
  @FormNumber()
  @IsInt()
  @Min(1)
  employee_id: number;

  @ApiPropertyOptional({ example: '123ABC', description: "The camera's id for itself; default: the posting camera device's id (required from a user)" })
  @FormString()
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  device_id?: string;

  @ApiPropertyOptional({ example: '2023-12-10T08:00:00Z', description: 'When the employee was recognised; default: now' })
  @Optional()
  @IsInstant()
  datetime?: string;

  @ApiProperty({ example: 95, minimum: 0, maximum: 100, description: 'Match score, in percent' })
  @FormNumber()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  score: number;

  @ApiPropertyOptional({ example: '123ABC-000871', description: 'The camera’s id for this sighting: a retry with the same id returns the first record' })
  @FormString()
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  event_id?: string;

  @ApiPropertyOptional({ type: 'string', format: 'binary', description: 'The captured face: JPEG, PNG, WebP or GIF' })
  image?: unknown;
}

export class ListRecordsQuery extends RangeQuery {
  @ApiPropertyOptional({ example: 1 })
  @FormNumber()
  @Optional()
  @IsInt()
  @Min(1)
  employee_id?: number;

  @ChangedSince('records added or deleted')
  since?: string;

  @ChangesCursor()
  cursor?: string;
}

/** An attendance record: the `employee_attendance` frame's fields plus its id. */
export class RecordDto {
  @ApiProperty({ example: 12 }) id: number;
  @ApiProperty({ example: 1 }) employee_id: number;
  @ApiProperty({ example: '123ABC' }) device_id: string;
  @ApiProperty({ nullable: true, type: String, description: 'Absolute URL of the captured face' }) image: string | null;
  @ApiProperty({ example: '2023-12-10T08:00:00.000Z' }) datetime: string;
  @ApiProperty({ example: 95 }) score: number;
}

export class CreatedRecordDto extends RecordDto {
  @ApiProperty({ nullable: true, type: String }) event_id: string | null;
  @ApiProperty({ description: 'True (HTTP 200) when this answers a retry of an event id, or a sighting within the cool-down: the first record, nothing new stored or sent' })
  duplicate: boolean;
}

export class SummaryQuery {
  @ApiPropertyOptional({ example: '2023-12-01', description: 'With `to`: the shift report from this day (schedules’ dates, inclusive)' })
  @Optional()
  @IsCalendarDay()
  from?: string;

  @ApiPropertyOptional({ example: '2023-12-31', description: 'With `from`: the last day of the shift report (inclusive)' })
  @Optional()
  @IsCalendarDay()
  to?: string;

  @ApiPropertyOptional({ example: '2023-12-10', description: 'Calendar day; default: today in the zone' })
  @Optional()
  @IsCalendarDay()
  date?: string;

  @ApiPropertyOptional({ example: 'Asia/Ho_Chi_Minh', description: 'IANA zone of the day; default: ATTENDANCE_TIMEZONE' })
  @Optional()
  @ValidateBy({ name: 'isTimezone', validator: { validate: (v) => typeof v === 'string' && isValidTimezone(v), defaultMessage: () => 'timezone must be an IANA time zone such as Europe/Berlin' } })
  timezone?: string;
}

export class EmployeeDaySummaryDto {
  @ApiProperty({ example: 1 }) employee_id: number;
  @ApiProperty({ example: 'John' }) first_name: string;
  @ApiProperty({ example: 'Doe' }) last_name: string;
  @ApiProperty({ nullable: true, type: String, description: 'Earliest record of the day' }) first_in: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Latest record of the day, when there are at least two' }) last_out: string | null;
  @ApiProperty({ example: 2, description: 'Records that day' }) records: number;
}

export class SummaryDto {
  @ApiProperty({ example: '2023-12-10' }) date: string;
  @ApiProperty({ example: 'UTC' }) timezone: string;
  @ApiProperty({ example: '2023-12-10T00:00:00.000Z', description: 'Start of the day (inclusive)' }) from: string;
  @ApiProperty({ example: '2023-12-11T00:00:00.000Z', description: 'End of the day (exclusive)' }) to: string;
  @ApiProperty({ type: [EmployeeDaySummaryDto], description: 'Every employee, by id; absent ones have no first_in' }) employees: EmployeeDaySummaryDto[];
}

/** `GET /api/attendance/records?since=`: records added and deleted since a server time, oldest change first. */
export class RecordChangesDto extends ChangePageWithDeletionsDto {
  /** Added at or after `since` (records are never edited) */
  items: RecordDto[];
  @ApiProperty({ type: [Number], description: 'Deleted at or after `since` (by hand, by retention, or with their employee)' }) deleted: number[];
}
