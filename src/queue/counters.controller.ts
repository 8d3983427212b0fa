import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, UseInterceptors } from '@nestjs/common';
import { ParseIdPipe } from '../common/db-input';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal } from '../auth/authenticated.decorator';
import type { Principal } from '../auth/principal';
import { CountersService } from './counters.service';
import { CounterDto, CounterStatusDto, CreateCounterDto, UpdateCounterDto } from './dto/counter.dto';
import { CallNextDto, CalledTicketDto } from './dto/ticket.dto';
import { QueueFailureInterceptor } from './queue-failure.interceptor';
import { TicketsService } from './tickets.service';

@ApiTags('queue')
@Controller('api/queue/counters')
@UseInterceptors(QueueFailureInterceptor)
export class CountersController {
  constructor(
    private readonly counters: CountersService,
    private readonly tickets: TicketsService,
  ) {}

  @Get()
  @Authenticated()
  @ApiOkResponse({ type: [CounterDto] })
  list(): Promise<CounterDto[]> {
    return this.counters.list();
  }

  @Get(':id')
  @Authenticated()
  @ApiOkResponse({ type: CounterDto })
  get(@Param('id', ParseIdPipe) id: number): Promise<CounterDto> {
    return this.counters.get(id);
  }

  @Post()
  @Authenticated({ roles: ['admin'] })
  @ApiCreatedResponse({ type: CounterDto })
  create(@Body() dto: CreateCounterDto, @CurrentPrincipal() p: Principal): Promise<CounterDto> {
    return this.counters.create(dto, p);
  }

  @Patch(':id')
  @Authenticated({ roles: ['admin'] })
  @ApiOkResponse({ type: CounterDto })
  update(@Param('id', ParseIdPipe) id: number, @Body() dto: UpdateCounterDto, @CurrentPrincipal() p: Principal): Promise<CounterDto> {
    return this.counters.update(id, dto, p);
  }

  @Put(':id')
  @Authenticated({ roles: ['admin'] })
  @ApiOkResponse({ type: CounterDto, description: 'Same as PATCH: fields left out stay as they are' })
  replace(@Param('id', ParseIdPipe) id: number, @Body() dto: UpdateCounterDto, @CurrentPrincipal() p: Principal): Promise<CounterDto> {
    return this.counters.update(id, dto, p);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated({ roles: ['admin'] })
  @ApiNoContentResponse({ description: 'Deleted with its tickets' })
  remove(@Param('id', ParseIdPipe) id: number): Promise<void> {
    return this.counters.remove(id);
  }

  @Put(':id/status')
  @Authenticated({ roles: ['admin', 'leader', 'officer'] })
  @ApiOkResponse({ type: CounterDto, description: 'Also sent as COUNTER_STATUS_UPDATE to every registered client' })
  setStatus(@Param('id', ParseIdPipe) id: number, @Body() dto: CounterStatusDto, @CurrentPrincipal() p: Principal): Promise<CounterDto> {
    return this.counters.setStatus(id, dto, p);
  }

  @Post(':id/call-next')
  @HttpCode(200)
  @Authenticated({ roles: ['admin', 'leader', 'officer'] })
  @ApiOkResponse({ type: CalledTicketDto, description: 'Same frames as CALL_TICKET: TICKET_ANNOUNCEMENT and QUEUE_UPDATE' })
  callNext(@Param('id', ParseIdPipe) id: number, @Body() dto: CallNextDto, @CurrentPrincipal() p: Principal): Promise<CalledTicketDto> {
    return this.tickets.call(p, id, dto);
  }
}
