import { ApiProperty } from '@nestjs/swagger';
import { Optional } from '../../common/optional';
import { IsIn, IsInt, IsString, MaxLength, Min, MinLength } from 'class-validator';
import { Device, DEVICE_KINDS, DeviceKind } from '../entities/device.entity';

export class CreateDeviceDto {
  /** @example "Hall TV 1" */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @IsIn(DEVICE_KINDS)
  kind: DeviceKind;

  /** Queue counter a kiosk or display belongs to */
  @Optional()
  @IsInt()
  @Min(1)
  counter_id?: number;

  /** @example "main-hall" */
  @Optional()
  @IsString()
  @MaxLength(200)
  location?: string;
}

export class DeviceDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  name: string;
  kind: DeviceKind;
  counter_id: number | null;
  location: string | null;
  created_at: string;
  revoked_at: string | null;

  static of(d: Device): DeviceDto {
    return { id: d.id, name: d.name, kind: d.kind, counter_id: d.counterId, location: d.location, created_at: d.createdAt.toISOString(), revoked_at: d.revokedAt?.toISOString() ?? null };
  }
}

export class CreatedDeviceDto extends DeviceDto {
  /** The device token. Shown only in this response; store it on the device. */
  token: string;
}
