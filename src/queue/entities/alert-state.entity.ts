import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A raised alert condition (`high_queue:3`, `counter_offline:2`, …). An alert
 * is sent only when its row is inserted and the row is deleted when the
 * condition clears, so it is not repeated across instances or restarts.
 */
@Entity('queue_alert_states')
export class AlertState {
  @PrimaryColumn({ type: 'varchar', length: 120 })
  key: string;

  @Column({ name: 'raised_at', type: 'timestamptz' })
  raisedAt: Date;
}
