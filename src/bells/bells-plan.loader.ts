import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BellSchedulesService } from './bell-schedules.service';
import { BellCancellation } from './entities/bell-cancellation.entity';
import { BellDayOverride } from './entities/bell-day-override.entity';
import { BellDayType } from './entities/bell-day-type.entity';
import { BellHoliday } from './entities/bell-holiday.entity';
import { BellSchedule } from './entities/bell-schedule.entity';
import { cancelKey, Plan, PlanSchedule } from './bells-plan';

/** Reads the active schedules, their day types and overrides, holidays and cancellations into a Plan. */
@Injectable()
export class BellsPlanLoader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly schedules: BellSchedulesService,
  ) {}

  async load(): Promise<Plan> {
    const [active, dayTypes, overrides, holidays, cancellations] = await Promise.all([
      this.dataSource.getRepository(BellSchedule).find({ where: { active: true }, relations: { items: true } }),
      this.dataSource.getRepository(BellDayType).find({ order: { createdAt: 'ASC' } }),
      this.dataSource.getRepository(BellDayOverride).find({ order: { createdAt: 'ASC' } }),
      this.dataSource.getRepository(BellHoliday).find(),
      this.dataSource.getRepository(BellCancellation).find(),
    ]);
    const schedules = new Map<string, PlanSchedule>(
      active.map((s) => [
        s.id,
        {
          id: s.id,
          days: s.daysOfWeek,
          dayTypes: dayTypes.filter((t) => t.scheduleId === s.id).map((t) => ({ id: t.id, name: t.name, weekdays: t.weekdays })),
          overrides: overrides.filter((o) => o.scheduleId === s.id).map((o) => ({ start: o.startDate, end: o.endDate, dayTypeId: o.dayTypeId })),
        },
      ]),
    );
    return {
      schedules,
      items: active.flatMap((s) =>
        (s.items ?? []).map((i) => ({
          id: i.id,
          scheduleId: s.id,
          name: i.name,
          time: i.time,
          soundId: i.soundId,
          tz: this.schedules.zoneOf(s),
          dayTypeId: i.dayTypeId,
          zones: i.zones,
          notBefore: Math.max(i.effectiveFrom.getTime(), s.activeSince.getTime()),
        })),
      ),
      holidays: holidays.map((h) => ({ start: h.startDate, end: h.endDate, scheduleId: h.scheduleId, zone: h.zone })),
      cancelled: new Set(cancellations.map((c) => cancelKey(c.scheduleItemId, c.date))),
    };
  }
}
