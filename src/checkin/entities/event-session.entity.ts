import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { User } from '../../auth/entities/user.entity';

/** An event session people check in to; its creator is the host. */
@Entity('event_sessions')
@Index('IDX_event_sessions_starts_at', ['startsAt'])
export class EventSession {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt: Date;

  /** Public: anyone may watch the dashboard; private: the host and admins only. */
  @Column({ name: 'dashboard_public', type: 'boolean', default: true })
  dashboardPublic: boolean;

  /** Most people checked in at once; null: no limit. */
  @Column({ type: 'int', nullable: true })
  capacity: number | null;

  /** Null once the host's account is deleted (admins still manage the session). */
  @Column({ name: 'host_id', type: 'uuid', nullable: true })
  hostId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'host_id', foreignKeyConstraintName: 'FK_event_sessions_host' })
  host?: User;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
