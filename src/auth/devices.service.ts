import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { notFound } from '../common/app-error';
import { plainText } from '../common/plain-text';
import { Broadcaster } from '../realtime/broadcaster';
import { CreateDeviceDto } from './dto/device.dto';
import { Device } from './entities/device.entity';
import { sha256Hex } from './token-hash';
import { TokenService } from './token.service';

@Injectable()
export class DevicesService {
  constructor(
    @InjectRepository(Device) private readonly devices: Repository<Device>,
    private readonly tokens: TokenService,
    private readonly broadcaster: Broadcaster,
    private readonly clock: Clock,
  ) {}

  /** Creates a device and returns its token, which is never shown again. */
  async create(dto: CreateDeviceDto): Promise<{ device: Device; token: string }> {
    const id = randomUUID();
    const token = this.tokens.signDevice(id);
    const device = await this.devices.save(
      this.devices.create({
        id,
        name: plainText(dto.name, 200),
        kind: dto.kind,
        counterId: dto.counter_id ?? null,
        location: dto.location !== undefined ? plainText(dto.location, 200) : null,
        tokenHash: sha256Hex(token),
        revokedAt: null,
      }),
    );
    return { device, token };
  }

  list(): Promise<Device[]> {
    return this.devices.find({ order: { createdAt: 'ASC' } });
  }

  async get(id: string): Promise<Device> {
    const device = await this.devices.findOne({ where: { id } });
    if (!device) throw notFound('Device');
    return device;
  }

  /** The token stops working everywhere and the device's sockets close. */
  async revoke(id: string): Promise<void> {
    const device = await this.get(id);
    if (!device.revokedAt) {
      device.revokedAt = this.clock.date();
      await this.devices.save(device);
    }
    this.broadcaster.publish('realtime.principal_revoked', { kind: 'device', id });
  }
}
