import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../../auth/entities/user.entity';
import { Counter } from './counter.entity';

/**
 * An officer's assignment: the one counter the officer may act on. One row per
 * officer (the primary key), so assigning an officer elsewhere moves them.
 */
@Entity('queue_counter_officers')
export class CounterOfficer {
  @Index('UQ_queue_counter_officers_user', { unique: true })
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Index('IDX_queue_counter_officers_counter')
  @PrimaryColumn({ name: 'counter_id', type: 'integer' })
  counterId: number;

  @ManyToOne(() => Counter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'counter_id', foreignKeyConstraintName: 'FK_queue_counter_officers_counter' })
  counter?: Counter;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_queue_counter_officers_user' })
  user?: User;
}
