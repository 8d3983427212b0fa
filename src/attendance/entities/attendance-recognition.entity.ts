import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AttendanceClient } from './attendance-client.entity';
import { AttendanceVisit } from './attendance-visit.entity';

/**
 * One recognition a camera posted, kept so a retry with the same event id
 * (per sender) is answered with the original result instead of a second visit.
 * It says who was seen when, so it goes with its visit and its client.
 */
@Entity('attendance_recognitions')
@Index('UQ_attendance_recognitions_source_event', ['source', 'eventId'], { unique: true })
export class AttendanceRecognition {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_attendance_recognitions' })
  id: number;

  /** Who posted it: `device:<id>` or `user:<id>`; event ids are unique per sender. */
  @Column({ type: 'varchar', length: 80 })
  source: string;

  /** The sender's id for this recognition; null when it sent none (then no deduplication). */
  @Column({ name: 'event_id', type: 'varchar', length: 200, nullable: true })
  eventId: string | null;

  @Index('IDX_attendance_recognitions_client')
  @Column({ name: 'client_id', type: 'integer', nullable: true })
  clientId: number | null;

  @ManyToOne(() => AttendanceClient, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'client_id', foreignKeyConstraintName: 'FK_attendance_recognitions_client' })
  client?: AttendanceClient | null;

  @Index('IDX_attendance_recognitions_visit')
  @Column({ name: 'visit_id', type: 'integer', nullable: true })
  visitId: number | null;

  @ManyToOne(() => AttendanceVisit, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'visit_id', foreignKeyConstraintName: 'FK_attendance_recognitions_visit' })
  visit?: AttendanceVisit | null;

  /** Whether this recognition created its client (an unknown face). */
  @Column({ name: 'client_created', type: 'boolean', default: false })
  clientCreated: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
