import { LimitQuery, PageLimit } from '../../common/pagination';
import { Optional } from '../../common/optional';
import { ChangedSince, ChangePageWithDeletionsDto, ChangesCursor } from '../../common/changes';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsObject, IsString, IsUUID, MaxLength, Min, MinLength } from 'class-validator';
import { NotificationSnapshot } from '../notifications.events';

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

export class ListNotificationsQuery extends LimitQuery {
  @ApiPropertyOptional({ default: 1, minimum: 1 })
  @Optional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  page?: number;

  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 100 })
  @PageLimit(100)
  declare limit?: number;

  /** Only unread notifications */
  @Optional()
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  @IsBoolean()
  unread?: boolean;

  @ChangedSince('notifications created, read or deleted')
  changed_since?: string;

  @ChangesCursor()
  cursor?: string;
}

export class CreateNotificationDto {
  /** Recipient */
  @IsUUID()
  user_id: string;

  /** @example "announcement" */
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  type: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @Optional()
  @IsString()
  @MaxLength(2000)
  message?: string;

  @ApiPropertyOptional({ enum: PRIORITIES, default: 'normal' })
  @Optional()
  @IsIn(PRIORITIES)
  priority?: (typeof PRIORITIES)[number];

  /** @example "/schedules/123" */
  @Optional()
  @IsString()
  @MaxLength(500)
  link?: string;

  @Optional()
  @IsObject()
  metadata?: Record<string, unknown>;
}

export class NotificationDto implements NotificationSnapshot {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) user_id: string;
  type: string;
  title: string;
  message: string;
  priority: string;
  link: string | null;
  metadata: Record<string, unknown>;
  employee_id: number | null;
  is_read: boolean;
  read_at: string | null;
  created_at: string;
}

export class NotificationPageDto {
  items: NotificationDto[];
  total: number;
  unread_count: number;
  page: number;
  limit: number;
}

/** `GET /api/notifications?changed_since=`: what changed for the caller, oldest change first. */
export class NotificationChangesDto extends ChangePageWithDeletionsDto {
  /** Created or read at or after `changed_since`, as they are now */
  items: NotificationDto[];
  @ApiProperty({ type: [String], format: 'uuid', description: 'Deleted at or after `changed_since`' }) deleted: string[];
  unread_count: number;
}
