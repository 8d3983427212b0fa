import { PartialType } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { TIME_PATTERN } from '../../common/calendar';

export class CreateShiftDto {
  /** @example "Morning Shift" */
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  /**
   * HH:MM or HH:MM:SS
   * @example "09:00"
   */
  @Matches(TIME_PATTERN, { message: 'start_time must be HH:MM or HH:MM:SS' })
  start_time: string;

  /**
   * HH:MM or HH:MM:SS; before start_time: the shift ends the next day
   * @example "17:00"
   */
  @Matches(TIME_PATTERN, { message: 'end_time must be HH:MM or HH:MM:SS' })
  end_time: string;
}

/** A field sent as null is validated (400), not skipped: the service would store or parse it. */
export class UpdateShiftDto extends PartialType(CreateShiftDto, { skipNullProperties: false }) {}

export class ShiftDto {
  id: number;
  name: string;
  /** @example "09:00:00" */
  start_time: string;
  /** @example "17:00:00" */
  end_time: string;
  created_at: string;
  updated_at: string;
}
