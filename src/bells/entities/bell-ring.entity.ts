import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type RingOutcome = 'rang' | 'paused' | 'missed';
/** emergency and lockdown override whatever a player is playing and are listed apart. */
export const RING_KINDS = ['bell', 'test', 'emergency', 'lockdown'] as const;
export type RingKind = (typeof RING_KINDS)[number];

/**
 * The ring log. A scheduled occurrence is claimed by inserting its row
 * (unique per item and local date), so it rings once across restarts and
 * instances; manual rings have no item.
 */
@Entity('bell_rings')
@Index('UQ_bell_rings_occurrence', ['scheduleItemId', 'occurrenceDate'], { unique: true, where: '"schedule_item_id" IS NOT NULL' })
@Index('IDX_bell_rings_at', ['at'])
@Index('IDX_bell_rings_recorded', ['recordedAt'])
export class BellRing {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'schedule_item_id', type: 'uuid', nullable: true })
  scheduleItemId: string | null;

  /** Local date of the occurrence in the schedule's zone. */
  @Column({ name: 'occurrence_date', type: 'date', nullable: true })
  occurrenceDate: string | null;

  @Column({ name: 'sound_id', type: 'uuid', nullable: true })
  soundId: string | null;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** When it was due (scheduled) or requested (manual). */
  @Column({ name: 'scheduled_for', type: 'timestamptz', nullable: true })
  scheduledFor: Date | null;

  /** When it rang or was judged. */
  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'varchar', length: 10 })
  outcome: RingOutcome;

  @Column({ type: 'boolean', default: false })
  manual: boolean;

  @Column({ type: 'varchar', length: 10, default: 'bell' })
  kind: RingKind;

  /** The zones it was sent to; null: every zone. */
  @Column({ type: 'varchar', length: 100, array: true, nullable: true })
  zones: string[] | null;

  /** A ring sent to one player only (`device:<id>`). */
  @Column({ name: 'player_id', type: 'varchar', length: 80, nullable: true })
  playerId: string | null;

  /** Who rang it by hand (`user:<id> <name>`); null for the scheduler. */
  @Column({ type: 'varchar', length: 300, nullable: true })
  actor: string | null;

  /** Database time the entry was written (`at` is the clock's): what `since` reads. */
  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;
}
