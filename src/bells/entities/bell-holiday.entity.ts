import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { BellSchedule } from './bell-schedule.entity';

/** Dates (inclusive range) on which no scheduled bell rings: everywhere, or only for one schedule or in one zone. */
@Entity('bell_holidays')
export class BellHoliday {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'start_date', type: 'date' })
  startDate: string;

  @Column({ name: 'end_date', type: 'date' })
  endDate: string;

  /** Only this schedule's bells are off; null: every schedule. */
  @Column({ name: 'schedule_id', type: 'uuid', nullable: true })
  scheduleId: string | null;

  @ManyToOne(() => BellSchedule, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'schedule_id', foreignKeyConstraintName: 'FK_bell_holidays_schedule' })
  schedule?: BellSchedule;

  /** Only this zone is off; null: every zone. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  zone: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
