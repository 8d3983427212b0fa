import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ParseIdPipe } from '../common/db-input';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal } from '../auth/authenticated.decorator';
import { Principal } from '../auth/principal';
import { CreateScheduleDto, DeleteScheduleQuery, ListSchedulesQuery, ScheduleDto, UpdateScheduleDto } from './dto/schedule.dto';
import { SchedulesService } from './schedules.service';

/** Admins and managers plan; an employee reads only their own schedules. */
@ApiTags('schedules')
@Controller('api/schedules')
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  @Get()
  @Authenticated({ roles: ['admin', 'manager', 'employee'] })
  @ApiOkResponse({ type: [ScheduleDto] })
  list(@CurrentPrincipal() p: Principal, @Query() q: ListSchedulesQuery): Promise<ScheduleDto[]> {
    return this.schedules.list(p, q);
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
  @ApiConflictResponse({ description: 'The employee already works an overlapping shift' })
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateScheduleDto): Promise<ScheduleDto> {
    return this.schedules.create(dto, p);
  }

  @Patch(':id')
  @Authenticated({ roles: ['admin', 'manager'] })
  @ApiOkResponse({ type: ScheduleDto })
  @ApiConflictResponse({ description: 'The employee already works an overlapping shift' })
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
