import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Employee } from '../../employees/entities/employee.entity';

export const SHIFT_REQUEST_KINDS = ['claim', 'swap', 'drop'] as const;
export type ShiftRequestKind = (typeof SHIFT_REQUEST_KINDS)[number];
export const SHIFT_REQUEST_STATUSES = ['pending', 'approved', 'declined', 'cancelled'] as const;
export type ShiftRequestStatus = (typeof SHIFT_REQUEST_STATUSES)[number];

/**
 * An employee asks to change who works a shift, and a manager decides:
 * claim an open shift, hand one of theirs to a colleague (swap), or give one
 * up (drop: it becomes open). The ids it points to are kept as plain numbers:
 * the request stays readable after the shift it named is gone.
 */
@Entity('shift_requests')
@Index('IDX_shift_requests_status', ['status', 'createdAt'])
export class ShiftRequest {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_shift_requests' })
  id: number;

  @Column({ type: 'varchar', length: 10 })
  kind: ShiftRequestKind;

  @Column({ type: 'varchar', length: 10, default: 'pending' })
  status: ShiftRequestStatus;

  /** Who asks. */
  @Column({ name: 'employee_id', type: 'integer' })
  employeeId: number;

  @ManyToOne(() => Employee, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'employee_id', foreignKeyConstraintName: 'FK_shift_requests_employee' })
  employee?: Employee;

  /** claim: the open shift. */
  @Column({ name: 'open_shift_id', type: 'integer', nullable: true })
  openShiftId: number | null;

  /** swap, drop: the requester's schedule. */
  @Column({ name: 'schedule_id', type: 'integer', nullable: true })
  scheduleId: number | null;

  /** swap: the colleague who takes the shift over (named at once, or who offers later). */
  @Column({ name: 'target_employee_id', type: 'integer', nullable: true })
  targetEmployeeId: number | null;

  @ManyToOne(() => Employee, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'target_employee_id', foreignKeyConstraintName: 'FK_shift_requests_target' })
  target?: Employee | null;

  /** The shift's date, for listing by week. */
  @Column({ type: 'date' })
  date: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'decided_by_id', type: 'uuid', nullable: true })
  decidedById: string | null;

  @Column({ name: 'decided_by_name', type: 'varchar', length: 200, nullable: true })
  decidedByName: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'decision_note', type: 'text', nullable: true })
  decisionNote: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
