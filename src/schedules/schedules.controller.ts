import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ParseIdPipe } from '../common/db-input';
import { ApiConflictResponse, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal } from '../auth/authenticated.decorator';
import { Principal } from '../auth/principal';
import {
  CreateScheduleDto,
  DeclineScheduleDto,
  DeleteScheduleQuery,
  ListSchedulesQuery,
  PublishResultDto,
  PublishSchedulesDto,
  ScheduleChangesDto,
  ScheduleDto,
  UpdateScheduleDto,
} from './dto/schedule.dto';
import { ScheduleChangesService } from './schedule-changes.service';
import { changeRequest } from '../common/changes';
import { SchedulesService } from './schedules.service';
import { ScheduleAuditService } from './schedule-audit.service';
import { AuditEntryDto, AuditQuery } from './dto/audit.dto';
import { AutoFillDto, AutoFillResultDto, RulesDto, RulesViewDto } from './dto/planning.dto';
import { ScheduleRulesService } from './schedule-rules.service';
import { AutoFillService } from './auto-fill.service';

/** Admins and managers plan; an employee reads only their own schedules. */
@ApiTags('schedules')
@Controller('api/schedules')
export class SchedulesController {
  constructor(
    private readonly schedules: SchedulesService,
    private readonly audit: ScheduleAuditService,
    private readonly rules: ScheduleRulesService,
    private readonly fill: AutoFillService,
    private readonly changes: ScheduleChangesService,
  ) {}

  @Get()
  @Authenticated({ roles: ['admin', 'manager', 'employee'] })
  @ApiOkResponse({ type: [ScheduleDto], description: 'With `changed_since` or `cursor`: a ScheduleChangesDto (what changed since, for a client rebuilding its view)' })
  @ApiExtraModels(ScheduleChangesDto)
  list(@CurrentPrincipal() p: Principal, @Query() q: ListSchedulesQuery): Promise<ScheduleDto[] | ScheduleChangesDto> {
    const changes = changeRequest(q, 'changed_since', ['offset', 'from', 'to', 'status']);
    if (changes) return this.changes.list(p, q, changes);
    return this.schedules.list(p, q);
  }

  @Get('audit')
  @Authenticated({ roles: ['admin', 'manager'] })
  @ApiOkResponse({ type: [AuditEntryDto], description: 'Who changed which schedule, when, from what to what; newest first' })
  auditLog(@Query() q: AuditQuery): Promise<AuditEntryDto[]> {
    return this.audit.list(q);
  }

  @Get('rules')
  @Authenticated({ roles: ['admin', 'manager', 'employee'] })
  @ApiOkResponse({ type: RulesViewDto, description: 'The planning rules and the site time zone' })
  getRules(): Promise<RulesViewDto> {
    return this.rules.get();
  }

  @Put('rules')
  @Authenticated({ roles: ['admin', 'manager'] })
  @ApiOkResponse({ type: RulesViewDto })
  setRules(@Body() dto: RulesDto): Promise<RulesViewDto> {
    return this.rules.update(dto);
  }

  @Post('auto-fill')
  @HttpCode(200)
  @Authenticated({ roles: ['admin', 'manager'] })
  @ApiOkResponse({ type: AutoFillResultDto, description: 'Assigns the open shifts of the range as drafts (dry_run: only proposes), with a reason each, and lists what it could not fill and why' })
  autoFill(@CurrentPrincipal() p: Principal, @Body() dto: AutoFillDto): Promise<AutoFillResultDto> {
    return this.fill.run(dto, p);
  }

  @Get(':id')
  @Authenticated({ roles: ['admin', 'manager', 'employee'] })
  @ApiOkResponse({ type: ScheduleDto })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: number): Promise<ScheduleDto> {
    return this.schedules.get(p, id);
  }

  @Post()
  @Authenticated({ roles: ['admin', 'manager'] })
  @ApiCreatedResponse({ type: ScheduleDto })
  @ApiConflictResponse({
    description: 'The employee already works an overlapping shift, or the change breaks a planning rule (details.violations; override_reason plans it anyway where the rule allows)',
  })
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateScheduleDto): Promise<ScheduleDto> {
    return this.schedules.create(dto, p);
  }

  @Post('publish')
  @HttpCode(200)
  @Authenticated({ roles: ['admin', 'manager'] })
  @ApiOkResponse({ type: PublishResultDto, description: 'Every draft in the date range goes live; one summary notification per affected employee' })
  publish(@CurrentPrincipal() p: Principal, @Body() dto: PublishSchedulesDto): Promise<PublishResultDto> {
    return this.schedules.publish(dto.from, dto.to, p);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @Authenticated({ roles: ['employee'] })
  @ApiOkResponse({ type: ScheduleDto, description: 'The employee of a published shift accepts it: status confirmed' })
  accept(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: number): Promise<ScheduleDto> {
    return this.schedules.respond(id, p, true);
  }

  @Post(':id/decline')
  @HttpCode(200)
  @Authenticated({ roles: ['employee'] })
  @ApiOkResponse({ type: ScheduleDto, description: 'The employee of a published shift declines it: status declined (the reason goes to the audit log)' })
  decline(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: number, @Body() dto: DeclineScheduleDto): Promise<ScheduleDto> {
    return this.schedules.respond(id, p, false, dto.reason);
  }

  @Patch(':id')
  @Authenticated({ roles: ['admin', 'manager'] })
  @ApiOkResponse({ type: ScheduleDto })
  @ApiConflictResponse({
    description: 'The employee already works an overlapping shift, or the change breaks a planning rule (details.violations; override_reason plans it anyway where the rule allows)',
  })
  update(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: number, @Body() dto: UpdateScheduleDto): Promise<ScheduleDto> {
    return this.schedules.update(id, dto, p);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated({ roles: ['admin', 'manager'] })
  remove(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: number, @Query() q: DeleteScheduleQuery): Promise<void> {
    return this.schedules.remove(id, q.reason, p);
  }
}
