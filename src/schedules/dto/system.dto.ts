import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PRIORITIES } from '../../notifications/dto/notification.dto';

export class MaintenanceDto {
  /**
   * e.g. scheduled, starting, in_progress, completed
   * @example "starting"
   */
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  status: string;

  /** @example "30 minutes" */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  estimated_duration?: string;

  /** @example "2024-01-15T02:00:00Z" */
  @IsOptional()
  @IsISO8601({ strict: true })
  scheduled_start?: string;

  /** @example "Scheduled maintenance for system upgrades" */
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  message: string;
}

export class BroadcastDto {
  /** @example "New Feature Available" */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  /** @example "AI Schedule Optimization is now live!" */
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  message: string;

  @ApiPropertyOptional({ enum: PRIORITIES, default: 'normal' })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: (typeof PRIORITIES)[number];
}

export class SenderDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  name: string;
}

export class MaintenanceSentDto {
  status: string;
  estimated_duration: string | null;
  scheduled_start: string | null;
  message: string;
}

export class BroadcastSentDto {
  title: string;
  message: string;
  priority: string;
  sender: SenderDto;
}
