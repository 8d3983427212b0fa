import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated, CurrentPrincipal, OptionalPrincipal } from '../auth/authenticated.decorator';
import { Audience, Principal, ROLES } from '../auth/principal';
import { CheckInsService } from './check-ins.service';
import { CheckInChangesDto, CheckInFrameDto, CheckInListDto, CheckInRowDto } from './dto/check-in.dto';
import { changeRequest } from '../common/changes';
import {
  CheckInListQuery,
  CheckInRequestDto,
  CreateEventSessionDto,
  EventSessionDto,
  EventSessionPageQuery,
  RegisterDto,
  RegistrationDto,
  ScanDto,
  CheckinTicketDto,
  UpdateEventSessionDto,
} from './dto/event-session.dto';
import { EventSessionsService } from './event-sessions.service';

/** Users create and read sessions; scanners read them too (to pick one) and check people in. */
const USERS_AND_SCANNERS: readonly Audience[] = [...ROLES, 'device:scanner'];

/** Event sessions (docs/protocols/dashboard.md): the creator hosts; the host or an admin manages. */
@ApiTags('check-in')
@Controller('api/event-sessions')
export class EventSessionsController {
  constructor(
    private readonly sessions: EventSessionsService,
    private readonly checkIns: CheckInsService,
  ) {}

  @Post()
  @Authenticated({ roles: ROLES })
  @ApiCreatedResponse({ type: EventSessionDto, description: 'The caller becomes the host; `warnings` when the session has already ended' })
  async create(@CurrentPrincipal() p: Principal, @Body() dto: CreateEventSessionDto): Promise<EventSessionDto> {
    return this.sessions.written(await this.sessions.create(p, dto));
  }

  @Get()
  @Authenticated({ roles: USERS_AND_SCANNERS })
  @ApiOkResponse({ type: [EventSessionDto], description: 'By start time' })
  async list(@Query() q: EventSessionPageQuery): Promise<EventSessionDto[]> {
    return (await this.sessions.list(Math.min(q.limit ?? 100, 500), q.offset ?? 0)).map((s) => this.sessions.view(s));
  }

  @Get(':id')
  @Authenticated({ roles: USERS_AND_SCANNERS })
  @ApiOkResponse({ type: EventSessionDto })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<EventSessionDto> {
    return this.sessions.view(await this.sessions.get(id));
  }

  @Patch(':id')
  @Authenticated({ roles: ROLES })
  @ApiOkResponse({ type: EventSessionDto, description: 'Host or admin; `warnings` when the session has already ended' })
  async update(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateEventSessionDto): Promise<EventSessionDto> {
    return this.sessions.written(await this.sessions.update(p, id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated({ roles: ROLES })
  @ApiNoContentResponse({ description: 'Host or admin; its dashboards close with 4404' })
  remove(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.sessions.remove(p, id);
  }

  @Post(':id/registrations')
  @Authenticated({ roles: ROLES })
  @ApiCreatedResponse({ type: RegistrationDto, description: 'Host or admin' })
  @ApiOkResponse({ type: RegistrationDto, description: 'Already registered: the registration as it was' })
  async register(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: RegisterDto, @Res({ passthrough: true }) res: Response): Promise<RegistrationDto> {
    const { registration, created } = await this.sessions.register(p, id, dto);
    res.status(created ? 201 : 200);
    return registration;
  }

  @Get(':id/registrations')
  @Authenticated({ roles: ROLES })
  @ApiOkResponse({ type: [RegistrationDto], description: 'Host or admin' })
  registrations(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<RegistrationDto[]> {
    return this.sessions.registrations(p, id);
  }

  @Get(':id/registrations/:userId/ticket')
  @Authenticated({ roles: ROLES })
  @ApiOkResponse({ type: CheckinTicketDto, description: 'Host or admin: the signed ticket and its QR code (SVG)' })
  ticket(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Param('userId', ParseUUIDPipe) userId: string): Promise<CheckinTicketDto> {
    return this.sessions.ticket(p, id, userId);
  }

  @Delete(':id/registrations/:userId')
  @HttpCode(204)
  @Authenticated({ roles: ROLES })
  @ApiNoContentResponse({ description: 'Host or admin' })
  unregister(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Param('userId', ParseUUIDPipe) userId: string): Promise<void> {
    return this.sessions.unregister(p, id, userId);
  }

  @Post(':id/scans')
  @Authenticated({ roles: USERS_AND_SCANNERS })
  @ApiCreatedResponse({ type: CheckInFrameDto, description: 'Checked in (host, admin or scanner device)' })
  @ApiOkResponse({ type: CheckInFrameDto, description: 'A recorded unsuccessful attempt, or a scan id sent before (what it did then, `replayed: true`)' })
  async scan(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ScanDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CheckInFrameDto & { replayed: boolean }> {
    const { frame, replayed } = await this.checkIns.scan(p, id, dto);
    res.status(frame.success && !replayed ? 201 : 200);
    return { ...frame, replayed };
  }

  @Delete(':id/check-ins/:checkInId')
  @Authenticated({ roles: ROLES })
  @ApiOkResponse({ type: CheckInRowDto, description: 'Host or admin: the check-in, now `undone`; the person may check in again' })
  undo(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Param('checkInId', ParseUUIDPipe) checkInId: string): Promise<CheckInRowDto> {
    return this.checkIns.undo(p, id, checkInId);
  }

  @Post(':id/check-ins')
  @Authenticated({ roles: USERS_AND_SCANNERS })
  @ApiCreatedResponse({ type: CheckInFrameDto, description: 'Checked in (host, admin or scanner device)' })
  @ApiOkResponse({ type: CheckInFrameDto, description: 'A recorded unsuccessful attempt: already checked in, not registered, not open yet or closed' })
  async checkIn(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CheckInRequestDto, @Res({ passthrough: true }) res: Response): Promise<CheckInFrameDto> {
    const frame = await this.checkIns.checkIn(p, id, dto.user_id);
    res.status(frame.success ? 201 : 200);
    return frame;
  }

  @Get(':id/check-ins')
  @Authenticated({ roles: USERS_AND_SCANNERS, optional: true })
  @ApiOkResponse({
    type: CheckInListDto,
    description: 'Attempts newest first, and counts. Public sessions: no token needed (like their dashboard). Private sessions: host or admin. With `since` or `cursor`: a CheckInChangesDto',
  })
  @ApiExtraModels(CheckInChangesDto)
  checkInList(@OptionalPrincipal() p: Principal | null, @Param('id', ParseUUIDPipe) id: string, @Query() q: CheckInListQuery): Promise<CheckInListDto | CheckInChangesDto> {
    const changes = changeRequest(q, 'since', ['offset']);
    if (changes) return this.checkIns.changes(p, id, changes);
    return this.checkIns.list(p, id, q.limit, q.offset);
  }
}
