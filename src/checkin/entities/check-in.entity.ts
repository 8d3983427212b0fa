import { Column, Entity, Generated, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { EventSession } from './event-session.entity';

export const CHECKIN_OUTCOMES = ['checked_in', 'already_checked_in', 'not_registered', 'not_open', 'closed', 'full', 'undone'] as const;
export type CheckInOutcome = (typeof CHECKIN_OUTCOMES)[number];

/**
 * Every check-in attempt, successful or not. At most one successful row per
 * session and user (a partial unique index), so two scanners reading the same
 * badge at once record one check-in and one repeat. `user_id` is not a
 * foreign key: an attempt with an unknown id is recorded too, and the
 * history outlives deleted accounts (the name is kept as it was). `seq`
 * orders attempts recorded in the same millisecond. An undone check-in is
 * no longer a success (`outcome` `undone`), so the person may check in again.
 */
@Entity('event_checkins')
@Index('IDX_event_checkins_session', ['sessionId', 'attemptedAt', 'seq'])
@Index('IDX_event_checkins_session_changed', ['sessionId', 'changedAt'])
@Index('UQ_event_checkins_success', ['sessionId', 'userId'], { unique: true, where: '"success"' })
@Index('UQ_event_checkins_scan', ['sessionId', 'scanId'], { unique: true, where: '"scan_id" IS NOT NULL' })
export class CheckIn {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'bigint' })
  @Generated('increment')
  seq: string;

  @Column({ name: 'session_id', type: 'uuid' })
  sessionId: string;

  @ManyToOne(() => EventSession, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'FK_event_checkins_session' })
  session?: EventSession;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'user_name', type: 'varchar', length: 200 })
  userName: string;

  @Column({ type: 'varchar', length: 20 })
  outcome: CheckInOutcome;

  @Column({ type: 'boolean' })
  success: boolean;

  @Column({ type: 'varchar', length: 300 })
  message: string;

  @Column({ name: 'attempted_at', type: 'timestamptz' })
  attemptedAt: Date;

  /** Who recorded it: a user (host or admin) or a scanner device. */
  @Column({ name: 'recorded_by_kind', type: 'varchar', length: 10 })
  recordedByKind: 'user' | 'device';

  @Column({ name: 'recorded_by_id', type: 'uuid' })
  recordedById: string;

  @Column({ name: 'recorded_by_name', type: 'varchar', length: 200 })
  recordedByName: string;

  /** The scanner's own id for a ticket scan: a scan sent again (made offline, retried) is applied once. */
  @Column({ name: 'scan_id', type: 'uuid', nullable: true })
  scanId: string | null;

  /** A check-in the host took back: it stays in the history as `undone`. */
  @Column({ name: 'undone_at', type: 'timestamptz', nullable: true })
  undoneAt: Date | null;

  @Column({ name: 'undone_by', type: 'varchar', length: 200, nullable: true })
  undoneBy: string | null;

  /** Database time of the last change (recorded, undone): what `since` reads. */
  @UpdateDateColumn({ name: 'changed_at', type: 'timestamptz' })
  changedAt: Date;
}
