import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { plainText } from '../common/plain-text';
import { Broadcaster } from '../realtime/broadcaster';
import { AnnouncementDto } from './dto/announcement.dto';
import { invalidQueueInput } from './queue-error';
import type { DisplayAnnouncementEvent } from './queue.events';
import { QueueConfig } from './queue.config';

/** Free-text announcements for the hall's TVs (ANNOUNCEMENT), sanitized before they are sent. */
@Injectable()
export class AnnouncementsService {
  private readonly textMax: number;
  private readonly defaultDuration: number;

  constructor(
    private readonly broadcaster: Broadcaster,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.textMax = QueueConfig.read(config).QUEUE_TEXT_MAX_LENGTH;
    this.defaultDuration = QueueConfig.read(config).QUEUE_DISPLAY_DURATION;
  }

  send(dto: AnnouncementDto): DisplayAnnouncementEvent {
    const message = plainText(dto.message, this.textMax);
    if (!message) throw invalidQueueInput('message must contain text');
    const event: DisplayAnnouncementEvent = {
      message,
      priority: dto.priority ?? 'medium',
      duration: dto.duration ?? this.defaultDuration,
      target_displays: [...new Set((dto.target_displays ?? []).map((t) => plainText(t, 100)).filter(Boolean))],
    };
    this.broadcaster.publish('queue.announcement', event);
    return event;
  }
}
