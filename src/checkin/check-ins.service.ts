import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { User } from '../auth/entities/user.entity';
import { Principal } from '../auth/principal';
import { forbidden } from '../common/app-error';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UnitOfWork } from '../database/unit-of-work';
import { CheckInFrame } from './checkin.events';
import { CheckInCountsDto, CheckInListDto, CheckInRowDto } from './dto/check-in.dto';
import { CheckIn, CheckInOutcome } from './entities/check-in.entity';
import { EventRegistration } from './entities/event-registration.entity';
import { EventSession } from './entities/event-session.entity';
import { EventSessionsService, isHostOrAdmin } from './event-sessions.service';
import { CheckinConfig } from './checkin.config';

const DEFAULT_LIST = 100;

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
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.maxList = CheckinConfig.read(config).CHECKIN_LIST_MAX_LIMIT;
  }

  /** Host, admin or a scanner device. */
  async checkIn(p: Principal, sessionId: string, userId: string): Promise<CheckInFrame> {
    return this.uow.run(async (tx, events) => {
      const session = await this.sessions.get(sessionId, tx);
      const scanner = p.kind === 'device' && p.deviceKind === 'scanner';
      if (!scanner && !isHostOrAdmin(p, session.hostId)) throw forbidden('Only the host, an admin or a scanner may check people in');
      const user = await tx.getRepository(User).findOne({ where: { id: userId }, select: { id: true, name: true } });
      const now = this.clock.date();
      const base = {
        sessionId: session.id,
        userId,
        userName: user?.name ?? '',
        attemptedAt: now,
        recordedByKind: p.kind,
        recordedById: p.id,
        recordedByName: p.name,
      };
      let outcome: { outcome: CheckInOutcome; message: string } | null = this.windowRefusal(session, now);
      if (!outcome && !(user && (await tx.getRepository(EventRegistration).exists({ where: { sessionId: session.id, userId } })))) {
        outcome = { outcome: 'not_registered', message: 'Not registered for this session' };
      }
      const repo = tx.getRepository(CheckIn);
      let saved: CheckIn | null = null;
      if (!outcome) {
        const message = 'Check-in successful';
        const inserted: Array<{ id: string }> = await tx.query(
          `INSERT INTO event_checkins (session_id, user_id, user_name, outcome, success, message, attempted_at, recorded_by_kind, recorded_by_id, recorded_by_name)
           VALUES ($1, $2, $3, 'checked_in', true, $4, $5, $6, $7, $8)
           ON CONFLICT (session_id, user_id) WHERE success DO NOTHING
           RETURNING id`,
          [base.sessionId, base.userId, base.userName, message, now, base.recordedByKind, base.recordedById, base.recordedByName],
        );
        if (inserted.length) saved = repo.create({ ...base, id: inserted[0].id, outcome: 'checked_in', success: true, message });
        else {
          const first = await repo.findOneOrFail({ where: { sessionId: session.id, userId, success: true } });
          outcome = { outcome: 'already_checked_in', message: `Already checked in at ${first.attemptedAt.toISOString()}` };
        }
      }
      if (!saved) saved = await repo.save(repo.create({ ...base, outcome: outcome!.outcome, success: false, message: outcome!.message }));
      const frame = checkInFrame(saved);
      events.publish('checkin.attempted', { attempt: frame });
      return frame;
    });
  }

  async list(p: Principal, sessionId: string, limit: number | undefined, offset: number | undefined): Promise<CheckInListDto> {
    const session = await this.sessions.get(sessionId);
    if (!session.dashboardPublic && !isHostOrAdmin(p, session.hostId)) throw forbidden('This session is private: only the host or an admin may see its check-ins');
    const m = this.dataSource.manager;
    const rows = await m.getRepository(CheckIn).find({
      where: { sessionId: session.id },
      order: { attemptedAt: 'DESC', seq: 'DESC' },
      take: Math.min(limit ?? DEFAULT_LIST, this.maxList),
      skip: offset ?? 0,
    });
    const [c]: Array<Record<string, string>> = await m.query(
      `SELECT COUNT(*) AS total_attempts,
              COUNT(*) FILTER (WHERE success) AS successful,
              COUNT(*) FILTER (WHERE outcome = 'already_checked_in') AS already_checked_in,
              COUNT(*) FILTER (WHERE outcome = 'not_registered') AS not_registered,
              COUNT(*) FILTER (WHERE outcome = 'not_open') AS not_open,
              COUNT(*) FILTER (WHERE outcome = 'closed') AS closed,
              (SELECT COUNT(*) FROM event_registrations r WHERE r.session_id = $1) AS registered,
              (SELECT COUNT(*) FROM event_registrations r WHERE r.session_id = $1
                 AND NOT EXISTS (SELECT 1 FROM event_checkins s WHERE s.session_id = $1 AND s.user_id = r.user_id AND s.success)) AS not_checked_in
       FROM event_checkins WHERE session_id = $1`,
      [session.id],
    );
    const n = (k: string) => Number(c?.[k] ?? 0);
    const counts: CheckInCountsDto = {
      total_attempts: n('total_attempts'),
      successful: n('successful'),
      failed: n('total_attempts') - n('successful'),
      registered: n('registered'),
      not_checked_in: n('not_checked_in'),
      already_checked_in: n('already_checked_in'),
      not_registered: n('not_registered'),
      not_open: n('not_open'),
      closed: n('closed'),
    };
    return { session_id: session.id, counts, items: rows.map(rowView) };
  }

  /** Check-in is open from starts_at (inclusive) to ends_at (exclusive), by the injected clock. */
  private windowRefusal(s: EventSession, now: Date): { outcome: CheckInOutcome; message: string } | null {
    if (now < s.startsAt) return { outcome: 'not_open', message: `Check-in has not opened yet: the session starts at ${s.startsAt.toISOString()}` };
    if (now >= s.endsAt) return { outcome: 'closed', message: `Check-in is closed: the session ended at ${s.endsAt.toISOString()}` };
    return null;
  }
}

function rowView(c: CheckIn): CheckInRowDto {
  return { ...checkInFrame(c), id: c.id, outcome: c.outcome, recorded_by: { kind: c.recordedByKind, id: c.recordedById, name: c.recordedByName } };
}
