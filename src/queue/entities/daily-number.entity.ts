import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Counter } from './counter.entity';

/**
 * The last number issued at a counter on a local day. Issuing upserts this row
 * (`INSERT … ON CONFLICT DO UPDATE … RETURNING`), which is atomic and holds
 * the row lock until commit, so two kiosks never get the same number.
 */
@Entity('queue_daily_numbers')
export class DailyNumber {
  @PrimaryColumn({ name: 'counter_id', type: 'integer' })
  counterId: number;

  @PrimaryColumn({ type: 'date' })
  day: string;

  @Column({ name: 'last_number', type: 'integer' })
  lastNumber: number;

  @ManyToOne(() => Counter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'counter_id', foreignKeyConstraintName: 'FK_queue_daily_numbers_counter' })
  counter?: Counter;
}
