import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../../auth/entities/user.entity';
import { EventSession } from './event-session.entity';

/** A user registered for a session: only they can check in successfully. */
@Entity('event_registrations')
@Index('IDX_event_registrations_user', ['userId'])
export class EventRegistration {
  @PrimaryColumn({ name: 'session_id', type: 'uuid', primaryKeyConstraintName: 'PK_event_registrations' })
  sessionId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'PK_event_registrations' })
  userId: string;

  @ManyToOne(() => EventSession, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'FK_event_registrations_session' })
  session?: EventSession;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_event_registrations_user' })
  user?: User;

  @Column({ name: 'registered_at', type: 'timestamptz' })
  registeredAt: Date;
}
