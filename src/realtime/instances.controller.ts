import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/authenticated.decorator';
import { InstanceDto } from './dto/instance.dto';
import { RealtimeService } from './realtime.service';

@ApiTags('instances')
@Controller('api/instances')
@Authenticated({ roles: ['admin'] })
export class InstancesController {
  constructor(private readonly realtime: RealtimeService) {}

  /** Every live instance of the cluster with its sockets and traffic per gateway, by id. */
  @Get()
  @ApiOkResponse({ type: [InstanceDto] })
  list(): Promise<InstanceDto[]> {
    return this.realtime.instances();
  }
}
