import { ApiProperty, PartialType } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { TIME_PATTERN } from '../../common/calendar';

export class CreateShiftDto {
  @ApiProperty({ example: 'Morning Shift' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiProperty({ example: '09:00', description: 'HH:MM or HH:MM:SS' })
  @Matches(TIME_PATTERN, { message: 'start_time must be HH:MM or HH:MM:SS' })
  start_time: string;

  @ApiProperty({ example: '17:00', description: 'HH:MM or HH:MM:SS; before start_time: the shift ends the next day' })
  @Matches(TIME_PATTERN, { message: 'end_time must be HH:MM or HH:MM:SS' })
  end_time: string;
}

/** A field sent as null is validated (400), not skipped: the service would store or parse it. */
export class UpdateShiftDto extends PartialType(CreateShiftDto, { skipNullProperties: false }) {}

export class ShiftDto {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ example: '09:00:00' }) start_time: string;
  @ApiProperty({ example: '17:00:00' }) end_time: string;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}
