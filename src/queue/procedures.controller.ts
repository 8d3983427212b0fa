import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, UseInterceptors } from '@nestjs/common';
import { ParseIdPipe } from '../common/db-input';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/authenticated.decorator';
import { CreateProcedureDto, ProcedureDto, UpdateProcedureDto } from './dto/procedure.dto';
import { ProceduresService } from './procedures.service';
import { QueueFailureInterceptor } from './queue-failure.interceptor';

@ApiTags('queue')
@Controller('api/queue/procedures')
@UseInterceptors(QueueFailureInterceptor)
export class ProceduresController {
  constructor(private readonly procedures: ProceduresService) {}

  @Get()
  @Authenticated()
  @ApiOkResponse({ type: [ProcedureDto] })
  list(): Promise<ProcedureDto[]> {
    return this.procedures.list();
  }

  @Get(':id')
  @Authenticated()
  @ApiOkResponse({ type: ProcedureDto })
  get(@Param('id', ParseIdPipe) id: number): Promise<ProcedureDto> {
    return this.procedures.get(id);
  }

  @Post()
  @Authenticated({ roles: ['admin'] })
  @ApiCreatedResponse({ type: ProcedureDto })
  create(@Body() dto: CreateProcedureDto): Promise<ProcedureDto> {
    return this.procedures.create(dto);
  }

  @Patch(':id')
  @Authenticated({ roles: ['admin'] })
  @ApiOkResponse({ type: ProcedureDto })
  update(@Param('id', ParseIdPipe) id: number, @Body() dto: UpdateProcedureDto): Promise<ProcedureDto> {
    return this.procedures.update(id, dto);
  }

  @Put(':id')
  @Authenticated({ roles: ['admin'] })
  @ApiOkResponse({ type: ProcedureDto, description: 'Same as PATCH' })
  replace(@Param('id', ParseIdPipe) id: number, @Body() dto: UpdateProcedureDto): Promise<ProcedureDto> {
    return this.procedures.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated({ roles: ['admin'] })
  @ApiNoContentResponse()
  remove(@Param('id', ParseIdPipe) id: number): Promise<void> {
    return this.procedures.remove(id);
  }
}
