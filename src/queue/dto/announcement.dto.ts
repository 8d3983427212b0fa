import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const PRIORITIES = ['high', 'medium', 'low'] as const;

/** `ANNOUNCEMENT` over REST and WebSocket alike. */
export class AnnouncementDto {
  /**
   * Plain text; markup is stripped and the length capped
   * @example "Thông báo: Hệ thống sẽ bảo trì từ 12:00-13:00"
   */
  @IsString()
  @MaxLength(5000)
  message: string;

  @ApiPropertyOptional({ enum: PRIORITIES, default: 'medium' })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: (typeof PRIORITIES)[number];

  /**
   * Seconds to show it; default QUEUE_DISPLAY_DURATION
   * @example 30
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86400)
  duration?: number;

  /**
   * client_ids of the TVs; empty or absent: every TV
   * @example ["tv-hall-1"]
   */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  target_displays?: string[];
}

export class AnnouncementSentDto {
  message: string;
  @ApiProperty({ enum: PRIORITIES }) priority: string;
  duration: number;
  target_displays: string[];
}
