import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig, isValidTimezone } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { Clock } from '../common/clock';
import { badRequest, notFound } from '../common/app-error';
import { plainText } from '../common/plain-text';
import { Broadcaster } from '../realtime/broadcaster';
import { parseTime } from '../common/calendar';
import { CreateItemDto, CreateBellScheduleDto, DayTypeDto, ItemDto, BellScheduleDto, UpdateDayTypeDto, UpdateItemDto, UpdateBellScheduleDto } from './dto/schedule.dto';
import { BellDayType } from './entities/bell-day-type.entity';
import { BellScheduleItem } from './entities/bell-schedule-item.entity';
import { BellSchedule } from './entities/bell-schedule.entity';
import { BellSound } from './entities/bell-sound.entity';
import { BellsConfig } from './bells.config';

/** Schedules and their items; every change is `schedules_updated`. */
@Injectable()
export class BellSchedulesService {
  readonly defaultZone: string;

  constructor(
    @InjectRepository(BellSchedule) private readonly schedules: Repository<BellSchedule>,
    @InjectRepository(BellScheduleItem) private readonly items: Repository<BellScheduleItem>,
    @InjectRepository(BellSound) private readonly sounds: Repository<BellSound>,
    @InjectRepository(BellDayType) private readonly dayTypes: Repository<BellDayType>,
    private readonly broadcaster: Broadcaster,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.defaultZone = BellsConfig.read(config).BELLS_TIMEZONE;
  }

  zoneOf(s: BellSchedule): string {
    return s.timezone ?? this.defaultZone;
  }

  toDto(s: BellSchedule): BellScheduleDto {
    const items = [...(s.items ?? [])].sort((a, b) => a.time.localeCompare(b.time));
    return { id: s.id, name: s.name, days_of_week: [...s.daysOfWeek].sort(), active: s.active, timezone: this.zoneOf(s), items: items.map((i) => this.itemDto(i)) };
  }

  itemDto(i: BellScheduleItem): ItemDto {
    return { id: i.id, schedule_id: i.scheduleId, name: i.name, time: i.time, sound_id: i.soundId, day_type_id: i.dayTypeId, zones: i.zones };
  }

  list(): Promise<BellSchedule[]> {
    return this.schedules.find({ relations: { items: true }, order: { createdAt: 'ASC' } });
  }

  async get(id: string): Promise<BellSchedule> {
    const s = await this.schedules.findOne({ where: { id }, relations: { items: true } });
    if (!s) throw notFound('Schedule');
    return s;
  }

  async create(dto: CreateBellScheduleDto): Promise<BellSchedule> {
    const timezone = this.checkZone(dto.timezone);
    const s = await this.schedules.save(this.schedules.create({ name: this.text(dto.name), daysOfWeek: dto.days_of_week, active: dto.active ?? true, timezone, activeSince: this.clock.date() }));
    this.changed();
    return this.get(s.id);
  }

  async update(id: string, dto: UpdateBellScheduleDto): Promise<BellSchedule> {
    const s = await this.get(id);
    if (dto.name !== undefined) s.name = this.text(dto.name);
    if (dto.days_of_week !== undefined) s.daysOfWeek = dto.days_of_week;
    if (dto.timezone !== undefined) s.timezone = this.checkZone(dto.timezone);
    if (dto.active !== undefined) {
      if (dto.active && !s.active) s.activeSince = this.clock.date();
      s.active = dto.active;
    }
    const { items: _items, ...row } = s;
    await this.schedules.save(row);
    this.changed();
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    await this.get(id);
    await this.schedules.delete({ id });
    this.changed();
  }

  async addItem(scheduleId: string, dto: CreateItemDto): Promise<BellScheduleItem> {
    await this.get(scheduleId);
    const time = this.checkTime(dto.time);
    await this.checkSound(dto.sound_id);
    const dayTypeId = await this.checkDayType(scheduleId, dto.day_type_id);
    const item = await this.items.save(
      this.items.create({ scheduleId, name: this.text(dto.name), time, soundId: dto.sound_id, dayTypeId, zones: this.zones(dto.zones), effectiveFrom: this.clock.date() }),
    );
    this.changed();
    return item;
  }

  async getItem(id: string): Promise<BellScheduleItem> {
    const i = await this.items.findOne({ where: { id } });
    if (!i) throw notFound('Schedule item');
    return i;
  }

  async updateItem(id: string, dto: UpdateItemDto): Promise<BellScheduleItem> {
    const i = await this.getItem(id);
    if (dto.name !== undefined) i.name = this.text(dto.name);
    if (dto.time !== undefined) {
      const time = this.checkTime(dto.time);
      if (time !== i.time) i.effectiveFrom = this.clock.date();
      i.time = time;
    }
    if (dto.sound_id !== undefined) {
      await this.checkSound(dto.sound_id);
      i.soundId = dto.sound_id;
    }
    if (dto.day_type_id !== undefined) i.dayTypeId = await this.checkDayType(i.scheduleId, dto.day_type_id);
    if (dto.zones !== undefined) i.zones = this.zones(dto.zones);
    const saved = await this.items.save(i);
    this.changed();
    return saved;
  }

  async removeItem(id: string): Promise<void> {
    await this.getItem(id);
    await this.items.delete({ id });
    this.changed();
  }

  // ── day types ──

  dayTypeDto(t: BellDayType) {
    return { id: t.id, schedule_id: t.scheduleId, name: t.name, weekdays: [...t.weekdays].sort() };
  }

  async listDayTypes(scheduleId: string): Promise<BellDayType[]> {
    await this.get(scheduleId);
    return this.dayTypes.find({ where: { scheduleId }, order: { createdAt: 'ASC' } });
  }

  async addDayType(scheduleId: string, dto: DayTypeDto): Promise<BellDayType> {
    await this.get(scheduleId);
    const t = await this.dayTypes.save(this.dayTypes.create({ scheduleId, name: this.text(dto.name), weekdays: dto.weekdays ?? [] }));
    this.changed();
    return t;
  }

  async updateDayType(id: string, dto: UpdateDayTypeDto): Promise<BellDayType> {
    const t = await this.getDayType(id);
    if (dto.name !== undefined) t.name = this.text(dto.name);
    if (dto.weekdays !== undefined) t.weekdays = dto.weekdays;
    const saved = await this.dayTypes.save(t);
    this.changed();
    return saved;
  }

  /** Its items and overrides go with it. */
  async removeDayType(id: string): Promise<void> {
    await this.getDayType(id);
    await this.dayTypes.delete({ id });
    this.changed();
  }

  async getDayType(id: string): Promise<BellDayType> {
    const t = await this.dayTypes.findOne({ where: { id } });
    if (!t) throw notFound('Day type');
    return t;
  }

  /** A day type given for an item or an override must belong to the same schedule. */
  async checkDayType(scheduleId: string, id: string | null | undefined): Promise<string | null> {
    if (id === undefined || id === null) return null;
    const t = await this.dayTypes.findOne({ where: { id } });
    if (!t || t.scheduleId !== scheduleId) throw badRequest(`day_type_id: schedule ${scheduleId} has no day type ${id}`, { field: 'day_type_id' });
    return id;
  }

  private zones(zones: string[] | null | undefined): string[] | null {
    if (!zones) return null;
    const clean = [...new Set(zones.map((z) => plainText(z, 100)).filter(Boolean))];
    if (!clean.length) throw badRequest('zones must name at least one zone, or be null for every zone', { field: 'zones' });
    return clean;
  }

  private changed(): void {
    this.broadcaster.publish('bells.schedules_changed', {});
  }

  private text(v: string): string {
    const t = plainText(v, 200);
    if (!t) throw badRequest('name must contain text');
    return t;
  }

  private checkTime(time: string): string {
    const t = parseTime(time);
    if (!t) throw badRequest(`time must be HH:MM or HH:MM:SS (24-hour), got "${plainText(time, 20)}"`, { field: 'time' });
    return t;
  }

  private checkZone(zone: string | null | undefined): string | null {
    if (zone === undefined || zone === null || zone === '') return null;
    if (!isValidTimezone(zone)) throw badRequest(`timezone must be an IANA time zone such as Europe/Berlin, got "${plainText(zone, 64)}"`, { field: 'timezone' });
    return zone;
  }

  private async checkSound(id: string): Promise<void> {
    if (!(await this.sounds.exists({ where: { id } }))) throw badRequest(`sound_id: no sound ${id} exists`, { field: 'sound_id' });
  }
}
