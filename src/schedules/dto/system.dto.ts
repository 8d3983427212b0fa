import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PRIORITIES } from '../../notifications/dto/notification.dto';

export class MaintenanceDto {
  @ApiProperty({ example: 'starting', description: 'e.g. scheduled, starting, in_progress, completed' })
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  status: string;

  @ApiPropertyOptional({ example: '30 minutes' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  estimated_duration?: string;

  @ApiPropertyOptional({ example: '2024-01-15T02:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  scheduled_start?: string;

  @ApiProperty({ example: 'Scheduled maintenance for system upgrades' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  message: string;
}

export class BroadcastDto {
  @ApiProperty({ example: 'New Feature Available' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiProperty({ example: 'AI Schedule Optimization is now live!' })
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
  @ApiProperty() name: string;
}

export class MaintenanceSentDto {
  @ApiProperty() status: string;
  @ApiProperty({ nullable: true, type: String }) estimated_duration: string | null;
  @ApiProperty({ nullable: true, type: String }) scheduled_start: string | null;
  @ApiProperty() message: string;
}

export class BroadcastSentDto {
  @ApiProperty() title: string;
  @ApiProperty() message: string;
  @ApiProperty() priority: string;
  @ApiProperty({ type: SenderDto }) sender: SenderDto;
}
