import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BellSchedulesService } from './bell-schedules.service';
import { BellCancellation } from './entities/bell-cancellation.entity';
import { BellHoliday } from './entities/bell-holiday.entity';
import { BellSchedule } from './entities/bell-schedule.entity';
import { cancelKey, Plan } from './bells-plan';

/** Reads the active schedules, holidays and cancellations into a Plan. */
@Injectable()
export class BellsPlanLoader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly schedules: BellSchedulesService,
  ) {}

  async load(): Promise<Plan> {
    const active = await this.dataSource.getRepository(BellSchedule).find({ where: { active: true }, relations: { items: true } });
    const holidays = await this.dataSource.getRepository(BellHoliday).find();
    const cancellations = await this.dataSource.getRepository(BellCancellation).find();
    return {
      items: active.flatMap((s) =>
        (s.items ?? []).map((i) => ({
          id: i.id,
          name: i.name,
          time: i.time,
          soundId: i.soundId,
          zone: this.schedules.zoneOf(s),
          days: s.daysOfWeek,
          notBefore: Math.max(i.effectiveFrom.getTime(), s.activeSince.getTime()),
        })),
      ),
      holidays: holidays.map((h) => ({ start: h.startDate, end: h.endDate })),
      cancelled: new Set(cancellations.map((c) => cancelKey(c.scheduleItemId, c.date))),
    };
  }
}
