import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { User } from '../auth/entities/user.entity';
import { Principal } from '../auth/principal';
import { badRequest, forbidden, notFound } from '../common/app-error';
import { Clock } from '../common/clock';
import { plainText } from '../common/plain-text';
import { UnitOfWork } from '../database/unit-of-work';
import { SessionAccess } from './checkin.events';
import { CreateEventSessionDto, EventSessionDto, RegistrationDto, UpdateEventSessionDto } from './dto/event-session.dto';
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
    return this.sessions.save(this.sessions.create({ name, startsAt, endsAt, dashboardPublic: dto.dashboard_public ?? true, hostId: p.id, createdAt: now, updatedAt: now }));
  }

  async update(p: Principal, id: string, dto: UpdateEventSessionDto): Promise<EventSession> {
    return this.uow.run(async (tx, events) => {
      const s = await this.managed(p, id, tx);
      if (dto.name !== undefined) s.name = this.cleanName(dto.name);
      if (dto.starts_at !== undefined) s.startsAt = new Date(dto.starts_at);
      if (dto.ends_at !== undefined) s.endsAt = new Date(dto.ends_at);
      if (dto.dashboard_public !== undefined) s.dashboardPublic = dto.dashboard_public;
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

  /** Registering someone already registered returns their registration unchanged (`created` false). */
  async register(p: Principal, id: string, userId: string): Promise<{ registration: RegistrationDto; created: boolean }> {
    return this.uow.run(async (tx) => {
      const s = await this.managed(p, id, tx);
      const user = await tx.getRepository(User).findOne({ where: { id: userId }, select: { id: true, name: true } });
      if (!user) throw notFound('User');
      const inserted: unknown[] = await tx.query(
        'INSERT INTO event_registrations (session_id, user_id, registered_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING user_id',
        [s.id, user.id, this.clock.date()],
      );
      const reg = await tx.getRepository(EventRegistration).findOneOrFail({ where: { sessionId: s.id, userId: user.id } });
      return { registration: registrationView(reg, user.name), created: inserted.length > 0 };
    });
  }

  async registrations(p: Principal, id: string): Promise<RegistrationDto[]> {
    const s = await this.managed(p, id);
    const rows = await this.dataSource.manager
      .getRepository(EventRegistration)
      .find({ where: { sessionId: s.id }, relations: { user: true }, order: { registeredAt: 'ASC', userId: 'ASC' } });
    return rows.map((r) => registrationView(r, r.user?.name ?? ''));
  }

  async unregister(p: Principal, id: string, userId: string): Promise<void> {
    const s = await this.managed(p, id);
    const result = await this.dataSource.manager.getRepository(EventRegistration).delete({ sessionId: s.id, userId });
    if (!result.affected) throw notFound('Registration');
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

function registrationView(r: EventRegistration, userName: string): RegistrationDto {
  return { session_id: r.sessionId, user_id: r.userId, user_name: userName, registered_at: r.registeredAt.toISOString() };
}
