import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Procedure } from './procedure.entity';

/**
 * The last number issued for a service (procedure) on a local day: tickets of
 * a service with a prefix, and pooled tickets, are numbered per service so
 * `A012` is unique that day whichever counter serves it. Upserted like
 * queue_daily_numbers.
 */
@Entity('queue_service_numbers')
export class ServiceNumber {
  @PrimaryColumn({ name: 'procedure_id', type: 'integer' })
  procedureId: number;

  @PrimaryColumn({ type: 'date' })
  day: string;

  @Column({ name: 'last_number', type: 'integer' })
  lastNumber: number;

  @ManyToOne(() => Procedure, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'procedure_id', foreignKeyConstraintName: 'FK_queue_service_numbers_procedure' })
  procedure?: Procedure;
}
