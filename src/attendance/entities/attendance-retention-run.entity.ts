import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A local day whose retention ran; claimed by inserting the row, so it runs once across instances and restarts. */
@Entity('attendance_retention_runs')
export class AttendanceRetentionRun {
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'PK_attendance_retention_runs' })
  day: string;

  @Column({ name: 'ran_at', type: 'timestamptz' })
  ranAt: Date;

  /** How many of each kind the run deleted. */
  @Column({ type: 'jsonb', default: {} })
  deleted: Record<string, number>;
}
