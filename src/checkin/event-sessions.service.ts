import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { User } from '../auth/entities/user.entity';
import { Principal } from '../auth/principal';
import { badRequest, forbidden, notFound } from '../common/app-error';
import { Clock } from '../common/clock';
import { plainText } from '../common/plain-text';
import { UnitOfWork } from '../database/unit-of-work';
import { SessionAccess } from './checkin.events';
import { CreateEventSessionDto, EventSessionDto, RegisterDto, RegistrationDto, UpdateEventSessionDto } from './dto/event-session.dto';
import { CheckinTickets } from './checkin-tickets';
import { EventRegistration } from './entities/event-registration.entity';
import { EventSession } from './entities/event-session.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(s: string): boolean {
  return UUID.test(s);
}

/** Who may watch a session's dashboard. */
export type DashboardAccess = 'allowed' | 'not_found' | 'unauthenticated' | 'forbidden';

export function sessionAccess(s: EventSession): SessionAccess {
  return { id: s.id, host_id: s.hostId, dashboard_public: s.dashboardPublic };
}

/** The host and admins manage a session and watch its dashboard, public or not. */
export function isHostOrAdmin(p: Principal | null, hostId: string | null): boolean {
  return !!p && p.kind === 'user' && (p.role === 'admin' || (hostId !== null && p.id === hostId));
}

/**
 * Event sessions and their registrations. Any user may create a session and
 * becomes its host; the host and admins change it, register people and see
 * who checked in.
 */
@Injectable()
export class EventSessionsService {
  constructor(
    @InjectRepository(EventSession) private readonly sessions: Repository<EventSession>,
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly tickets: CheckinTickets,
  ) {}

  view(s: EventSession): EventSessionDto {
    const now = this.clock.now();
    return {
      id: s.id,
      name: s.name,
      starts_at: s.startsAt.toISOString(),
      ends_at: s.endsAt.toISOString(),
      dashboard_public: s.dashboardPublic,
      host_id: s.hostId,
      status: now < s.startsAt.getTime() ? 'upcoming' : now < s.endsAt.getTime() ? 'open' : 'closed',
      capacity: s.capacity,
      created_at: s.createdAt.toISOString(),
      updated_at: s.updatedAt.toISOString(),
    };
  }

  /**
   * What the caller should know about a session they just wrote: one that has
   * already ended is accepted (a host may record a past event) but every
   * check-in to it would be refused as closed, so the answer says so.
   */
  written(s: EventSession): EventSessionDto {
    const view = this.view(s);
    if (view.status === 'closed') view.warnings = [`ends_at (${view.ends_at}) is in the past: every check-in to this session will be refused as closed`];
    return view;
  }

  async get(id: string, tx: EntityManager = this.dataSource.manager): Promise<EventSession> {
    const s = isUuid(id) ? await tx.getRepository(EventSession).findOne({ where: { id } }) : null;
    if (!s) throw notFound('Event session');
    return s;
  }

  /** A session the caller may manage (host or admin), else NOT_FOUND / FORBIDDEN. */
  async managed(p: Principal, id: string, tx?: EntityManager): Promise<EventSession> {
    const s = await this.get(id, tx);
    if (!isHostOrAdmin(p, s.hostId)) throw forbidden('Only the host or an admin may do this');
    return s;
  }

  list(limit: number, offset: number): Promise<EventSession[]> {
    return this.sessions.find({ order: { startsAt: 'ASC', id: 'ASC' }, take: limit, skip: offset });
  }

  async create(p: Principal, dto: CreateEventSessionDto): Promise<EventSession> {
    const startsAt = new Date(dto.starts_at);
    const endsAt = new Date(dto.ends_at);
    if (endsAt <= startsAt) throw badRequest('ends_at must be after starts_at');
    const name = this.cleanName(dto.name);
    const now = this.clock.date();
    return this.sessions.save(
      this.sessions.create({ name, startsAt, endsAt, dashboardPublic: dto.dashboard_public ?? true, capacity: dto.capacity ?? null, hostId: p.id, createdAt: now, updatedAt: now }),
    );
  }

  async update(p: Principal, id: string, dto: UpdateEventSessionDto): Promise<EventSession> {
    return this.uow.run(async (tx, events) => {
      const s = await this.managed(p, id, tx);
      if (dto.name !== undefined) s.name = this.cleanName(dto.name);
      if (dto.starts_at !== undefined) s.startsAt = new Date(dto.starts_at);
      if (dto.ends_at !== undefined) s.endsAt = new Date(dto.ends_at);
      if (dto.dashboard_public !== undefined) s.dashboardPublic = dto.dashboard_public;
      if (dto.capacity !== undefined) s.capacity = dto.capacity;
      if (s.endsAt <= s.startsAt) throw badRequest('ends_at must be after starts_at');
      s.updatedAt = this.clock.date();
      const saved = await tx.getRepository(EventSession).save(s);
      events.publish('checkin.session_updated', { session: sessionAccess(saved) });
      return saved;
    });
  }

  async remove(p: Principal, id: string): Promise<void> {
    await this.uow.run(async (tx, events) => {
      const s = await this.managed(p, id, tx);
      await tx.getRepository(EventSession).delete({ id: s.id });
      events.publish('checkin.session_deleted', { session_id: s.id });
    });
  }

  /**
   * Registers a user (`user_id`) or a guest without an account (`guest`:
   * name and e-mail). Registering a user or a guest e-mail again returns the
   * registration unchanged (`created` false). Each comes with its signed ticket.
   */
  async register(p: Principal, id: string, dto: RegisterDto): Promise<{ registration: RegistrationDto; created: boolean }> {
    if (!dto.user_id === !dto.guest) throw badRequest('Register either a user (user_id) or a guest (guest: {name, email})');
    return this.uow.run(async (tx) => {
      const s = await this.managed(p, id, tx);
      const repo = tx.getRepository(EventRegistration);
      if (dto.user_id) {
        const user = await tx.getRepository(User).findOne({ where: { id: dto.user_id }, select: { id: true, name: true } });
        if (!user) throw notFound('User');
        const inserted: unknown[] = await tx.query(
          'INSERT INTO event_registrations (session_id, attendee_id, user_id, registered_at) VALUES ($1, $2, $2, $3) ON CONFLICT DO NOTHING RETURNING attendee_id',
          [s.id, user.id, this.clock.date()],
        );
        const reg = await repo.findOneOrFail({ where: { sessionId: s.id, attendeeId: user.id } });
        return { registration: this.registrationView(reg, user.name), created: inserted.length > 0 };
      }
      const name = plainText(dto.guest!.name, 200);
      if (!name) throw badRequest('The guest name is empty');
      const email = dto.guest!.email.trim().toLowerCase();
      // One registration per guest e-mail and session; the lock makes two hosts registering the same guest at once agree.
      await tx.query('SELECT id FROM event_sessions WHERE id = $1 FOR UPDATE', [s.id]);
      const existing = await repo.findOne({ where: { sessionId: s.id, guestEmail: email } });
      if (existing) return { registration: this.registrationView(existing, existing.guestName ?? ''), created: false };
      const reg = await repo.save(repo.create({ sessionId: s.id, attendeeId: randomUUID(), userId: null, guestName: name, guestEmail: email, registeredAt: this.clock.date() }));
      return { registration: this.registrationView(reg, name), created: true };
    });
  }

  async registrations(p: Principal, id: string): Promise<RegistrationDto[]> {
    const s = await this.managed(p, id);
    const rows = await this.dataSource.manager.getRepository(EventRegistration).find({ where: { sessionId: s.id }, relations: { user: true }, order: { registeredAt: 'ASC', attendeeId: 'ASC' } });
    return rows.map((r) => this.registrationView(r, r.user?.name ?? r.guestName ?? ''));
  }

  /** The signed ticket of one registration, with its QR code as SVG. */
  async ticket(p: Principal, id: string, attendeeId: string): Promise<RegistrationDto & { qr_svg: string }> {
    const s = await this.managed(p, id);
    const reg = await this.dataSource.manager.getRepository(EventRegistration).findOne({ where: { sessionId: s.id, attendeeId }, relations: { user: true } });
    if (!reg) throw notFound('Registration');
    const view = this.registrationView(reg, reg.user?.name ?? reg.guestName ?? '');
    return { ...view, qr_svg: this.tickets.svg(view.ticket) };
  }

  async unregister(p: Principal, id: string, attendeeId: string): Promise<void> {
    const s = await this.managed(p, id);
    const result = await this.dataSource.manager.getRepository(EventRegistration).delete({ sessionId: s.id, attendeeId });
    if (!result.affected) throw notFound('Registration');
  }

  private registrationView(r: EventRegistration, name: string): RegistrationDto {
    return {
      session_id: r.sessionId,
      user_id: r.attendeeId,
      user_name: name,
      guest: r.userId === null,
      guest_email: r.guestEmail,
      registered_at: r.registeredAt.toISOString(),
      ticket: this.tickets.issue(r.sessionId, r.attendeeId),
    };
  }

  /** For the dashboard socket: who may watch (the token, if any, is already verified). */
  async dashboardAccess(sessionId: string, p: Principal | null): Promise<{ access: DashboardAccess; session: SessionAccess | null }> {
    const s = isUuid(sessionId) ? await this.sessions.findOne({ where: { id: sessionId } }) : null;
    if (!s) return { access: 'not_found', session: null };
    return { access: dashboardAccessOf(sessionAccess(s), p), session: sessionAccess(s) };
  }

  private cleanName(name: string): string {
    const clean = plainText(name, 200);
    if (!clean) throw badRequest('The name is empty');
    return clean;
  }
}

export function dashboardAccessOf(s: SessionAccess, p: Principal | null): DashboardAccess {
  if (s.dashboard_public) return 'allowed';
  if (!p) return 'unauthenticated';
  return isHostOrAdmin(p, s.host_id) ? 'allowed' : 'forbidden';
}
