import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal } from '../auth/authenticated.decorator';
import { Principal } from '../auth/principal';
import { ParseIdPipe } from '../common/db-input';
import { AvailabilityService } from './availability.service';
import {
  ApproveRequestDto,
  AvailabilityDto,
  AvailabilityViewDto,
  ClaimDto,
  CreateOpenShiftDto,
  CreateTimeOffDto,
  DecisionDto,
  ListOpenShiftsQuery,
  ListShiftRequestsQuery,
  ListTimeOffQuery,
  OfferShiftDto,
  OpenShiftViewDto,
  ShiftRequestViewDto,
  TimeOffViewDto,
} from './dto/planning.dto';
import { OpenShiftsService } from './open-shifts.service';
import { ShiftRequestsService } from './shift-requests.service';

const PLANNERS = ['admin', 'manager'] as const;
const STAFF = ['admin', 'manager', 'employee'] as const;

/** Availability and time off: employees for themselves, managers for anyone; managers decide time off. */
@ApiTags('schedules')
@Controller('api')
export class AvailabilityController {
  constructor(private readonly availability: AvailabilityService) {}

  @Get('availability/:employee_id')
  @Authenticated({ roles: [...STAFF] })
  @ApiOkResponse({ type: AvailabilityViewDto })
  get(@CurrentPrincipal() p: Principal, @Param('employee_id', ParseIdPipe) id: number): Promise<AvailabilityViewDto> {
    return this.availability.getAvailability(p, id);
  }

  @Put('availability/:employee_id')
  @Authenticated({ roles: [...STAFF] })
  @ApiOkResponse({ type: AvailabilityViewDto, description: 'Replaces the weekly windows; none: available any time' })
  set(@CurrentPrincipal() p: Principal, @Param('employee_id', ParseIdPipe) id: number, @Body() dto: AvailabilityDto): Promise<AvailabilityViewDto> {
    return this.availability.setAvailability(p, id, dto);
  }

  @Post('time-off')
  @Authenticated({ roles: [...STAFF] })
  @ApiCreatedResponse({ type: TimeOffViewDto, description: 'A pending request; managers are notified' })
  request(@CurrentPrincipal() p: Principal, @Body() dto: CreateTimeOffDto): Promise<TimeOffViewDto> {
    return this.availability.requestTimeOff(p, dto);
  }

  @Get('time-off')
  @Authenticated({ roles: [...STAFF] })
  @ApiOkResponse({ type: [TimeOffViewDto] })
  list(@CurrentPrincipal() p: Principal, @Query() q: ListTimeOffQuery): Promise<TimeOffViewDto[]> {
    return this.availability.listTimeOff(p, q);
  }

  @Post('time-off/:id/approve')
  @HttpCode(200)
  @Authenticated({ roles: [...PLANNERS] })
  @ApiOkResponse({ type: TimeOffViewDto, description: 'With conflicting_schedule_ids: shifts already planned in those days' })
  approve(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: number, @Body() dto: DecisionDto): Promise<TimeOffViewDto> {
    return this.availability.decide(id, p, true, dto.note);
  }

  @Post('time-off/:id/decline')
  @HttpCode(200)
  @Authenticated({ roles: [...PLANNERS] })
  @ApiOkResponse({ type: TimeOffViewDto })
  decline(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: number, @Body() dto: DecisionDto): Promise<TimeOffViewDto> {
    return this.availability.decide(id, p, false, dto.note);
  }

  @Post('time-off/:id/cancel')
  @HttpCode(200)
  @Authenticated({ roles: [...STAFF] })
  @ApiOkResponse({ type: TimeOffViewDto })
  cancel(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: number): Promise<TimeOffViewDto> {
    return this.availability.cancel(id, p);
  }
}

/** Open shifts and the claim, swap and drop requests a manager decides. */
@ApiTags('schedules')
@Controller('api')
export class ShiftRequestsController {
  constructor(
    private readonly openShifts: OpenShiftsService,
    private readonly requests: ShiftRequestsService,
  ) {}

  @Post('open-shifts')
  @Authenticated({ roles: [...PLANNERS] })
  @ApiCreatedResponse({ type: [OpenShiftViewDto], description: 'One open shift per person needed (`count`)' })
  createOpen(@Body() dto: CreateOpenShiftDto): Promise<OpenShiftViewDto[]> {
    return this.openShifts.create(dto);
  }

  @Get('open-shifts')
  @Authenticated({ roles: [...STAFF] })
  @ApiOkResponse({ type: [OpenShiftViewDto] })
  listOpen(@Query() q: ListOpenShiftsQuery): Promise<OpenShiftViewDto[]> {
    return this.openShifts.list(q);
  }

  @Delete('open-shifts/:id')
  @HttpCode(204)
  @Authenticated({ roles: [...PLANNERS] })
  removeOpen(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: number): Promise<void> {
    return this.openShifts.remove(id, p);
  }

  @Post('open-shifts/:id/claim')
  @Authenticated({ roles: ['employee'] })
  @ApiCreatedResponse({ type: ShiftRequestViewDto, description: 'A pending claim; managers are notified' })
  @ApiConflictResponse({ description: 'The claim breaks a planning rule (details.violations), or is already made' })
  claim(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: number, @Body() dto: ClaimDto): Promise<ShiftRequestViewDto> {
    return this.requests.claim(id, p, dto);
  }

  @Post('shift-requests')
  @Authenticated({ roles: ['employee'] })
  @ApiCreatedResponse({ type: ShiftRequestViewDto, description: 'Offer one of your shifts for a swap or a drop; managers (and a named colleague) are notified' })
  offer(@CurrentPrincipal() p: Principal, @Body() dto: OfferShiftDto): Promise<ShiftRequestViewDto> {
    return this.requests.offer(p, dto);
  }

  @Get('shift-requests')
  @Authenticated({ roles: [...STAFF] })
  @ApiOkResponse({ type: [ShiftRequestViewDto], description: 'Newest first' })
  list(@CurrentPrincipal() p: Principal, @Query() q: ListShiftRequestsQuery): Promise<ShiftRequestViewDto[]> {
    return this.requests.list(p, q);
  }

  @Post('shift-requests/:id/take')
  @HttpCode(200)
  @Authenticated({ roles: ['employee'] })
  @ApiOkResponse({ type: ShiftRequestViewDto, description: 'Offer to take a colleague’s swap' })
  take(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: number): Promise<ShiftRequestViewDto> {
    return this.requests.take(id, p);
  }

  @Post('shift-requests/:id/approve')
  @HttpCode(200)
  @Authenticated({ roles: [...PLANNERS] })
  @ApiOkResponse({ type: ShiftRequestViewDto })
  @ApiConflictResponse({ description: 'The change breaks a planning rule (details.violations), or the shift changed meanwhile' })
  approve(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: number, @Body() dto: ApproveRequestDto): Promise<ShiftRequestViewDto> {
    return this.requests.approve(id, p, dto);
  }

  @Post('shift-requests/:id/decline')
  @HttpCode(200)
  @Authenticated({ roles: [...PLANNERS] })
  @ApiOkResponse({ type: ShiftRequestViewDto })
  decline(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: number, @Body() dto: DecisionDto): Promise<ShiftRequestViewDto> {
    return this.requests.decline(id, p, dto.note);
  }

  @Post('shift-requests/:id/cancel')
  @HttpCode(200)
  @Authenticated({ roles: ['employee'] })
  @ApiOkResponse({ type: ShiftRequestViewDto })
  cancel(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: number): Promise<ShiftRequestViewDto> {
    return this.requests.cancel(id, p);
  }
}
