import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { BellDayType } from './bell-day-type.entity';
import { BellSchedule } from './bell-schedule.entity';
import { BellSound } from './bell-sound.entity';

/** One bell of a schedule: a wall-clock time, a name and a sound. */
@Entity('bell_schedule_items')
export class BellScheduleItem {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('IDX_bell_items_schedule')
  @Column({ name: 'schedule_id', type: 'uuid' })
  scheduleId: string;

  @ManyToOne(() => BellSchedule, (s) => s.items, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'schedule_id', foreignKeyConstraintName: 'FK_bell_items_schedule' })
  schedule?: BellSchedule;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** HH:MM:SS, local to the schedule's time zone. */
  @Column({ type: 'varchar', length: 8 })
  time: string;

  @Index('IDX_bell_items_sound')
  @Column({ name: 'sound_id', type: 'uuid' })
  soundId: string;

  @ManyToOne(() => BellSound, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'sound_id', foreignKeyConstraintName: 'FK_bell_items_sound' })
  sound?: BellSound;

  /** The day type it belongs to; null: the schedule's regular day. */
  @Column({ name: 'day_type_id', type: 'uuid', nullable: true })
  dayTypeId: string | null;

  @ManyToOne(() => BellDayType, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'day_type_id', foreignKeyConstraintName: 'FK_bell_items_day_type' })
  dayType?: BellDayType;

  /** The zones it rings in; null: every zone. */
  @Column({ type: 'varchar', length: 100, array: true, nullable: true })
  zones: string[] | null;

  /** Occurrences before this (clock) time never ring: an item made or moved to a time just passed is not rung late. */
  @Column({ name: 'effective_from', type: 'timestamptz' })
  effectiveFrom: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
