import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { EVENT_TYPES, type EventType } from '../schedules.subscriptions';
import { IsCalendarDate } from './calendar-date.validator';

export class DateRangeDto {
  @IsOptional()
  @IsCalendarDate()
  start?: string;

  @IsOptional()
  @IsCalendarDate()
  end?: string;
}

export class FiltersDto {
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  employee_id?: number | null;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => DateRangeDto)
  date_range?: DateRangeDto;
}

/** `subscription/subscribe {events, filters?}` */
export class SubscribeDto {
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(EVENT_TYPES.length * 2)
  @IsIn(EVENT_TYPES, { each: true, message: `each event must be one of ${EVENT_TYPES.join(', ')}` })
  events: EventType[];

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => FiltersDto)
  filters?: FiltersDto;
}

/** `subscription/unsubscribe {events}` */
export class UnsubscribeDto {
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(EVENT_TYPES.length * 2)
  @IsIn(EVENT_TYPES, { each: true, message: `each event must be one of ${EVENT_TYPES.join(', ')}` })
  events: EventType[];
}

/** `presence/typing {typing, context}` */
export class TypingDto {
  @IsBoolean()
  typing: boolean;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  context?: string;
}
