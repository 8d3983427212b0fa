import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Counter } from './counter.entity';
import { Procedure } from './procedure.entity';

export const TICKET_STATUSES = ['waiting', 'called', 'serving', 'completed', 'skipped', 'expired', 'transferred'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/**
 * A visitor's ticket at one counter on one local day. A transfer closes the
 * ticket as `transferred` and opens a waiting copy at the other counter with
 * the same number and creation time, so it keeps its place.
 */
@Entity('queue_tickets')
@Index('IDX_queue_tickets_queue', ['counterId', 'day', 'status', 'createdAt'])
@Index('IDX_queue_tickets_day_status', ['day', 'status'])
export class Ticket {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'counter_id', type: 'integer' })
  counterId: number;

  @ManyToOne(() => Counter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'counter_id', foreignKeyConstraintName: 'FK_queue_tickets_counter' })
  counter?: Counter;

  @Column({ type: 'integer' })
  number: number;

  /** Local date in QUEUE_TIMEZONE the ticket was issued on (numbering restarts daily). */
  @Column({ type: 'date' })
  day: string;

  @Column({ type: 'varchar', length: 20 })
  status: TicketStatus;

  @Column({ name: 'procedure_id', type: 'integer', nullable: true })
  procedureId: number | null;

  @ManyToOne(() => Procedure, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'procedure_id', foreignKeyConstraintName: 'FK_queue_tickets_procedure' })
  procedure?: Procedure;

  @Column({ name: 'procedure_name', type: 'varchar', length: 200, nullable: true })
  procedureName: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'called_at', type: 'timestamptz', nullable: true })
  calledAt: Date | null;

  @Column({ name: 'serving_at', type: 'timestamptz', nullable: true })
  servingAt: Date | null;

  /** When it reached completed, skipped, expired or transferred. */
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ name: 'called_by', type: 'varchar', length: 200, nullable: true })
  calledBy: string | null;

  @Column({ name: 'recall_count', type: 'integer', default: 0 })
  recallCount: number;

  @Column({ name: 'transferred_to_counter_id', type: 'integer', nullable: true })
  transferredToCounterId: number | null;

  @Column({ name: 'transferred_from_ticket_id', type: 'integer', nullable: true })
  transferredFromTicketId: number | null;
}
