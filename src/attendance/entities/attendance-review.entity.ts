import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const REVIEW_KINDS = ['record', 'recognition'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];
export const REVIEW_STATUSES = ['pending', 'accepted', 'rejected'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/**
 * A sighting held back for a person to judge instead of being counted: a
 * staff record scored below ATTENDANCE_MIN_SCORE, or a face the camera
 * could not match. Accepting it counts it (a record, or a visit); rejecting
 * it deletes its image.
 */
@Entity('attendance_reviews')
@Index('IDX_attendance_reviews_status', ['status', 'id'])
@Index('UQ_attendance_reviews_event', ['source', 'eventId'], { unique: true, where: '"event_id" IS NOT NULL' })
export class AttendanceReview {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_attendance_reviews' })
  id: number;

  @Column({ type: 'varchar', length: 20 })
  kind: ReviewKind;

  @Column({ type: 'varchar', length: 20, default: 'pending' })
  status: ReviewStatus;

  /** Why it is held: `low_score` or `unknown_face`. */
  @Column({ type: 'varchar', length: 40 })
  reason: string;

  /** The employee the camera suggested (record). */
  @Column({ name: 'employee_id', type: 'integer', nullable: true })
  employeeId: number | null;

  /** The client the camera suggested (recognition), if any. */
  @Column({ name: 'client_id', type: 'integer', nullable: true })
  clientId: number | null;

  @Column({ name: 'device_id', type: 'varchar', length: 100 })
  deviceId: string;

  @Column({ type: 'timestamptz' })
  datetime: Date;

  @Column({ type: 'double precision', nullable: true })
  score: number | null;

  @Column({ name: 'image_path', type: 'varchar', length: 300, nullable: true })
  imagePath: string | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  gender: string | null;

  @Column({ type: 'integer', nullable: true })
  age: number | null;

  @Column({ type: 'varchar', length: 120 })
  source: string;

  @Column({ name: 'event_id', type: 'varchar', length: 200, nullable: true })
  eventId: string | null;

  /** What accepting it made: the record's or the visit's id. */
  @Column({ name: 'result_id', type: 'integer', nullable: true })
  resultId: number | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
