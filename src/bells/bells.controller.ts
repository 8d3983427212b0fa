import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query, Req, Res, UploadedFile } from '@nestjs/common';
import { FileUpload } from '../common/file-upload';
import { BellsConfig } from './bells.config';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiNotModifiedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { notFound } from '../common/app-error';
import { sendMedia } from '../media/send-media';
import { Authenticated, CurrentPrincipal } from '../auth/authenticated.decorator';
import type { Principal } from '../auth/principal';
import { actorOf } from './bells-actor';
import { BellsPlayersService } from './bells-players.service';
import { BellDayOverride } from './entities/bell-day-override.entity';
import { BellHoliday } from './entities/bell-holiday.entity';
import { BellRing } from './entities/bell-ring.entity';
import { BellSchedulesService } from './bell-schedules.service';
import { BellSoundsService } from './bell-sounds.service';
import { BellsService } from './bells.service';
import { BellsStateService } from './bells-state.service';
import { RealtimeService } from '../realtime/realtime.service';
import { changeRequest } from '../common/changes';
import {
  CancelDto,
  CreateItemDto,
  CreateBellScheduleDto,
  DayOverrideDto,
  DayTypeDto,
  HolidayDto,
  ItemDto,
  RingDto,
  RingsQuery,
  BellScheduleDto,
  StateDto,
  UpdateDayTypeDto,
  UpdateItemDto,
  UpdateBellScheduleDto,
  UpcomingQuery,
} from './dto/schedule.dto';
import { RenameSoundDto, SoundDto, UploadSoundDto } from './dto/sound.dto';

/** Bells REST (PROTOCOLS §4): admins write, any authenticated principal (players included) reads. */
@ApiTags('bells')
@Controller('api/bells')
export class BellsController {
  constructor(
    private readonly sounds: BellSoundsService,
    private readonly schedules: BellSchedulesService,
    private readonly bells: BellsService,
    private readonly state: BellsStateService,
    private readonly players: BellsPlayersService,
    private readonly realtime: RealtimeService,
  ) {}

  // ── sounds ──

  @Post('sounds')
  @Authenticated({ roles: ['admin'] })
  @FileUpload({ field: 'file', maxBytes: (c) => BellsConfig.read(c).BELLS_MAX_SOUND_BYTES, what: 'sound' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadSoundDto })
  @ApiCreatedResponse({ type: SoundDto })
  async upload(@UploadedFile() file: Express.Multer.File | undefined, @Body() body: UploadSoundDto): Promise<SoundDto> {
    return this.sounds.toDto(await this.sounds.upload(file, body.name));
  }

  @Get('sounds')
  @Authenticated()
  @ApiOkResponse({ type: [SoundDto] })
  async listSounds(): Promise<SoundDto[]> {
    return (await this.sounds.list()).map((s) => this.sounds.toDto(s));
  }

  @Get('sounds/:id')
  @Authenticated()
  @ApiOkResponse({ type: SoundDto })
  async getSound(@Param('id', ParseUUIDPipe) id: string): Promise<SoundDto> {
    return this.sounds.toDto(await this.sounds.get(id));
  }

  @Patch('sounds/:id')
  @Authenticated({ roles: ['admin'] })
  @ApiOkResponse({ type: SoundDto })
  async renameSound(@Param('id', ParseUUIDPipe) id: string, @Body() dto: RenameSoundDto): Promise<SoundDto> {
    return this.sounds.toDto(await this.sounds.rename(id, dto.name));
  }

  @Delete('sounds/:id')
  @HttpCode(204)
  @Authenticated({ roles: ['admin'] })
  removeSound(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.sounds.remove(id);
  }

  /** The bytes, with a strong ETag of their sha256; If-None-Match → 304, so players cache by checksum. */
  @Get('sounds/:id/file')
  @Authenticated({ queryToken: true })
  @ApiOkResponse({ description: 'The audio bytes' })
  @ApiNotModifiedResponse({ description: 'If-None-Match matched the checksum' })
  async download(@Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const s = await this.sounds.get(id);
    const file = await this.sounds.open(s);
    if (!file) throw notFound('Sound file');
    sendMedia(res, file, { cacheControl: 'private, no-cache', etag: `"${s.checksum}"`, ifNoneMatch: req.headers['if-none-match'], contentDisposition: `inline; filename="${s.fileName}"` });
  }

  // ── schedules and items ──

  @Get('schedules')
  @Authenticated()
  @ApiOkResponse({ type: [BellScheduleDto] })
  async listSchedules(): Promise<BellScheduleDto[]> {
    return (await this.schedules.list()).map((s) => this.schedules.toDto(s));
  }

  @Post('schedules')
  @Authenticated({ roles: ['admin'] })
  @ApiCreatedResponse({ type: BellScheduleDto })
  async createSchedule(@Body() dto: CreateBellScheduleDto): Promise<BellScheduleDto> {
    return this.schedules.toDto(await this.schedules.create(dto));
  }

  @Get('schedules/:id')
  @Authenticated()
  @ApiOkResponse({ type: BellScheduleDto })
  async getSchedule(@Param('id', ParseUUIDPipe) id: string): Promise<BellScheduleDto> {
    return this.schedules.toDto(await this.schedules.get(id));
  }

  @Patch('schedules/:id')
  @Authenticated({ roles: ['admin'] })
  @ApiOkResponse({ type: BellScheduleDto })
  async updateSchedule(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateBellScheduleDto): Promise<BellScheduleDto> {
    return this.schedules.toDto(await this.schedules.update(id, dto));
  }

  @Put('schedules/:id')
  @Authenticated({ roles: ['admin'] })
  @ApiOkResponse({ type: BellScheduleDto })
  async replaceSchedule(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateBellScheduleDto): Promise<BellScheduleDto> {
    return this.schedules.toDto(await this.schedules.update(id, dto));
  }

  @Delete('schedules/:id')
  @HttpCode(204)
  @Authenticated({ roles: ['admin'] })
  removeSchedule(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.schedules.remove(id);
  }

  @Post('schedules/:id/items')
  @Authenticated({ roles: ['admin'] })
  @ApiCreatedResponse({ type: ItemDto })
  async addItem(@Param('id', ParseUUIDPipe) id: string, @Body() dto: CreateItemDto): Promise<ItemDto> {
    return this.schedules.itemDto(await this.schedules.addItem(id, dto));
  }

  @Get('items/:id')
  @Authenticated()
  @ApiOkResponse({ type: ItemDto })
  async getItem(@Param('id', ParseUUIDPipe) id: string): Promise<ItemDto> {
    return this.schedules.itemDto(await this.schedules.getItem(id));
  }

  @Patch('items/:id')
  @Authenticated({ roles: ['admin'] })
  @ApiOkResponse({ type: ItemDto })
  async updateItem(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateItemDto): Promise<ItemDto> {
    return this.schedules.itemDto(await this.schedules.updateItem(id, dto));
  }

  @Delete('items/:id')
  @HttpCode(204)
  @Authenticated({ roles: ['admin'] })
  removeItem(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.schedules.removeItem(id);
  }

  @Post('items/:id/cancel')
  @HttpCode(200)
  @Authenticated({ roles: ['admin'] })
  @ApiOkResponse({ description: '{schedule_item_id, date}: the cancelled occurrence' })
  cancel(@Param('id', ParseUUIDPipe) id: string, @Body() dto: CancelDto, @CurrentPrincipal() p: Principal) {
    return this.bells.cancel(id, dto.date, p);
  }

  /** Takes a cancellation back (bell_uncancelled); 404 when that occurrence was not cancelled. */
  @Delete('items/:id/cancellations/:date')
  @HttpCode(204)
  @Authenticated({ roles: ['admin'] })
  uncancel(@Param('id', ParseUUIDPipe) id: string, @Param('date') date: string, @CurrentPrincipal() p: Principal): Promise<void> {
    return this.bells.uncancel(id, date, p);
  }

  @Get('cancellations')
  @Authenticated()
  async cancellations() {
    return (await this.bells.listCancellations()).map((c) => ({ schedule_item_id: c.scheduleItemId, date: c.date, cancelled_by: c.actor, created_at: c.createdAt.toISOString() }));
  }

  // ── day types and overrides ──

  @Get('schedules/:id/day-types')
  @Authenticated()
  async dayTypes(@Param('id', ParseUUIDPipe) id: string) {
    return (await this.schedules.listDayTypes(id)).map((t) => this.schedules.dayTypeDto(t));
  }

  @Post('schedules/:id/day-types')
  @Authenticated({ roles: ['admin'] })
  async addDayType(@Param('id', ParseUUIDPipe) id: string, @Body() dto: DayTypeDto) {
    return this.schedules.dayTypeDto(await this.schedules.addDayType(id, dto));
  }

  @Patch('day-types/:id')
  @Authenticated({ roles: ['admin'] })
  async updateDayType(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateDayTypeDto) {
    return this.schedules.dayTypeDto(await this.schedules.updateDayType(id, dto));
  }

  @Delete('day-types/:id')
  @HttpCode(204)
  @Authenticated({ roles: ['admin'] })
  removeDayType(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.schedules.removeDayType(id);
  }

  @Get('schedules/:id/overrides')
  @Authenticated()
  async overrides(@Param('id', ParseUUIDPipe) id: string) {
    return (await this.bells.listOverrides(id)).map((o) => overrideDto(o));
  }

  @Post('schedules/:id/overrides')
  @Authenticated({ roles: ['admin'] })
  async addOverride(@Param('id', ParseUUIDPipe) id: string, @Body() dto: DayOverrideDto) {
    return overrideDto(await this.bells.addOverride(id, dto));
  }

  @Delete('overrides/:id')
  @HttpCode(204)
  @Authenticated({ roles: ['admin'] })
  removeOverride(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.bells.removeOverride(id);
  }

  @Get('days')
  @Authenticated()
  @ApiQuery({ name: 'from', description: 'YYYY-MM-DD' })
  @ApiQuery({ name: 'to', description: 'YYYY-MM-DD, inclusive; at most 400 days after from' })
  @ApiQuery({ name: 'zone', required: false })
  @ApiOkResponse({ description: 'Per date, which day each active schedule runs (regular, a day type, or null) and how many bells ring' })
  days(@Query('from') from: string, @Query('to') to: string, @Query('zone') zone?: string) {
    return this.bells.days(String(from ?? ''), String(to ?? ''), zone);
  }

  // ── ringing, state, holidays, log, players ──

  @Post('ring')
  @HttpCode(202)
  @Authenticated({ roles: ['admin'] })
  @ApiOkResponse({ description: 'The ring log entry; its id is the ringId players acknowledge and GET /rings/:id reports on' })
  async ring(@Body() dto: RingDto, @CurrentPrincipal() p: Principal) {
    return ringDto(await this.bells.ring(dto, p));
  }

  @Get('state')
  @Authenticated()
  @ApiOkResponse({ description: '{state: "active" | "paused", paused_until, changed_by, changed_at}' })
  getState() {
    return this.state.view();
  }

  @Put('state')
  @Authenticated({ roles: ['admin'] })
  @ApiOkResponse({ description: '{state, paused_until, changed_by, changed_at}' })
  setState(@Body() dto: StateDto, @CurrentPrincipal() p: Principal) {
    return this.state.set(dto.state, actorOf(p), dto.until);
  }

  @Get('holidays')
  @Authenticated()
  async listHolidays() {
    return (await this.bells.listHolidays()).map((h) => holidayDto(h));
  }

  @Post('holidays')
  @Authenticated({ roles: ['admin'] })
  async addHoliday(@Body() dto: HolidayDto) {
    return holidayDto(await this.bells.addHoliday(dto));
  }

  @Delete('holidays/:id')
  @HttpCode(204)
  @Authenticated({ roles: ['admin'] })
  removeHoliday(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.bells.removeHoliday(id);
  }

  @Get('rings')
  @Authenticated()
  @ApiOkResponse({
    description: 'Newest first; `limit` defaults to 100, at most 1000. With `since` or `cursor`: `{items, as_of, next_cursor, has_more}`, the entries written since, oldest first',
  })
  async rings(@Query() q: RingsQuery) {
    const changes = changeRequest(q, 'since');
    if (changes) {
      const page = await this.bells.ringChanges(changes, q.kind);
      return { ...page, items: page.items.map((r) => ringDto(r)) };
    }
    return (await this.bells.listRings(Math.min(q.limit ?? 100, 1000), q.kind)).map((r) => ringDto(r));
  }

  @Get('rings/:id')
  @Authenticated()
  @ApiOkResponse({ description: 'The ring, and per targeted player: played, failed, no_ack (sent, not acknowledged) or offline' })
  async ringReport(@Param('id', ParseUUIDPipe) id: string) {
    const r = await this.bells.ringReport(id);
    return { ...ringDto(r.ring), players: r.players, summary: r.summary };
  }

  @Get('players')
  @Authenticated()
  async listPlayers() {
    return (await this.players.list()).map((p) => ({ id: p.id, name: p.name, zone: p.zone, last_seen_at: p.lastSeenAt.toISOString() }));
  }

  /** Forgets a retired player, so it no longer counts as offline for every bell. */
  @Delete('players/:id')
  @HttpCode(204)
  @Authenticated({ roles: ['admin'] })
  removePlayer(@Param('id') id: string): Promise<void> {
    return this.players.remove(id);
  }

  @Get('upcoming')
  @Authenticated()
  upcoming(@Query() q: UpcomingQuery) {
    return this.bells.upcoming(q.date, q.zone);
  }

  @Get('clients')
  @Authenticated()
  @ApiOkResponse({ description: 'The bells connections on every instance, as in connected_clients' })
  async clients() {
    return (await this.realtime.cluster.clients('bells')).sort((a, b) => String(a.connected_since).localeCompare(String(b.connected_since)));
  }
}

function ringDto(r: BellRing) {
  return {
    id: r.id,
    schedule_item_id: r.scheduleItemId,
    occurrence_date: r.occurrenceDate,
    sound_id: r.soundId,
    name: r.name,
    scheduled_for: r.scheduledFor?.toISOString() ?? null,
    at: r.at.toISOString(),
    outcome: r.outcome,
    manual: r.manual,
    kind: r.kind,
    zones: r.zones,
    player_id: r.playerId,
    rung_by: r.actor,
  };
}

function holidayDto(h: BellHoliday) {
  return { id: h.id, name: h.name, start_date: h.startDate, end_date: h.endDate, schedule_id: h.scheduleId, zone: h.zone };
}

function overrideDto(o: BellDayOverride) {
  return { id: o.id, schedule_id: o.scheduleId, name: o.name, start_date: o.startDate, end_date: o.endDate, day_type_id: o.dayTypeId };
}
