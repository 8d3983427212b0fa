import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsDateString, IsIn, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export const GENDERS = ['male', 'female', 'unknown'] as const;

const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' || value === 'null' ? undefined : value);

export class ClientFieldsDto {
  @ApiPropertyOptional({ enum: GENDERS })
  @IsOptional()
  @Transform(emptyToUndefined)
  @IsIn(GENDERS)
  gender?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 150 })
  @IsOptional()
  @Transform(emptyToUndefined)
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(150)
  age?: number;

  @ApiPropertyOptional({ type: 'string', format: 'binary', description: 'JPEG, PNG or WebP' })
  image?: unknown;
}

export class VisitDto {
  @ApiProperty({ example: '2023-12-10T12:00:00Z' })
  @IsDateString()
  datetime: string;

  @ApiProperty({ example: 'XYZ789' })
  @Transform(({ value }) => (typeof value === 'number' ? String(value) : value))
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  device_id: string;
}

export class UpdateVisitDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsDateString()
  datetime?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'number' ? String(value) : value))
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  device_id?: string;
}

export class RecordDto {
  @ApiProperty()
  @Type(() => Number)
  @IsInt()
  employee_id: number;

  @ApiPropertyOptional({ description: 'Default: the posting camera’s device id' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'number' ? String(value) : value))
  @IsString()
  @MaxLength(100)
  device_id?: string;

  @ApiPropertyOptional({ description: 'Default: now' })
  @IsOptional()
  @IsDateString()
  datetime?: string;

  @ApiPropertyOptional({ example: 95 })
  @IsOptional()
  @Transform(emptyToUndefined)
  @Type(() => Number)
  @IsNumber()
  score?: number;

  @ApiPropertyOptional({ type: 'string', format: 'binary' })
  image?: unknown;
}

export class RecognitionDto extends ClientFieldsDto {
  @ApiPropertyOptional({ description: 'Default: the posting camera’s device id' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'number' ? String(value) : value))
  @IsString()
  @MaxLength(100)
  device_id?: string;

  @ApiPropertyOptional({ description: 'Default: now' })
  @IsOptional()
  @IsDateString()
  datetime?: string;

  @ApiPropertyOptional({ description: 'A known client; absent or unknown: a new client' })
  @IsOptional()
  @Transform(emptyToUndefined)
  @Type(() => Number)
  @IsInt()
  client_id?: number;

  @ApiPropertyOptional({ description: 'The camera’s id for this event; a retry with the same id is counted once' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  event_id?: string;
}

export class RecordsQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  employee_id?: number;

  @ApiPropertyOptional({ example: '2026-03-01' })
  @IsOptional()
  @IsDateString()
  from?: string;

  @ApiPropertyOptional({ example: '2026-03-31', description: 'Inclusive (a date means the whole day)' })
  @IsOptional()
  @IsDateString()
  to?: string;
}
