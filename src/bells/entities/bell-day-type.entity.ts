import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { BellSchedule } from './bell-schedule.entity';

/**
 * A named set of bell times of a schedule (early release, exam day,
 * assembly). The schedule's own items without a day type are its regular
 * day. A day type applies on its `weekdays` by default and on the dates a
 * day override names.
 */
@Entity('bell_day_types')
export class BellDayType {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('IDX_bell_day_types_schedule')
  @Column({ name: 'schedule_id', type: 'uuid' })
  scheduleId: string;

  @ManyToOne(() => BellSchedule, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'schedule_id', foreignKeyConstraintName: 'FK_bell_day_types_schedule' })
  schedule?: BellSchedule;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** 0 = Sunday … 6 = Saturday: weekdays on which this day type replaces the regular day. */
  @Column({ type: 'integer', array: true, default: () => "'{}'" })
  weekdays: number[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
