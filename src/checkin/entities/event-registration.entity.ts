import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../../auth/entities/user.entity';
import { EventSession } from './event-session.entity';

/**
 * Someone registered for a session: only they can check in successfully.
 * `attendeeId` is who checks in — for a user their user id, for a guest
 * without an account a random id made at registration (it is the `user_id`
 * of their check-ins and dashboard frames, and what their ticket names).
 */
@Entity('event_registrations')
@Index('IDX_event_registrations_user', ['userId'])
export class EventRegistration {
  @PrimaryColumn({ name: 'session_id', type: 'uuid', primaryKeyConstraintName: 'PK_event_registrations' })
  sessionId: string;

  @PrimaryColumn({ name: 'attendee_id', type: 'uuid', primaryKeyConstraintName: 'PK_event_registrations' })
  attendeeId: string;

  @ManyToOne(() => EventSession, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id', foreignKeyConstraintName: 'FK_event_registrations_session' })
  session?: EventSession;

  /** Null for a guest. */
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_event_registrations_user' })
  user?: User;

  @Column({ name: 'guest_name', type: 'varchar', length: 200, nullable: true })
  guestName: string | null;

  @Column({ name: 'guest_email', type: 'varchar', length: 254, nullable: true })
  guestEmail: string | null;

  @Column({ name: 'registered_at', type: 'timestamptz' })
  registeredAt: Date;
}
