import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { BellDayType } from './bell-day-type.entity';
import { BellSchedule } from './bell-schedule.entity';

/** "On these dates this schedule runs that day type" (null: its regular day), whatever the weekday. */
@Entity('bell_day_overrides')
@Index('IDX_bell_day_overrides_schedule', ['scheduleId', 'startDate'])
export class BellDayOverride {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'schedule_id', type: 'uuid' })
  scheduleId: string;

  @ManyToOne(() => BellSchedule, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'schedule_id', foreignKeyConstraintName: 'FK_bell_day_overrides_schedule' })
  schedule?: BellSchedule;

  @Column({ name: 'day_type_id', type: 'uuid', nullable: true })
  dayTypeId: string | null;

  @ManyToOne(() => BellDayType, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'day_type_id', foreignKeyConstraintName: 'FK_bell_day_overrides_day_type' })
  dayType?: BellDayType;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'start_date', type: 'date' })
  startDate: string;

  /** Inclusive. */
  @Column({ name: 'end_date', type: 'date' })
  endDate: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
