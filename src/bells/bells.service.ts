import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { badRequest, notFound } from '../common/app-error';
import { plainText } from '../common/plain-text';
import { Broadcaster } from '../realtime/broadcaster';
import { BellSchedulesService } from './bell-schedules.service';
import { BellSoundsService } from './bell-sounds.service';
import { isCalendarDate, localDate } from '../common/calendar';
import { cancelKey, nextOccurrence, occurrencesBetween, ringsOn } from './bells-plan';
import { BellsPlanLoader } from './bells-plan.loader';
import { BellsLog } from './bells-log.service';
import { HolidayDto } from './dto/schedule.dto';
import { BellCancellation } from './entities/bell-cancellation.entity';
import { BellHoliday } from './entities/bell-holiday.entity';
import { BellRing } from './entities/bell-ring.entity';
import { BellSchedule } from './entities/bell-schedule.entity';
import { BellsStateService } from './bells-state.service';

/** Manual rings, cancellations, holidays, the ring log and the day's remaining bells. */
@Injectable()
export class BellsService {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(BellRing) private readonly rings: Repository<BellRing>,
    @InjectRepository(BellHoliday) private readonly holidays: Repository<BellHoliday>,
    private readonly sounds: BellSoundsService,
    private readonly schedules: BellSchedulesService,
    private readonly loader: BellsPlanLoader,
    private readonly state: BellsStateService,
    private readonly broadcaster: Broadcaster,
    private readonly log: BellsLog,
    private readonly clock: Clock,
  ) {}

  /** Rings now, paused or not: pausing stops scheduled bells, not an admin's explicit ring. */
  async ring(soundId: string, name: string | undefined): Promise<BellRing> {
    const sound = await this.sounds.get(soundId).catch(() => {
      throw badRequest(`sound_id: no sound ${soundId} exists`, { field: 'sound_id' });
    });
    const now = this.clock.date();
    const ring = await this.rings.save(
      this.rings.create({ scheduleItemId: null, occurrenceDate: null, soundId, name: plainText(name ?? '', 200) || sound.name, scheduledFor: now, at: now, outcome: 'rang', manual: true }),
    );
    this.broadcaster.publish('bells.bell_triggered', { schedule_item_id: null, sound_id: soundId, name: ring.name, scheduled_for: now.toISOString() });
    this.log.info('ring', `Bell "${ring.name}" rung by hand`);
    return ring;
  }

  /** Cancels one occurrence of an item: the given local date, or the next one. */
  async cancel(itemId: string, date: string | undefined): Promise<{ schedule_item_id: string; date: string }> {
    const item = await this.schedules.getItem(itemId);
    const schedule = await this.dataSource.getRepository(BellSchedule).findOneOrFail({ where: { id: item.scheduleId } });
    let day = date;
    if (day !== undefined) {
      if (!isCalendarDate(day)) throw badRequest('date must be YYYY-MM-DD', { field: 'date' });
    } else {
      const plan = await this.loader.load();
      const mine = { ...plan, items: plan.items.filter((i) => i.id === itemId) };
      if (!mine.items.length) throw badRequest('The item’s schedule is not active: give the date to cancel');
      const next = nextOccurrence(mine, this.clock.now(), 400);
      if (!next) throw badRequest('The item has no upcoming occurrence to cancel');
      day = next.date;
    }
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(BellCancellation)
      .values({ scheduleItemId: itemId, date: day })
      .orIgnore()
      .execute();
    this.broadcaster.publish('bells.bell_cancelled', { schedule_item_id: itemId, date: day });
    this.log.info('cancellations', `"${item.name}" will not ring on ${day} (${this.schedules.zoneOf(schedule)})`);
    return { schedule_item_id: itemId, date: day };
  }

  listHolidays(): Promise<BellHoliday[]> {
    return this.holidays.find({ order: { startDate: 'ASC' } });
  }

  async addHoliday(dto: HolidayDto): Promise<BellHoliday> {
    const start = dto.start_date ?? dto.date;
    const end = dto.end_date ?? dto.start_date ?? dto.date;
    if (!start || !end) throw badRequest('Give date, or start_date and end_date (YYYY-MM-DD)');
    for (const [field, v] of [['start_date', start], ['end_date', end]] as const) if (!isCalendarDate(v)) throw badRequest(`${field} must be YYYY-MM-DD`, { field });
    if (end < start) throw badRequest('end_date is before start_date', { field: 'end_date' });
    const h = await this.holidays.save(this.holidays.create({ name: plainText(dto.name, 200) || 'Holiday', startDate: start, endDate: end }));
    this.broadcaster.publish('bells.holidays_changed', {});
    this.broadcaster.publish('bells.schedules_changed', {});
    return h;
  }

  async removeHoliday(id: string): Promise<void> {
    const r = await this.holidays.delete({ id });
    if (!r.affected) throw notFound('Holiday');
    this.broadcaster.publish('bells.holidays_changed', {});
    this.broadcaster.publish('bells.schedules_changed', {});
  }

  listRings(limit: number): Promise<BellRing[]> {
    return this.rings.find({ order: { at: 'DESC' }, take: limit });
  }

  /** The bells still to ring on a date (default today in BELLS_TIMEZONE), with their sounds' checksums. */
  async upcoming(date: string | undefined) {
    const day = date ?? localDate(this.clock.now(), this.schedules.defaultZone);
    if (!isCalendarDate(day)) throw badRequest('date must be YYYY-MM-DD', { field: 'date' });
    const plan = await this.loader.load();
    const now = this.clock.now();
    // A window wide enough for any zone; keep the occurrences on that local date that are still ahead.
    const from = Date.parse(`${day}T00:00:00Z`) - 86_400_000;
    const to = Date.parse(`${day}T00:00:00Z`) + 2 * 86_400_000;
    const all = occurrencesBetween({ ...plan, items: plan.items.map((i) => ({ ...i, notBefore: 0 })) }, from, to).filter((o) => o.date === day && o.at > now);
    const sounds = new Map((await this.sounds.list()).map((s) => [s.id, s]));
    const cancelledToday = plan.items.filter((i) => plan.cancelled.has(cancelKey(i.id, day)) && ringsOn({ ...plan, cancelled: new Set() }, i, day)).map((i) => i.id);
    return {
      date: day,
      state: await this.state.get(),
      server_time: new Date(now).toISOString(),
      bells: all.map((o) => {
        const s = sounds.get(o.item.soundId);
        return {
          schedule_item_id: o.item.id,
          name: o.item.name,
          time: o.item.time,
          timezone: o.item.zone,
          at: new Date(o.at).toISOString(),
          sound: s ? this.sounds.toDto(s) : null,
        };
      }),
      cancelled_item_ids: cancelledToday,
    };
  }
}
