import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal } from '../auth/authenticated.decorator';
import { Principal } from '../auth/principal';
import { BroadcastDto, BroadcastSentDto, MaintenanceDto, MaintenanceSentDto } from './dto/system.dto';
import { SystemService } from './system.service';

/** `system/maintenance` and `system/broadcast` to every /ws/schedules connection. */
@ApiTags('schedules')
@Controller('api/system')
export class SystemController {
  constructor(private readonly system: SystemService) {}

  @Post('maintenance')
  @HttpCode(202)
  @Authenticated({ roles: ['admin', 'manager'] })
  @ApiAcceptedResponse({ type: MaintenanceSentDto, description: 'The data of the system/maintenance frame sent' })
  maintenance(@CurrentPrincipal() p: Principal, @Body() dto: MaintenanceDto): MaintenanceSentDto {
    const { sent_by: _sender, ...data } = this.system.maintenance(dto, p);
    return data;
  }

  @Post('broadcast')
  @HttpCode(202)
  @Authenticated({ roles: ['admin', 'manager'] })
  @ApiAcceptedResponse({ type: BroadcastSentDto, description: 'The data of the system/broadcast frame sent' })
  broadcast(@CurrentPrincipal() p: Principal, @Body() dto: BroadcastDto): BroadcastSentDto {
    return this.system.broadcast(dto, p);
  }
}
