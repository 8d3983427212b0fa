import { Injectable } from '@nestjs/common';
import { plainText } from '../common/plain-text';
import { Principal } from '../auth/principal';
import { Broadcaster } from '../realtime/broadcaster';
import { BroadcastDto, MaintenanceDto } from './dto/system.dto';
import { actorOf } from './schedules.service';
import { SystemBroadcast, SystemMaintenance } from './schedules.events';

/** Announcements to every schedules connection; nothing is stored. */
@Injectable()
export class SystemService {
  constructor(private readonly broadcaster: Broadcaster) {}

  maintenance(dto: MaintenanceDto, p: Principal): SystemMaintenance {
    const event: SystemMaintenance = {
      status: plainText(dto.status, 50),
      estimated_duration: dto.estimated_duration !== undefined ? plainText(dto.estimated_duration, 100) || null : null,
      scheduled_start: dto.scheduled_start !== undefined ? new Date(dto.scheduled_start).toISOString() : null,
      message: plainText(dto.message, 1000),
      sent_by: actorOf(p),
    };
    this.broadcaster.publish('schedules.system_maintenance', event);
    return event;
  }

  broadcast(dto: BroadcastDto, p: Principal): SystemBroadcast {
    const event: SystemBroadcast = {
      title: plainText(dto.title, 200),
      message: plainText(dto.message, 2000),
      priority: dto.priority ?? 'normal',
      sender: actorOf(p),
    };
    this.broadcaster.publish('schedules.system_broadcast', event);
    return event;
  }
}
