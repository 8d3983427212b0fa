import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type BellSystemState = 'active' | 'paused';

/** The one row holding whether scheduled bells ring; survives restarts. */
@Entity('bell_state')
export class BellState {
  @PrimaryColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 10 })
  state: BellSystemState;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
