import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { User } from '../auth/entities/user.entity';
import { PendingEvents } from '../database/unit-of-work';
import { Employee } from '../employees/entities/employee.entity';
import { NotificationsService } from '../notifications/notifications.service';

export interface Notice {
  title: string;
  message: string;
  link: string;
  metadata: Record<string, unknown>;
  priority?: string;
}

/**
 * Who hears about planning requests (time off, claims, swaps, drops): the
 * employees involved and every manager, as `notification/created` on
 * /ws/schedules, stored in the request's transaction.
 */
@Injectable()
export class PlanningNotices {
  constructor(private readonly notifications: NotificationsService) {}

  async toEmployee(tx: EntityManager, events: PendingEvents, employee: Employee | null | undefined, n: Notice): Promise<void> {
    if (!employee?.userId) return;
    await this.notifications.createIn(tx, events, { userId: employee.userId, type: 'schedule', priority: n.priority ?? 'normal', employeeId: employee.id, ...n });
  }

  /** Every enabled manager, except the one who acted (they know). */
  async toManagers(tx: EntityManager, events: PendingEvents, n: Notice, exceptUserId?: string): Promise<void> {
    const managers = await tx.getRepository(User).find({ where: { role: 'manager', disabled: false }, order: { createdAt: 'ASC' } });
    for (const m of managers) {
      if (m.id === exceptUserId) continue;
      await this.notifications.createIn(tx, events, { userId: m.id, type: 'schedule', priority: n.priority ?? 'normal', employeeId: null, ...n });
    }
  }
}
