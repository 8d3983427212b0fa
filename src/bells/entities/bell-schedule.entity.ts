import { Column, CreateDateColumn, Entity, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { BellScheduleItem } from './bell-schedule-item.entity';

/** A bell timetable: which days it applies, whether it is on, and its time zone. */
@Entity('bell_schedules')
export class BellSchedule {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** 0 = Sunday … 6 = Saturday. */
  @Column({ name: 'days_of_week', type: 'integer', array: true })
  daysOfWeek: number[];

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** IANA zone; null means BELLS_TIMEZONE. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  timezone: string | null;

  /** When it was last switched on (clock time); earlier occurrences never ring late. */
  @Column({ name: 'active_since', type: 'timestamptz' })
  activeSince: Date;

  @OneToMany(() => BellScheduleItem, (i) => i.schedule)
  items?: BellScheduleItem[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
