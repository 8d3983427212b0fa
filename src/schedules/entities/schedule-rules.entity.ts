import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { OverridableRule } from '../schedule-rules';

/** The site's planning rules: one row (id 1); no row means no limits beyond overlap. */
@Entity('schedule_rules')
export class ScheduleRulesRow {
  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'PK_schedule_rules' })
  id: number;

  @Column({ name: 'min_rest_hours', type: 'double precision', nullable: true })
  minRestHours: number | null;

  @Column({ name: 'max_hours_per_day', type: 'double precision', nullable: true })
  maxHoursPerDay: number | null;

  @Column({ name: 'max_hours_per_week', type: 'double precision', nullable: true })
  maxHoursPerWeek: number | null;

  /** Rules a manager may break with a recorded reason. */
  @Column({ type: 'jsonb' })
  overridable: OverridableRule[];

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
