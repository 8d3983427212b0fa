import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiNotModifiedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createReadStream } from 'node:fs';
import { memoryStorage } from 'multer';
import { Authenticated } from '../auth/authenticated.decorator';
import { AppError, ErrorCode } from '../common/app-error';
import { sendAppError } from '../common/http-exception.filter';
import { BellSchedulesService } from './bell-schedules.service';
import { BellSoundsService } from './bell-sounds.service';
import { BellsService } from './bells.service';
import { BellsStateService } from './bells-state.service';
import { RealtimeService } from '../realtime/realtime.service';
import { CancelDto, CreateItemDto, CreateScheduleDto, HolidayDto, ItemDto, RingDto, ScheduleDto, StateDto, UpdateItemDto, UpdateScheduleDto } from './dto/schedule.dto';
import { RenameSoundDto, SoundDto, UploadSoundDto } from './dto/sound.dto';

/** Upload cap enforced by multer before the bytes reach memory; the service checks the configured cap. */
const UPLOAD_LIMIT = 64 * 1024 * 1024;

/** Bells REST (PROTOCOLS §4): admins write, any authenticated principal (players included) reads. */
@ApiTags('bells')
@Controller('api/bells')
export class BellsController {
  constructor(
    private readonly sounds: BellSoundsService,
    private readonly schedules: BellSchedulesService,
    private readonly bells: BellsService,
    private readonly state: BellsStateService,
    private readonly realtime: RealtimeService,
  ) {}

  // ── sounds ──

  @Post('sounds')
  @Authenticated({ roles: ['admin'] })
  @UseInterceptors(FileInterceptor('file', { storage: memoryStorage(), limits: { fileSize: UPLOAD_LIMIT, files: 1 } }))
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
    const etag = `"${s.checksum}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'private, no-cache');
    const inm = req.headers['if-none-match'];
    if (inm && inm.split(',').some((t) => t.trim() === etag || t.trim() === '*')) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Type', s.mimeType);
    res.setHeader('Content-Length', String(s.size));
    res.setHeader('Content-Disposition', `inline; filename="${s.fileName}"`);
    createReadStream(this.sounds.pathOf(s))
      .on('error', () => (res.headersSent ? res.destroy() : sendAppError(res, new AppError(ErrorCode.NOT_FOUND, 'Sound file missing'))))
      .pipe(res);
  }

  // ── schedules and items ──

  @Get('schedules')
  @Authenticated()
  @ApiOkResponse({ type: [ScheduleDto] })
  async listSchedules(): Promise<ScheduleDto[]> {
    return (await this.schedules.list()).map((s) => this.schedules.toDto(s));
  }

  @Post('schedules')
  @Authenticated({ roles: ['admin'] })
  @ApiCreatedResponse({ type: ScheduleDto })
  async createSchedule(@Body() dto: CreateScheduleDto): Promise<ScheduleDto> {
    return this.schedules.toDto(await this.schedules.create(dto));
  }

  @Get('schedules/:id')
  @Authenticated()
  @ApiOkResponse({ type: ScheduleDto })
  async getSchedule(@Param('id', ParseUUIDPipe) id: string): Promise<ScheduleDto> {
    return this.schedules.toDto(await this.schedules.get(id));
  }

  @Patch('schedules/:id')
  @Authenticated({ roles: ['admin'] })
  @ApiOkResponse({ type: ScheduleDto })
  async updateSchedule(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateScheduleDto): Promise<ScheduleDto> {
    return this.schedules.toDto(await this.schedules.update(id, dto));
  }

  @Put('schedules/:id')
  @Authenticated({ roles: ['admin'] })
  @ApiOkResponse({ type: ScheduleDto })
  async replaceSchedule(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateScheduleDto): Promise<ScheduleDto> {
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
  cancel(@Param('id', ParseUUIDPipe) id: string, @Body() dto: CancelDto) {
    return this.bells.cancel(id, dto.date);
  }

  // ── ringing, state, holidays, log, players ──

  @Post('ring')
  @HttpCode(202)
  @Authenticated({ roles: ['admin'] })
  @ApiOkResponse({ description: 'The ring log entry' })
  async ring(@Body() dto: RingDto) {
    const r = await this.bells.ring(dto.sound_id, dto.name);
    return { id: r.id, sound_id: r.soundId, name: r.name, at: r.at.toISOString() };
  }

  @Get('state')
  @Authenticated()
  @ApiOkResponse({ description: '{state: "active" | "paused"}' })
  async getState() {
    return { state: await this.state.get() };
  }

  @Put('state')
  @Authenticated({ roles: ['admin'] })
  @ApiOkResponse({ description: '{state}' })
  async setState(@Body() dto: StateDto) {
    return { state: await this.state.set(dto.state) };
  }

  @Get('holidays')
  @Authenticated()
  async listHolidays() {
    return (await this.bells.listHolidays()).map((h) => ({ id: h.id, name: h.name, start_date: h.startDate, end_date: h.endDate }));
  }

  @Post('holidays')
  @Authenticated({ roles: ['admin'] })
  async addHoliday(@Body() dto: HolidayDto) {
    const h = await this.bells.addHoliday(dto);
    return { id: h.id, name: h.name, start_date: h.startDate, end_date: h.endDate };
  }

  @Delete('holidays/:id')
  @HttpCode(204)
  @Authenticated({ roles: ['admin'] })
  removeHoliday(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.bells.removeHoliday(id);
  }

  @Get('rings')
  @Authenticated()
  @ApiQuery({ name: 'limit', required: false, description: 'Newest first; default 100, at most 1000' })
  async rings(@Query('limit') limit?: string) {
    const n = Math.min(Math.max(Number(limit) || 100, 1), 1000);
    return (await this.bells.listRings(n)).map((r) => ({
      id: r.id,
      schedule_item_id: r.scheduleItemId,
      occurrence_date: r.occurrenceDate,
      sound_id: r.soundId,
      name: r.name,
      scheduled_for: r.scheduledFor?.toISOString() ?? null,
      at: r.at.toISOString(),
      outcome: r.outcome,
      manual: r.manual,
    }));
  }

  @Get('upcoming')
  @Authenticated()
  @ApiQuery({ name: 'date', required: false, description: 'YYYY-MM-DD; default today in BELLS_TIMEZONE' })
  upcoming(@Query('date') date?: string) {
    return this.bells.upcoming(date);
  }

  @Get('clients')
  @Authenticated()
  @ApiOkResponse({ description: 'The bells connections on every instance, as in connected_clients' })
  async clients() {
    return (await this.realtime.cluster.clients('bells')).sort((a, b) => String(a.connected_since).localeCompare(String(b.connected_since)));
  }
}
