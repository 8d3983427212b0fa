import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { BellRing } from './bell-ring.entity';

/**
 * sent: the player was online and was sent the bell; played / failed: it said
 * so with `bell_ack`; offline: it had no open socket when the bell rang.
 */
export type DeliveryStatus = 'sent' | 'played' | 'failed' | 'offline';

/** One player's part in one ring: the proof that a bell rang where it should. */
@Entity('bell_ring_deliveries')
export class BellDelivery {
  @PrimaryColumn({ name: 'ring_id', type: 'uuid' })
  ringId: string;

  @ManyToOne(() => BellRing, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ring_id', foreignKeyConstraintName: 'FK_bell_ring_deliveries_ring' })
  ring?: BellRing;

  @PrimaryColumn({ name: 'player_id', type: 'varchar', length: 80 })
  playerId: string;

  @Column({ type: 'varchar', length: 10 })
  status: DeliveryStatus;

  @Column({ name: 'acked_at', type: 'timestamptz', nullable: true })
  ackedAt: Date | null;
}
