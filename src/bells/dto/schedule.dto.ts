import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Optional } from '../../common/optional';
import { ChangedSince, ChangesCursor } from '../../common/changes';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { RING_KINDS } from '../entities/bell-ring.entity';
import { DayQuery } from '../../common/db-input';
import { LimitQuery } from '../../common/pagination';

export class CreateBellScheduleDto {
  /** @example "Weekdays" */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  /**
   * 0 = Sunday … 6 = Saturday
   * @example [1, 2, 3, 4, 5]
   */
  @IsArray()
  @ArrayMaxSize(7)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Max(6, { each: true })
  days_of_week: number[];

  @ApiPropertyOptional({ default: true })
  @Optional()
  @IsBoolean()
  active?: boolean;

  /**
   * IANA time zone; default BELLS_TIMEZONE
   * @example "Europe/Berlin"
   */
  @Optional({ nullable: true })
  @IsString()
  @MaxLength(64)
  timezone?: string | null;
}

export class UpdateBellScheduleDto extends PartialType(CreateBellScheduleDto, { skipNullProperties: false }) {}

export class CreateItemDto {
  /** @example "First Period" */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  /**
   * HH:MM or HH:MM:SS in the schedule’s time zone
   * @example "08:00"
   */
  @IsString()
  @MaxLength(8)
  time: string;

  @IsUUID()
  sound_id: string;

  /** The day type it belongs to; absent or null: the regular day */
  @Optional({ nullable: true })
  @IsUUID()
  day_type_id?: string | null;

  /**
   * Zones it rings in; absent or null: every zone
   * @example ["main-building"]
   */
  @Optional({ nullable: true })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  zones?: string[] | null;
}

export class UpdateItemDto extends PartialType(CreateItemDto, { skipNullProperties: false }) {}

export class CancelDto {
  /**
   * Local date of the occurrence; default the next one
   * @example "2026-03-09"
   */
  @Optional()
  @IsString()
  date?: string;
}

export class RingDto {
  @IsUUID()
  sound_id: string;

  /** @example "Fire drill" */
  @Optional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ enum: RING_KINDS, default: 'bell', description: 'emergency and lockdown override what players are playing and are logged apart' })
  @Optional()
  @IsIn(RING_KINDS)
  kind?: (typeof RING_KINDS)[number];

  /**
   * Ring only in this zone
   * @example "gym"
   */
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  zone?: string;

  @ApiPropertyOptional({ example: 'device:1b9d…', description: 'Ring only on this player (its id in GET /api/bells/players)' })
  @Optional()
  @IsString()
  @MaxLength(80)
  player_id?: string;
}

export class StateDto {
  @ApiProperty({ enum: ['active', 'paused'] })
  @IsString()
  state: string;

  /**
   * With paused: resume by itself at this time
   * @example "2026-03-09T13:00:00Z"
   */
  @Optional()
  @IsISO8601({ strict: true })
  until?: string;
}

export class DayTypeDto {
  /** @example "Exam day" */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ example: [3], description: 'Weekdays (0 = Sunday) on which it replaces the regular day' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(7)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Max(6, { each: true })
  weekdays?: number[];
}

export class UpdateDayTypeDto extends PartialType(DayTypeDto, { skipNullProperties: false }) {}

/** One day (`date`) or an inclusive range (`start_date` … `end_date`): holidays and day overrides. */
abstract class DaySpanDto {
  @ApiPropertyOptional({ example: '2026-06-15', description: 'A single day (or use start_date and end_date)' })
  @Optional()
  @IsString()
  date?: string;

  /** @example "2026-06-15" */
  @Optional()
  @IsString()
  start_date?: string;

  /**
   * Inclusive
   * @example "2026-06-19"
   */
  @Optional()
  @IsString()
  end_date?: string;
}

export class DayOverrideDto extends DaySpanDto {
  /** @example "Final exams" */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  /** The day type to run; null: the regular day */
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  day_type_id: string | null;
}

export class HolidayDto extends DaySpanDto {
  /** @example "Spring break" */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only this schedule is off (default: every schedule)' })
  @Optional()
  @IsUUID()
  schedule_id?: string;

  @ApiPropertyOptional({ example: 'field', description: 'Only this zone is off (default: every zone)' })
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  zone?: string;
}

export class ItemDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) schedule_id: string;
  name: string;
  /** @example "08:00:00" */
  time: string;
  @ApiProperty({ format: 'uuid' }) sound_id: string;
  @ApiProperty({ format: 'uuid', nullable: true }) day_type_id: string | null;
  zones: string[] | null;
}

export class BellScheduleDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  name: string;
  days_of_week: number[];
  active: boolean;
  @ApiProperty({ description: 'Effective zone (BELLS_TIMEZONE when the schedule names none)' }) timezone: string;
  items: ItemDto[];
}

/** `GET /api/bells/rings`: newest first, optionally one kind (emergency and lockdown are listed apart this way). */
export class RingsQuery extends LimitQuery {
  /** Only rings of this kind */
  @Optional()
  @IsIn(RING_KINDS)
  kind?: string;

  @ChangedSince('log entries (rings) written')
  since?: string;

  @ChangesCursor()
  cursor?: string;
}

/** `GET /api/bells/upcoming`: a day (default today in BELLS_TIMEZONE), optionally one zone. */
export class UpcomingQuery extends DayQuery {
  /** Only the bells that ring in this zone */
  @Optional()
  @IsString()
  @MaxLength(100)
  zone?: string;
}
