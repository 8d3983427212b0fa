import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Employee } from '../../employees/entities/employee.entity';
import { Shift } from './shift.entity';

export const SCHEDULE_STATUSES = ['scheduled', 'confirmed', 'completed', 'cancelled', 'no_show', 'declined'] as const;
export type ScheduleStatus = (typeof SCHEDULE_STATUSES)[number];

/** One employee working one shift on one date. */
@Entity('schedules')
@Index('IDX_schedules_employee_date', ['employeeId', 'date'])
@Index('IDX_schedules_date', ['date'])
@Index('IDX_schedules_updated', ['updatedAt'])
export class Schedule {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'employee_id', type: 'integer' })
  employeeId: number;

  /** An employee's schedules go with the employee. */
  @ManyToOne(() => Employee, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'employee_id', foreignKeyConstraintName: 'FK_schedules_employee' })
  employee?: Employee;

  @Index('IDX_schedules_shift')
  @Column({ name: 'shift_id', type: 'integer' })
  shiftId: number;

  /** A shift in use cannot be deleted (409). */
  @ManyToOne(() => Shift, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'shift_id', foreignKeyConstraintName: 'FK_schedules_shift' })
  shift?: Shift;

  /** Calendar date `YYYY-MM-DD` (kept a string by the pg type parser). */
  @Column({ type: 'date' })
  date: string;

  @Column({ type: 'varchar', length: 20, default: 'scheduled' })
  status: ScheduleStatus;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  /** A draft (false) is seen by managers only and announced to nobody until the week is published. */
  @Column({ type: 'boolean', default: true })
  published: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
