import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { ChangeRequest } from '../common/changes';
import { ChangeFeed } from '../database/change-feed';
import { User } from '../auth/entities/user.entity';
import { Principal } from '../auth/principal';
import { AppError, badRequest, conflict, ErrorCode, forbidden, notFound } from '../common/app-error';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UnitOfWork } from '../database/unit-of-work';
import { CheckInFrame } from './checkin.events';
import { CheckInChangesDto, CheckInCountsDto, CheckInListDto, CheckInRowDto, DashboardStateFrame } from './dto/check-in.dto';
import { CheckIn, CheckInOutcome } from './entities/check-in.entity';
import { EventRegistration } from './entities/event-registration.entity';
import { EventSession } from './entities/event-session.entity';
import { EventSessionsService, isHostOrAdmin } from './event-sessions.service';
import { CheckinConfig } from './checkin.config';
import { CheckinTickets } from './checkin-tickets';
import { ScanDto } from './dto/event-session.dto';

const DEFAULT_LIST = 100;
/** Attempts a dashboard's state frame carries: enough to fill a hall screen. */
const DASHBOARD_LATEST = 20;

export function checkInFrame(c: CheckIn): CheckInFrame {
  return {
    checkin_time: c.attemptedAt.toISOString(),
    message: c.message,
    profile_url: null,
    session_id: c.sessionId,
    success: c.success,
    user_id: c.userId,
    user_name: c.userName,
  };
}

/**
 * Check-ins. Every attempt — a success, a repeat, someone not registered, too
 * early or too late — is stored and announced to the session's dashboards.
 * The first success per person wins atomically (a partial unique index), so
 * two scanners reading one badge at once record one check-in and one repeat.
 */
@Injectable()
export class CheckInsService {
  private readonly maxList: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly sessions: EventSessionsService,
    private readonly tickets: CheckinTickets,
    private readonly feed: ChangeFeed,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.maxList = CheckinConfig.read(config).CHECKIN_LIST_MAX_LIMIT;
  }

  /** Host, admin or a scanner device, by attendee id (a user's id, or a guest's from their registration). */
  async checkIn(p: Principal, sessionId: string, attendeeId: string): Promise<CheckInFrame> {
    return (await this.attempt(p, sessionId, attendeeId, { at: this.clock.date(), scanId: null })).frame;
  }

  /**
   * A ticket read at the door. A forged ticket, or one for another session,
   * is refused and not recorded. A scan with a `scan_id` already applied
   * returns what it did then and changes nothing (`replayed`), so a scanner
   * that was offline can send its queue again safely. An offline scan counts
   * at the time it was made (never later than now).
   */
  async scan(p: Principal, sessionId: string, dto: ScanDto): Promise<{ frame: CheckInFrame; replayed: boolean }> {
    const ticket = this.tickets.verify(dto.ticket);
    if (!ticket) throw badRequest('Not a ticket this server signed');
    if (ticket.sessionId !== sessionId) throw badRequest('This ticket is for another session', { ticket_session_id: ticket.sessionId });
    const now = this.clock.now();
    const at = dto.scanned_at ? new Date(Math.min(Date.parse(dto.scanned_at), now)) : new Date(now);
    return this.attempt(p, sessionId, ticket.attendeeId, { at, scanId: dto.scan_id?.toLowerCase() ?? null });
  }

  /**
   * One attempt, recorded and announced. The session row is locked for the
   * attempt, so attempts on one session are taken one at a time: capacity
   * is never exceeded by concurrent scanners, and a replayed scan id is seen.
   * The first success per person also wins by the partial unique index.
   */
  private async attempt(p: Principal, sessionId: string, attendeeId: string, opts: { at: Date; scanId: string | null }): Promise<{ frame: CheckInFrame; replayed: boolean }> {
    return this.uow.run(async (tx, events) => {
      const session = await this.sessions.get(sessionId, tx);
      const scanner = p.kind === 'device' && p.deviceKind === 'scanner';
      if (!scanner && !isHostOrAdmin(p, session.hostId)) throw forbidden('Only the host, an admin or a scanner may check people in');
      await tx.query('SELECT id FROM event_sessions WHERE id = $1 FOR UPDATE', [session.id]);
      const repo = tx.getRepository(CheckIn);
      if (opts.scanId) {
        const earlier = await repo.findOne({ where: { sessionId: session.id, scanId: opts.scanId } });
        if (earlier) return { frame: checkInFrame(earlier), replayed: true };
      }
      const reg = await tx.getRepository(EventRegistration).findOne({ where: { sessionId: session.id, attendeeId }, relations: { user: true } });
      const user = reg ? null : await tx.getRepository(User).findOne({ where: { id: attendeeId }, select: { id: true, name: true } });
      const now = opts.at;
      const base = {
        sessionId: session.id,
        userId: attendeeId,
        userName: reg?.user?.name ?? reg?.guestName ?? user?.name ?? '',
        attemptedAt: now,
        recordedByKind: p.kind,
        recordedById: p.id,
        recordedByName: p.name,
        scanId: opts.scanId,
        undoneAt: null,
        undoneBy: null,
      };
      let outcome: { outcome: CheckInOutcome; message: string } | null = this.windowRefusal(session, now);
      if (!outcome && !reg) outcome = { outcome: 'not_registered', message: 'Not registered for this session' };
      if (!outcome) {
        const first = await repo.findOne({ where: { sessionId: session.id, userId: attendeeId, success: true } });
        if (first) outcome = { outcome: 'already_checked_in', message: `Already checked in at ${first.attemptedAt.toISOString()}` };
      }
      if (!outcome && session.capacity !== null) {
        const inside = await repo.count({ where: { sessionId: session.id, success: true } });
        if (inside >= session.capacity) outcome = { outcome: 'full', message: `Session is full: all ${session.capacity} places are taken` };
      }
      const saved = await repo.save(
        repo.create(outcome ? { ...base, outcome: outcome.outcome, success: false, message: outcome.message } : { ...base, outcome: 'checked_in', success: true, message: 'Check-in successful' }),
      );
      const frame = checkInFrame(saved);
      events.publish('checkin.attempted', { attempt: frame, id: saved.id, outcome: saved.outcome });
      return { frame, replayed: false };
    });
  }

  /**
   * The host (or an admin) takes a check-in back: it stays in the history as
   * `undone`, the person counts as not checked in and may check in again,
   * and the dashboards hear it as an unsuccessful attempt that says so.
   */
  async undo(p: Principal, sessionId: string, checkInId: string): Promise<CheckInRowDto> {
    return this.uow.run(async (tx, events) => {
      const session = await this.sessions.managed(p, sessionId, tx);
      const repo = tx.getRepository(CheckIn);
      const row = await repo.findOne({ where: { id: checkInId, sessionId: session.id }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw notFound('Check-in');
      if (row.outcome === 'undone') return rowView(row);
      if (!row.success) throw conflict('Only a successful check-in can be undone');
      const now = this.clock.date();
      row.success = false;
      row.outcome = 'undone';
      row.undoneAt = now;
      row.undoneBy = p.name;
      await repo.save(row);
      const frame: CheckInFrame = { ...checkInFrame(row), checkin_time: now.toISOString(), message: `Check-in undone by ${p.name}` };
      events.publish('checkin.attempted', { attempt: frame, id: row.id, outcome: row.outcome });
      return rowView(row);
    });
  }

  /** A public session's list needs no token; a private one the host's or an admin's. */
  async list(p: Principal | null, sessionId: string, limit: number | undefined, offset: number | undefined): Promise<CheckInListDto> {
    const session = await this.readable(p, sessionId);
    const [items, counts] = await Promise.all([this.latest(session.id, Math.min(limit ?? DEFAULT_LIST, this.maxList), offset ?? 0), this.counts(session.id)]);
    return { session_id: session.id, counts, items };
  }

  /** Attempts recorded or undone since a server time, with the counts now: what a dashboard that lost its frames rebuilds from. */
  async changes(p: Principal | null, sessionId: string, req: ChangeRequest): Promise<CheckInChangesDto> {
    const session = await this.readable(p, sessionId);
    const window = await this.feed.read({ ...req, limit: Math.min(req.limit, this.maxList) }, [
      (bind, since) => `SELECT id::text AS key, changed_at AS ts FROM event_checkins WHERE session_id = ${bind(session.id)} AND changed_at >= ${since}`,
    ]);
    const rows = window.keys.length ? await this.dataSource.manager.getRepository(CheckIn).find({ where: { sessionId: session.id, id: In(window.keys) } }) : [];
    const { items } = this.feed.assemble(
      window,
      rows,
      (c) => c.id,
      (key) => key,
    );
    const counts = await this.counts(session.id);
    return { session_id: session.id, counts, items: items.map(rowView), as_of: window.as_of, next_cursor: window.next_cursor, has_more: window.has_more };
  }

  /** A public session's list needs no token; a private one the host's or an admin's. */
  private async readable(p: Principal | null, sessionId: string): Promise<EventSession> {
    const session = await this.sessions.get(sessionId);
    if (!session.dashboardPublic && !isHostOrAdmin(p, session.hostId)) {
      if (!p) throw new AppError(ErrorCode.UNAUTHENTICATED, 'This session is private: sign in as the host or an admin to see its check-ins');
      throw forbidden('This session is private: only the host or an admin may see its check-ins');
    }
    return session;
  }

  /** What a dashboard that asked for it gets on connect: the totals and the latest attempts. */
  async dashboardState(sessionId: string): Promise<DashboardStateFrame> {
    const [counts, latest] = await Promise.all([this.counts(sessionId), this.latest(sessionId, DASHBOARD_LATEST, 0)]);
    return { event: 'state', session_id: sessionId, counts, latest };
  }

  private async latest(sessionId: string, limit: number, offset: number): Promise<CheckInRowDto[]> {
    const rows = await this.dataSource.manager.getRepository(CheckIn).find({
      where: { sessionId },
      order: { attemptedAt: 'DESC', seq: 'DESC' },
      take: limit,
      skip: offset,
    });
    return rows.map(rowView);
  }

  async counts(sessionId: string): Promise<CheckInCountsDto> {
    const [c]: Array<Record<string, string>> = await this.dataSource.manager.query(
      `SELECT COUNT(*) AS total_attempts,
              COUNT(*) FILTER (WHERE success) AS successful,
              COUNT(*) FILTER (WHERE outcome = 'already_checked_in') AS already_checked_in,
              COUNT(*) FILTER (WHERE outcome = 'not_registered') AS not_registered,
              COUNT(*) FILTER (WHERE outcome = 'not_open') AS not_open,
              COUNT(*) FILTER (WHERE outcome = 'closed') AS closed,
              COUNT(*) FILTER (WHERE outcome = 'full') AS full,
              COUNT(*) FILTER (WHERE outcome = 'undone') AS undone,
              (SELECT COUNT(*) FROM event_registrations r WHERE r.session_id = $1) AS registered,
              (SELECT COUNT(*) FROM event_registrations r WHERE r.session_id = $1
                 AND NOT EXISTS (SELECT 1 FROM event_checkins s WHERE s.session_id = $1 AND s.user_id = r.attendee_id AND s.success)) AS not_checked_in
       FROM event_checkins WHERE session_id = $1`,
      [sessionId],
    );
    const n = (k: string) => Number(c?.[k] ?? 0);
    return {
      total_attempts: n('total_attempts'),
      successful: n('successful'),
      failed: n('total_attempts') - n('successful'),
      registered: n('registered'),
      not_checked_in: n('not_checked_in'),
      already_checked_in: n('already_checked_in'),
      not_registered: n('not_registered'),
      not_open: n('not_open'),
      closed: n('closed'),
      full: n('full'),
      undone: n('undone'),
    };
  }

  /** Check-in is open from starts_at (inclusive) to ends_at (exclusive), by the injected clock. */
  private windowRefusal(s: EventSession, now: Date): { outcome: CheckInOutcome; message: string } | null {
    if (now < s.startsAt) return { outcome: 'not_open', message: `Check-in has not opened yet: the session starts at ${s.startsAt.toISOString()}` };
    if (now >= s.endsAt) return { outcome: 'closed', message: `Check-in is closed: the session ended at ${s.endsAt.toISOString()}` };
    return null;
  }
}

function rowView(c: CheckIn): CheckInRowDto {
  return {
    ...checkInFrame(c),
    id: c.id,
    outcome: c.outcome,
    recorded_by: { kind: c.recordedByKind, id: c.recordedById, name: c.recordedByName },
    scan_id: c.scanId,
    undone_at: c.undoneAt?.toISOString() ?? null,
    undone_by: c.undoneBy,
  };
}
