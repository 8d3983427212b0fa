import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Optional } from '../../common/optional';
import { IsIn, IsISO8601, IsString, MaxLength, MinLength } from 'class-validator';
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
  @Optional()
  @IsString()
  @MaxLength(100)
  estimated_duration?: string;

  /** @example "2024-01-15T02:00:00Z" */
  @Optional()
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
  @Optional()
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
