import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const COUNTER_STATUSES = ['active', 'paused', 'offline'] as const;
export type CounterStatus = (typeof COUNTER_STATUSES)[number];

/** A service counter: where officers call tickets. Paused and offline counters issue and call none. */
@Entity('queue_counters')
export class Counter {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Index('UQ_queue_counters_name', { unique: true })
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 20, default: 'active' })
  status: CounterStatus;

  @Column({ name: 'status_reason', type: 'varchar', length: 1000, nullable: true })
  statusReason: string | null;

  /** Display name of whoever last changed the status. */
  @Column({ name: 'status_changed_by', type: 'varchar', length: 200, nullable: true })
  statusChangedBy: string | null;

  @Column({ name: 'status_changed_at', type: 'timestamptz', nullable: true })
  statusChangedAt: Date | null;

  /**
   * Bumped by every change to the counter or its queue, inside the changing
   * transaction (which also serializes changes per counter). Gateways drop a
   * snapshot older than one they already sent.
   */
  @Column({ type: 'integer', default: 0 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
