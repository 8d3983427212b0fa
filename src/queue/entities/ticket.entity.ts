import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Counter } from './counter.entity';
import { Procedure } from './procedure.entity';

export const TICKET_STATUSES = ['waiting', 'called', 'serving', 'completed', 'skipped', 'expired', 'transferred'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/**
 * A visitor's ticket on one local day, at one counter or (pooled) in the
 * queue of a service until a counter offering it calls it. A transfer closes
 * the ticket as `transferred` and opens a waiting copy at the other counter or
 * service with the same number, placed first, last or by its original time.
 */
@Entity('queue_tickets')
@Index('IDX_queue_tickets_queue', ['counterId', 'day', 'status', 'createdAt'])
@Index('IDX_queue_tickets_day_status', ['day', 'status'])
@Index('IDX_queue_tickets_pool', ['procedureId', 'day', 'status'])
export class Ticket {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  /** Null while a pooled ticket waits; the calling counter once called. */
  @Column({ name: 'counter_id', type: 'integer', nullable: true })
  counterId: number | null;

  /** Any open counter offering its service may call it. */
  @Column({ type: 'boolean', default: false })
  pooled: boolean;

  @ManyToOne(() => Counter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'counter_id', foreignKeyConstraintName: 'FK_queue_tickets_counter' })
  counter?: Counter;

  @Column({ type: 'integer' })
  number: number;

  /** What the visitor holds and the screens show: the service prefix and the number (`A012`), or the number alone. */
  @Column({ name: 'display_number', type: 'varchar', length: 16 })
  displayNumber: string;

  /** A configured priority class (QUEUE_PRIORITY_CLASSES) or null for a normal ticket. */
  @Column({ name: 'priority_class', type: 'varchar', length: 40, nullable: true })
  priorityClass: string | null;

  /**
   * Place in line (smaller goes first): the creation time in epoch ms, moved
   * by a postpone or a transfer placed first or last.
   */
  @Column({ type: 'double precision' })
  position: number;

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

  /** How many times it was called again after a no-show (at most QUEUE_NO_SHOW_RECALLS). */
  @Column({ name: 'no_show_recalls', type: 'integer', default: 0 })
  noShowRecalls: number;

  /** Why it was transferred here, for the officer who receives it. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  note: string | null;

  @Column({ name: 'transferred_to_counter_id', type: 'integer', nullable: true })
  transferredToCounterId: number | null;

  @Column({ name: 'transferred_from_ticket_id', type: 'integer', nullable: true })
  transferredFromTicketId: number | null;
}
