import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';

export class CreateBellScheduleDto {
  @ApiProperty({ example: 'Weekdays' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: [1, 2, 3, 4, 5], description: '0 = Sunday … 6 = Saturday' })
  @IsArray()
  @ArrayMaxSize(7)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Max(6, { each: true })
  days_of_week: number[];

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ example: 'Europe/Berlin', nullable: true, description: 'IANA time zone; default BELLS_TIMEZONE' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string | null;
}

export class UpdateBellScheduleDto extends PartialType(CreateBellScheduleDto) {}

export class CreateItemDto {
  @ApiProperty({ example: 'First Period' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: '08:00', description: 'HH:MM or HH:MM:SS in the schedule’s time zone' })
  @IsString()
  @MaxLength(8)
  time: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  sound_id: string;
}

export class UpdateItemDto extends PartialType(CreateItemDto) {}

export class CancelDto {
  @ApiPropertyOptional({ example: '2026-03-09', description: 'Local date of the occurrence; default the next one' })
  @IsOptional()
  @IsString()
  date?: string;
}

export class RingDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  sound_id: string;

  @ApiPropertyOptional({ example: 'Fire drill' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

export class StateDto {
  @ApiProperty({ enum: ['active', 'paused'] })
  @IsString()
  state: string;
}

export class HolidayDto {
  @ApiProperty({ example: 'Spring break' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ example: '2026-04-06', description: 'A single day (or use start_date and end_date)' })
  @IsOptional()
  @IsString()
  date?: string;

  @ApiPropertyOptional({ example: '2026-04-06' })
  @IsOptional()
  @IsString()
  start_date?: string;

  @ApiPropertyOptional({ example: '2026-04-10', description: 'Inclusive' })
  @IsOptional()
  @IsString()
  end_date?: string;
}

export class ItemDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) schedule_id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: '08:00:00' }) time: string;
  @ApiProperty({ format: 'uuid' }) sound_id: string;
}

export class BellScheduleDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [Number] }) days_of_week: number[];
  @ApiProperty() active: boolean;
  @ApiProperty({ description: 'Effective zone (BELLS_TIMEZONE when the schedule names none)' }) timezone: string;
  @ApiProperty({ type: [ItemDto] }) items: ItemDto[];
}
