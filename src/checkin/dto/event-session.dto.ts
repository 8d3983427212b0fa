import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';

export class CreateEventSessionDto {
  @ApiProperty({ example: 'Opening keynote', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: '2024-03-13T15:00:00Z', description: 'Check-in opens' })
  @IsISO8601({ strict: true })
  starts_at: string;

  @ApiProperty({ example: '2024-03-13T17:00:00Z', description: 'Check-in closes; after starts_at' })
  @IsISO8601({ strict: true })
  ends_at: string;

  @ApiPropertyOptional({ default: true, description: 'false: only the host and admins may watch the dashboard' })
  @IsOptional()
  @IsBoolean()
  dashboard_public?: boolean;
}

export class UpdateEventSessionDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true })
  starts_at?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true })
  ends_at?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  dashboard_public?: boolean;
}

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(100_000)
  limit?: number;

  @ApiPropertyOptional({ default: 0, minimum: 0 })
  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  offset?: number;
}

export class EventSessionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() starts_at: string;
  @ApiProperty() ends_at: string;
  @ApiProperty() dashboard_public: boolean;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The creator' }) host_id: string | null;
  @ApiProperty({ description: 'open: check-ins succeed now; upcoming; closed', enum: ['upcoming', 'open', 'closed'] }) status: 'upcoming' | 'open' | 'closed';
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
  @ApiPropertyOptional({ type: [String], description: 'Only in the answer to a create or update, when something looks wrong (the session has already ended)' })
  warnings?: string[];
}

export class RegisterDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  user_id: string;
}

export class RegistrationDto {
  @ApiProperty({ format: 'uuid' }) session_id: string;
  @ApiProperty({ format: 'uuid' }) user_id: string;
  @ApiProperty() user_name: string;
  @ApiProperty() registered_at: string;
}

export class CheckInRequestDto {
  @ApiProperty({ format: 'uuid', description: 'Who is checking in (a scanner reads it from a badge)' })
  @IsUUID()
  user_id: string;
}
