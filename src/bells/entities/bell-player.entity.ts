import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A player that has registered on /ws/bells, by the principal behind its
 * token (`device:<id>` or `user:<id>`), so reconnects are the same player.
 * Its zone decides which bells it is sent; the ring report lists it.
 */
@Entity('bell_players')
export class BellPlayer {
  @PrimaryColumn({ type: 'varchar', length: 80 })
  id: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  name: string | null;

  /** Building, wing, field…; null: hears every bell (players written before zones). */
  @Column({ type: 'varchar', length: 100, nullable: true })
  zone: string | null;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
