import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const DEVICE_KINDS = ['kiosk', 'display', 'player', 'camera', 'scanner'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/** A screen, player, kiosk, camera or scanner that signs in with its own token. */
@Entity('devices')
export class Device {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 20 })
  kind: DeviceKind;

  @Column({ name: 'counter_id', type: 'integer', nullable: true })
  counterId: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  location: string | null;

  /** sha256 hex of the device token, shown once at creation. */
  @Index('UQ_devices_token_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
