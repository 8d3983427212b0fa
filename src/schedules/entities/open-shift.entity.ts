import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Shift } from './shift.entity';

/** A shift on a date that nobody works yet: claimed by an employee or filled by auto-fill, it becomes a schedule. */
@Entity('open_shifts')
@Index('IDX_open_shifts_date', ['date'])
export class OpenShift {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_open_shifts' })
  id: number;

  @Column({ name: 'shift_id', type: 'integer' })
  shiftId: number;

  @ManyToOne(() => Shift, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'shift_id', foreignKeyConstraintName: 'FK_open_shifts_shift' })
  shift?: Shift;

  @Column({ type: 'date' })
  date: string;

  /** Only employees with this job role may take it; null: anyone. */
  @Column({ name: 'job_role', type: 'varchar', length: 100, nullable: true })
  jobRole: string | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
