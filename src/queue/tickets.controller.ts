import { Body, Controller, Get, HttpCode, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import { ParseIdPipe } from '../common/db-input';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal } from '../auth/authenticated.decorator';
import type { Principal } from '../auth/principal';
import { CalledTicketDto, CreatedTicketDto, CreateTicketDto, ListTicketsQuery, TicketDto, TransferTicketDto } from './dto/ticket.dto';
import { QueueFailureInterceptor } from './queue-failure.interceptor';
import { TicketsService } from './tickets.service';
import { Idempotent } from '../common/idempotency.interceptor';

const OPERATORS = ['admin', 'leader', 'officer'] as const;

@ApiTags('queue')
@Controller('api/queue/tickets')
@UseInterceptors(QueueFailureInterceptor)
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Post()
  @Authenticated({ roles: ['device:kiosk', 'leader', 'admin'] })
  @Idempotent()
  @ApiCreatedResponse({ type: CreatedTicketDto, description: 'Same frames as TICKET_CREATED: TICKET_CREATED to TVs and admins, then QUEUE_UPDATE' })
  create(@Body() dto: CreateTicketDto, @CurrentPrincipal() p: Principal): Promise<CreatedTicketDto> {
    return this.tickets.issue(p, dto.counter_id, dto.procedure_name, { requestId: dto.request_id });
  }

  @Get()
  @Authenticated({ roles: ['admin', 'leader', 'manager', 'officer'] })
  @ApiOkResponse({ type: [TicketDto], description: 'Tickets of one local day (default today), in queue order' })
  list(@Query() q: ListTicketsQuery): Promise<TicketDto[]> {
    return this.tickets.list(q);
  }

  @Get(':id')
  @Authenticated({ roles: ['admin', 'leader', 'manager', 'officer'] })
  @ApiOkResponse({ type: TicketDto })
  get(@Param('id', ParseIdPipe) id: number): Promise<TicketDto> {
    return this.tickets.get(id);
  }

  @Post(':id/recall')
  @HttpCode(200)
  @Authenticated({ roles: [...OPERATORS] })
  @ApiOkResponse({ type: CalledTicketDto, description: 'Announces the called ticket again (TICKET_ANNOUNCEMENT)' })
  recall(@Param('id', ParseIdPipe) id: number, @CurrentPrincipal() p: Principal): Promise<CalledTicketDto> {
    return this.tickets.recall(p, id);
  }

  @Post(':id/serve')
  @HttpCode(200)
  @Authenticated({ roles: [...OPERATORS] })
  @ApiOkResponse({ type: TicketDto, description: 'The visitor reached the counter: called → serving' })
  serve(@Param('id', ParseIdPipe) id: number, @CurrentPrincipal() p: Principal): Promise<TicketDto> {
    return this.tickets.serve(p, id);
  }

  @Post(':id/skip')
  @HttpCode(200)
  @Authenticated({ roles: [...OPERATORS] })
  @ApiOkResponse({ type: TicketDto, description: 'No-show: called (or waiting) → skipped' })
  skip(@Param('id', ParseIdPipe) id: number, @CurrentPrincipal() p: Principal): Promise<TicketDto> {
    return this.tickets.skip(p, id);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @Authenticated({ roles: [...OPERATORS] })
  @ApiOkResponse({ type: TicketDto })
  complete(@Param('id', ParseIdPipe) id: number, @CurrentPrincipal() p: Principal): Promise<TicketDto> {
    return this.tickets.complete(p, id);
  }

  @Post(':id/transfer')
  @HttpCode(200)
  @Authenticated({ roles: [...OPERATORS] })
  @ApiOkResponse({ type: TicketDto, description: 'The new waiting ticket at the other counter (same number, same place by creation time)' })
  transfer(@Param('id', ParseIdPipe) id: number, @Body() dto: TransferTicketDto, @CurrentPrincipal() p: Principal): Promise<TicketDto> {
    return this.tickets.transfer(p, id, dto.counter_id);
  }
}
