import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from './authenticated.decorator';
import { RealtimeService } from '../realtime/realtime.service';
import { DevicesService } from './devices.service';
import { DeviceConnectionDto } from './dto/device-connection.dto';
import { CreateDeviceDto, CreatedDeviceDto, DeviceDto } from './dto/device.dto';

@ApiTags('devices')
@Controller('api/devices')
@Authenticated({ roles: ['admin'] })
export class DevicesController {
  constructor(
    private readonly devices: DevicesService,
    private readonly realtime: RealtimeService,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedDeviceDto, description: 'The token is shown only here' })
  async create(@Body() dto: CreateDeviceDto): Promise<CreatedDeviceDto> {
    const { device, token } = await this.devices.create(dto);
    return { ...DeviceDto.of(device), token };
  }

  @Get()
  @ApiOkResponse({ type: [DeviceDto] })
  async list(): Promise<DeviceDto[]> {
    return (await this.devices.list()).map(DeviceDto.of);
  }

  /** Devices and registered clients connected now on every instance, oldest first (declared before `:id`). */
  @Get('connections')
  @ApiOkResponse({ type: [DeviceConnectionDto] })
  connections(): Promise<DeviceConnectionDto[]> {
    return this.realtime.listedConnections();
  }

  @Get(':id')
  @ApiOkResponse({ type: DeviceDto })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<DeviceDto> {
    return DeviceDto.of(await this.devices.get(id));
  }

  @Delete(':id')
  @HttpCode(204)
  revoke(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.devices.revoke(id);
  }
}
