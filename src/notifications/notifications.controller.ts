import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal } from '../auth/authenticated.decorator';
import { Principal } from '../auth/principal';
import { CreateNotificationDto, ListNotificationsQuery, NotificationChangesDto, NotificationDto, NotificationPageDto } from './dto/notification.dto';
import { changeRequest } from '../common/changes';
import { notificationSnapshot, NotificationsService } from './notifications.service';

/** The signed-in user's own notifications, whichever domain made them. */
@ApiTags('notifications')
@Controller('api/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @Authenticated()
  @ApiOkResponse({ type: NotificationPageDto, description: 'With `changed_since` or `cursor`: a NotificationChangesDto (what changed since, for a client rebuilding its view)' })
  @ApiExtraModels(NotificationChangesDto)
  async list(@CurrentPrincipal() p: Principal, @Query() q: ListNotificationsQuery): Promise<NotificationPageDto | NotificationChangesDto> {
    const changes = changeRequest(q, 'changed_since', ['page', 'unread']);
    if (changes) return this.notifications.changes(p.id, changes);
    const page = q.page ?? 1;
    const limit = q.limit ?? 20;
    const { items, total, unread } = await this.notifications.list(p.id, page, limit, q.unread ?? false);
    return { items: items.map(notificationSnapshot), total, unread_count: unread, page, limit };
  }

  @Post()
  @Authenticated({ roles: ['admin', 'manager'] })
  @ApiCreatedResponse({ type: NotificationDto, description: 'Sends a notification to a user' })
  async create(@Body() dto: CreateNotificationDto): Promise<NotificationDto> {
    const n = await this.notifications.create({ userId: dto.user_id, type: dto.type, title: dto.title, message: dto.message, priority: dto.priority, link: dto.link, metadata: dto.metadata });
    return notificationSnapshot(n!);
  }

  @Patch(':id/read')
  @Authenticated()
  @ApiOkResponse({ type: NotificationDto })
  async markRead(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<NotificationDto> {
    return notificationSnapshot(await this.notifications.markRead(p.id, id));
  }

  @Post('read-all')
  @HttpCode(200)
  @Authenticated()
  @ApiOkResponse({ description: '{updated: number}' })
  readAll(@CurrentPrincipal() p: Principal): Promise<{ updated: number }> {
    return this.notifications.markAllRead(p.id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated()
  remove(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.notifications.remove(p.id, id);
  }
}
