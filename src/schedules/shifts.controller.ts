import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ParseIdPipe } from '../common/db-input';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/authenticated.decorator';
import { CreateShiftDto, ShiftDto, UpdateShiftDto } from './dto/shift.dto';
import { shiftView, ShiftsService } from './shifts.service';

@ApiTags('schedules')
@Controller('api/shifts')
export class ShiftsController {
  constructor(private readonly shifts: ShiftsService) {}

  @Get()
  @Authenticated()
  @ApiOkResponse({ type: [ShiftDto] })
  async list(): Promise<ShiftDto[]> {
    return (await this.shifts.list()).map(shiftView);
  }

  @Get(':id')
  @Authenticated()
  @ApiOkResponse({ type: ShiftDto })
  async get(@Param('id', ParseIdPipe) id: number): Promise<ShiftDto> {
    return shiftView(await this.shifts.get(id));
  }

  @Post()
  @Authenticated({ roles: ['admin', 'manager'] })
  @ApiCreatedResponse({ type: ShiftDto })
  async create(@Body() dto: CreateShiftDto): Promise<ShiftDto> {
    return shiftView(await this.shifts.create(dto));
  }

  @Patch(':id')
  @Authenticated({ roles: ['admin', 'manager'] })
  @ApiOkResponse({ type: ShiftDto })
  async update(@Param('id', ParseIdPipe) id: number, @Body() dto: UpdateShiftDto): Promise<ShiftDto> {
    return shiftView(await this.shifts.update(id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated({ roles: ['admin', 'manager'] })
  @ApiConflictResponse({ description: 'Schedules still use this shift' })
  remove(@Param('id', ParseIdPipe) id: number): Promise<void> {
    return this.shifts.remove(id);
  }
}
