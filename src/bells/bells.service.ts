import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { ChangeRequest } from '../common/changes';
import { ChangeFeed } from '../database/change-feed';
import type { Principal } from '../auth/principal';
import { badRequest, notFound } from '../common/app-error';
import { addDays, daysBetween, isCalendarDate, localDate } from '../common/calendar';
import { Clock } from '../common/clock';
import { plainText } from '../common/plain-text';
import { Broadcaster } from '../realtime/broadcaster';
import { actorOf } from './bells-actor';
import { BellSchedulesService } from './bell-schedules.service';
import { BellSoundsService } from './bell-sounds.service';
import { dayOf, nextOccurrence, ringingOn, Target } from './bells-plan';
import { BellsPlanLoader } from './bells-plan.loader';
import { BellsLog } from './bells-log.service';
import { BellsPlayersService } from './bells-players.service';
import { DayOverrideDto, HolidayDto, RingDto } from './dto/schedule.dto';
import { BellCancellation } from './entities/bell-cancellation.entity';
import { BellDayOverride } from './entities/bell-day-override.entity';
import { BellHoliday } from './entities/bell-holiday.entity';
import { BellRing, RingKind } from './entities/bell-ring.entity';
import { BellSchedule } from './entities/bell-schedule.entity';
import { BellsStateService } from './bells-state.service';

const MAX_CALENDAR_DAYS = 400;

/** Manual rings, cancellations, holidays, day overrides, the ring log and the calendar resolver's answers. */
@Injectable()
export class BellsService {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(BellRing) private readonly rings: Repository<BellRing>,
    @InjectRepository(BellHoliday) private readonly holidays: Repository<BellHoliday>,
    @InjectRepository(BellDayOverride) private readonly overrides: Repository<BellDayOverride>,
    private readonly sounds: BellSoundsService,
    private readonly schedules: BellSchedulesService,
    private readonly loader: BellsPlanLoader,
    private readonly state: BellsStateService,
    private readonly players: BellsPlayersService,
    private readonly broadcaster: Broadcaster,
    private readonly log: BellsLog,
    private readonly clock: Clock,
    private readonly feed: ChangeFeed,
  ) {}

  /**
   * Rings now, paused or not: pausing stops scheduled bells, not an admin's
   * explicit ring. A zone or one player narrows who hears it; emergency and
   * lockdown override what players are playing and are logged apart.
   */
  async ring(dto: RingDto, by: Principal): Promise<BellRing> {
    const sound = await this.sounds.get(dto.sound_id).catch(() => {
      throw badRequest(`sound_id: no sound ${dto.sound_id} exists`, { field: 'sound_id' });
    });
    if (dto.zone && dto.player_id) throw badRequest('Give zone or player_id, not both');
    const kind: RingKind = dto.kind ?? 'bell';
    const zone = dto.zone ? plainText(dto.zone, 100) : null;
    if (dto.player_id && !(await this.players.list()).some((p) => p.id === dto.player_id)) throw badRequest(`player_id: no player ${dto.player_id} has registered`, { field: 'player_id' });
    const target: Target = { zones: zone ? [zone] : null, exceptZones: [] };
    const now = this.clock.date();
    const actor = actorOf(by);
    const ring = await this.rings.save(
      this.rings.create({
        scheduleItemId: null,
        occurrenceDate: null,
        soundId: sound.id,
        name: plainText(dto.name ?? '', 200) || sound.name,
        scheduledFor: now,
        at: now,
        outcome: 'rang',
        manual: true,
        kind,
        zones: target.zones,
        playerId: dto.player_id ?? null,
        actor,
      }),
    );
    this.broadcaster.publish('bells.bell_triggered', {
      ring_id: ring.id,
      schedule_item_id: null,
      sound_id: sound.id,
      name: ring.name,
      kind,
      scheduled_for: now.toISOString(),
      zones: target.zones,
      except_zones: [],
      player_id: ring.playerId,
    });
    const where = ring.playerId ? ` on player ${ring.playerId}` : zone ? ` in zone ${zone}` : '';
    if (kind === 'emergency' || kind === 'lockdown') this.log.warning('emergency', `${kind.toUpperCase()} "${ring.name}" rung${where} by ${actor}`);
    else this.log.info('ring', `${kind === 'test' ? 'Test ring' : 'Bell'} "${ring.name}" rung by hand${where} by ${actor}`);
    await this.players.recordDeliveries(ring, target, ring.playerId);
    return ring;
  }

  /** Cancels one occurrence of an item: the given local date, or the next one. */
  async cancel(itemId: string, date: string | undefined, by: Principal): Promise<{ schedule_item_id: string; date: string }> {
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
    const actor = actorOf(by);
    await this.dataSource.createQueryBuilder().insert().into(BellCancellation).values({ scheduleItemId: itemId, date: day, actor }).orIgnore().execute();
    this.broadcaster.publish('bells.bell_cancelled', { schedule_item_id: itemId, date: day });
    this.log.info('cancellations', `"${item.name}" will not ring on ${day} (${this.schedules.zoneOf(schedule)}), cancelled by ${actor}`);
    return { schedule_item_id: itemId, date: day };
  }

  /** Takes a cancellation back: the occurrence rings again (unless its time has passed). */
  async uncancel(itemId: string, date: string, by: Principal): Promise<void> {
    const item = await this.schedules.getItem(itemId);
    if (!isCalendarDate(date)) throw badRequest('date must be YYYY-MM-DD', { field: 'date' });
    const r = await this.dataSource.getRepository(BellCancellation).delete({ scheduleItemId: itemId, date });
    if (!r.affected) throw notFound('Cancellation');
    this.broadcaster.publish('bells.bell_uncancelled', { schedule_item_id: itemId, date });
    this.log.info('cancellations', `"${item.name}" rings again on ${date}: cancellation taken back by ${actorOf(by)}`);
  }

  listCancellations(): Promise<BellCancellation[]> {
    return this.dataSource.getRepository(BellCancellation).find({ order: { date: 'ASC' } });
  }

  listHolidays(): Promise<BellHoliday[]> {
    return this.holidays.find({ order: { startDate: 'ASC' } });
  }

  async addHoliday(dto: HolidayDto): Promise<BellHoliday> {
    const [start, end] = this.range(dto);
    if (dto.schedule_id) await this.schedules.get(dto.schedule_id);
    const h = await this.holidays.save(
      this.holidays.create({ name: plainText(dto.name, 200) || 'Holiday', startDate: start, endDate: end, scheduleId: dto.schedule_id ?? null, zone: dto.zone ? plainText(dto.zone, 100) : null }),
    );
    this.calendarChanged();
    return h;
  }

  async removeHoliday(id: string): Promise<void> {
    const r = await this.holidays.delete({ id });
    if (!r.affected) throw notFound('Holiday');
    this.calendarChanged();
  }

  // ── day overrides ──

  listOverrides(scheduleId: string): Promise<BellDayOverride[]> {
    return this.overrides.find({ where: { scheduleId }, order: { startDate: 'ASC', createdAt: 'ASC' } });
  }

  async addOverride(scheduleId: string, dto: DayOverrideDto): Promise<BellDayOverride> {
    await this.schedules.get(scheduleId);
    const [start, end] = this.range(dto);
    const dayTypeId = await this.schedules.checkDayType(scheduleId, dto.day_type_id);
    const o = await this.overrides.save(this.overrides.create({ scheduleId, name: plainText(dto.name, 200) || 'Override', startDate: start, endDate: end, dayTypeId }));
    this.calendarChanged();
    return o;
  }

  async removeOverride(id: string): Promise<void> {
    const r = await this.overrides.delete({ id });
    if (!r.affected) throw notFound('Day override');
    this.calendarChanged();
  }

  // ── the ring log ──

  listRings(limit: number, kind?: string): Promise<BellRing[]> {
    return this.rings.find({ where: kind ? { kind: kind as RingKind } : {}, order: { at: 'DESC' }, take: limit });
  }

  /** Log entries written since a server time, oldest first: what an admin that lost its frames catches up from. */
  async ringChanges(req: ChangeRequest, kind?: string): Promise<{ items: BellRing[]; as_of: string; next_cursor: string | null; has_more: boolean }> {
    const window = await this.feed.read(req, [(bind, since) => `SELECT id::text AS key, recorded_at AS ts FROM bell_rings WHERE recorded_at >= ${since}` + (kind ? ` AND kind = ${bind(kind)}` : '')]);
    const rows = window.keys.length ? await this.rings.find({ where: { id: In(window.keys) } }) : [];
    const { items } = this.feed.assemble(
      window,
      rows,
      (r) => r.id,
      (key) => key,
    );
    return { items, as_of: window.as_of, next_cursor: window.next_cursor, has_more: window.has_more };
  }

  /** One ring and, per targeted player, whether it played it. */
  async ringReport(id: string) {
    const ring = await this.rings.findOne({ where: { id } });
    if (!ring) throw notFound('Ring');
    const players = await this.players.report(id);
    const count = (s: string) => players.filter((p) => p.status === s).length;
    return { ring, players, summary: { targeted: players.length, played: count('played'), failed: count('failed'), no_ack: count('no_ack'), offline: count('offline') } };
  }

  // ── the calendar resolver's answers ──

  /** The bells still to ring on a date (default today in BELLS_TIMEZONE), in one zone when given, with their sounds' checksums. */
  async upcoming(date: string | undefined, zone?: string | null) {
    const day = date ?? localDate(this.clock.now(), this.schedules.defaultZone);
    if (!isCalendarDate(day)) throw badRequest('date must be YYYY-MM-DD', { field: 'date' });
    const plan = await this.loader.load();
    const now = this.clock.now();
    const all = ringingOn(plan, day, zone).filter((o) => o.at > now);
    const sounds = new Map((await this.sounds.list()).map((s) => [s.id, s]));
    const cancelled = ringingOn({ ...plan, cancelled: new Set() }, day, zone)
      .filter((o) => plan.cancelled.has(`${o.item.id}|${day}`))
      .map((o) => o.item.id);
    return {
      date: day,
      zone: zone ?? null,
      state: await this.state.get(),
      server_time: new Date(now).toISOString(),
      bells: all.map((o) => {
        const s = sounds.get(o.item.soundId);
        return {
          schedule_item_id: o.item.id,
          schedule_id: o.item.scheduleId,
          name: o.item.name,
          time: o.item.time,
          timezone: o.item.tz,
          at: new Date(o.at).toISOString(),
          zones: o.target.zones,
          sound: s ? this.sounds.toDto(s) : null,
        };
      }),
      cancelled_item_ids: cancelled,
    };
  }

  /** Which day each active schedule runs on each date of a range, and how many bells ring (in a zone when given). */
  async days(from: string, to: string, zone?: string | null) {
    for (const [field, v] of [
      ['from', from],
      ['to', to],
    ] as const)
      if (!isCalendarDate(v)) throw badRequest(`${field} must be YYYY-MM-DD`, { field });
    if (to < from) throw badRequest('to is before from', { field: 'to' });
    if (daysBetween(from, to) > MAX_CALENDAR_DAYS) throw badRequest(`At most ${MAX_CALENDAR_DAYS} days at once`, { field: 'to' });
    const plan = await this.loader.load();
    const names = new Map([...plan.schedules.values()].flatMap((s) => s.dayTypes.map((t) => [t.id, t.name] as const)));
    const out = [];
    for (let date = from; date <= to; date = addDays(date, 1)) {
      const rings = ringingOn(plan, date, zone);
      out.push({
        date,
        schedules: [...plan.schedules.values()].map((s) => {
          const d = dayOf(s, date);
          return {
            schedule_id: s.id,
            day: d.kind === 'none' ? null : d.kind === 'regular' ? 'regular' : names.get(d.id)!,
            day_type_id: d.kind === 'day_type' ? d.id : null,
            bells: rings.filter((o) => o.item.scheduleId === s.id).length,
          };
        }),
      });
    }
    return out;
  }

  private range(dto: { date?: string; start_date?: string; end_date?: string }): [string, string] {
    const start = dto.start_date ?? dto.date;
    const end = dto.end_date ?? dto.start_date ?? dto.date;
    if (!start || !end) throw badRequest('Give date, or start_date and end_date (YYYY-MM-DD)');
    for (const [field, v] of [
      ['start_date', start],
      ['end_date', end],
    ] as const)
      if (!isCalendarDate(v)) throw badRequest(`${field} must be YYYY-MM-DD`, { field });
    if (end < start) throw badRequest('end_date is before start_date', { field: 'end_date' });
    return [start, end];
  }

  private calendarChanged(): void {
    this.broadcaster.publish('bells.holidays_changed', {});
    this.broadcaster.publish('bells.schedules_changed', {});
  }
}
