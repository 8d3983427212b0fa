import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A local day whose rollover ran; claimed by inserting the row, so it runs once across instances and restarts. */
@Entity('queue_rollovers')
export class Rollover {
  @PrimaryColumn({ type: 'date' })
  day: string;

  @Column({ name: 'ran_at', type: 'timestamptz' })
  ranAt: Date;

  @Column({ name: 'expired_tickets', type: 'integer' })
  expiredTickets: number;
}
