import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type BellSystemState = 'active' | 'paused';

/** The one row holding whether scheduled bells ring; survives restarts. */
@Entity('bell_state')
export class BellState {
  @PrimaryColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 10 })
  state: BellSystemState;

  /** A pause with an end: the bells resume by themselves then. */
  @Column({ name: 'paused_until', type: 'timestamptz', nullable: true })
  pausedUntil: Date | null;

  /** Who last paused or resumed (`user:<id> <name>`; `scheduler` for an automatic resume). */
  @Column({ name: 'changed_by', type: 'varchar', length: 300, nullable: true })
  changedBy: string | null;

  /** Every occurrence before this has been rung, paused or written as missed. */
  @Column({ name: 'scanned_until', type: 'timestamptz', nullable: true })
  scannedUntil: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
