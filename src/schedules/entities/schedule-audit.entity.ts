import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const AUDIT_ACTIONS = ['created', 'updated', 'deleted'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * Who changed which schedule, when, from what to what. Written in the same
 * transaction as the change, so the log and the schedules never disagree;
 * kept after the schedule is deleted (no foreign keys), with names as they were.
 */
@Entity('schedule_audit')
@Index('IDX_schedule_audit_schedule', ['scheduleId', 'at'])
@Index('IDX_schedule_audit_at', ['at'])
export class ScheduleAudit {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_schedule_audit' })
  id: number;

  @Column({ name: 'schedule_id', type: 'integer' })
  scheduleId: number;

  @Column({ type: 'varchar', length: 10 })
  action: AuditAction;

  /** The employee the schedule belongs to after the change (before it, for a deletion). */
  @Column({ name: 'employee_id', type: 'integer' })
  employeeId: number;

  /** Set when the change moved the schedule from another employee. */
  @Column({ name: 'previous_employee_id', type: 'integer', nullable: true })
  previousEmployeeId: number | null;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_name', type: 'varchar', length: 200 })
  actorName: string;

  @Column({ type: 'timestamptz' })
  at: Date;

  /** The tracked fields before the change (null for a creation). */
  @Column({ type: 'jsonb', nullable: true })
  before: Record<string, unknown> | null;

  /** The tracked fields after the change (null for a deletion). */
  @Column({ type: 'jsonb', nullable: true })
  after: Record<string, unknown> | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;
}
