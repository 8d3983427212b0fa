import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Counter } from './counter.entity';
import { Procedure } from './procedure.entity';

/** Which procedures a counter serves. */
@Entity('queue_counter_procedures')
export class CounterProcedure {
  @PrimaryColumn({ name: 'counter_id', type: 'integer' })
  counterId: number;

  @Index('IDX_queue_counter_procedures_procedure')
  @PrimaryColumn({ name: 'procedure_id', type: 'integer' })
  procedureId: number;

  @ManyToOne(() => Counter, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'counter_id', foreignKeyConstraintName: 'FK_queue_counter_procedures_counter' })
  counter?: Counter;

  @ManyToOne(() => Procedure, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'procedure_id', foreignKeyConstraintName: 'FK_queue_counter_procedures_procedure' })
  procedure?: Procedure;
}
