import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { BellScheduleItem } from './bell-schedule-item.entity';

/** One occurrence of an item that must not ring. */
@Entity('bell_cancellations')
@Index('UQ_bell_cancellations', ['scheduleItemId', 'date'], { unique: true })
export class BellCancellation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'schedule_item_id', type: 'uuid' })
  scheduleItemId: string;

  @ManyToOne(() => BellScheduleItem, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'schedule_item_id', foreignKeyConstraintName: 'FK_bell_cancellations_item' })
  item?: BellScheduleItem;

  @Column({ type: 'date' })
  date: string;

  /** Who cancelled it (`user:<id> <name>`). */
  @Column({ type: 'varchar', length: 300, nullable: true })
  actor: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
