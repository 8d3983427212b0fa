import { Body, Controller, Get, HttpCode, Param, Post, Query, UseInterceptors } from '@nestjs/common';
import { ParseIdPipe } from '../common/db-input';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal } from '../auth/authenticated.decorator';
import type { Principal } from '../auth/principal';
import { CalledTicketDto, CreatedTicketDto, CreateTicketDto, ListTicketsQuery, PostponeTicketDto, TicketDto, TransferTicketDto } from './dto/ticket.dto';
import { QueueFailureInterceptor } from './queue-failure.interceptor';
import { TicketsService } from './tickets.service';

const OPERATORS = ['admin', 'leader', 'officer'] as const;

@ApiTags('queue')
@Controller('api/queue/tickets')
@UseInterceptors(QueueFailureInterceptor)
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Post()
  @Authenticated({ roles: ['device:kiosk', 'leader', 'admin'] })
  @ApiCreatedResponse({ type: CreatedTicketDto, description: 'Same frames as TICKET_CREATED: TICKET_CREATED to TVs and admins, then QUEUE_UPDATE' })
  create(@Body() dto: CreateTicketDto, @CurrentPrincipal() p: Principal): Promise<CreatedTicketDto> {
    return this.tickets.issue(p, dto);
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
  @ApiOkResponse({ type: CalledTicketDto, description: 'Announces a called ticket again, or calls a no-show again at its counter (at most QUEUE_NO_SHOW_RECALLS times): TICKET_ANNOUNCEMENT' })
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

  @Post(':id/no-show')
  @HttpCode(200)
  @Authenticated({ roles: [...OPERATORS] })
  @ApiOkResponse({ type: TicketDto, description: 'Called and not served within QUEUE_NO_SHOW_MINUTES: skipped, or expired once its recalls are used up' })
  noShow(@Param('id', ParseIdPipe) id: number, @CurrentPrincipal() p: Principal): Promise<TicketDto> {
    return this.tickets.noShow(p, id);
  }

  @Post(':id/postpone')
  @HttpCode(200)
  @Authenticated({ roles: [...OPERATORS] })
  @ApiOkResponse({ type: TicketDto, description: 'A waiting or called ticket goes back `places` tickets in its line and waits' })
  postpone(@Param('id', ParseIdPipe) id: number, @Body() dto: PostponeTicketDto, @CurrentPrincipal() p: Principal): Promise<TicketDto> {
    return this.tickets.postpone(p, id, dto.places);
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
  @ApiOkResponse({ type: TicketDto, description: 'The new waiting ticket at the other counter or service (same number; placed first, last or by its original time)' })
  transfer(@Param('id', ParseIdPipe) id: number, @Body() dto: TransferTicketDto, @CurrentPrincipal() p: Principal): Promise<TicketDto> {
    return this.tickets.transfer(p, id, dto);
  }
}
