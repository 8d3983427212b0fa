import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { localDate, startOfNextDay } from '../common/calendar';
import { Clock } from '../common/clock';
import { ClockJob, ClockJobs } from '../common/clock-job';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { UnitOfWork } from '../database/unit-of-work';
import { MediaStorage } from '../media/media-storage';
import { queryRows } from '../queue/queue-sql';
import { AttendanceClientsService } from './attendance-clients.service';
import { AttendanceConfig } from './attendance.config';

export interface RetentionCounts {
  visit_images: number;
  visits: number;
  /** Entries of the recognition log (camera event ids, with the client and visit they made), on the visits' period. */
  recognitions: number;
  record_images: number;
  records: number;
  reviews: number;
  files: number;
}

const DAY_MS = 86_400_000;

/**
 * Deletes what is older than its retention period, once a day at local
 * midnight (ATTENDANCE_TIMEZONE): faces of visits, visits (their clients'
 * counts follow) and the recognition log on the same period, photos of staff
 * records, records, and reviews. Each day is
 * claimed by inserting its row in attendance_retention_runs in the same
 * transaction as the deletions, so it runs exactly once across instances and
 * restarts; files go after the commit (a failure only leaves an orphan file,
 * never a row pointing at nothing). A period of 0 keeps that kind for good.
 */
@Injectable()
export class AttendanceRetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AttendanceRetention');
  private readonly job: ClockJob;
  private readonly config: AttendanceConfig;
  private lastDay: string | null = null;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly media: MediaStorage,
    private readonly clients: AttendanceClientsService,
    private readonly clock: Clock,
    private readonly dataSource: DataSource,
    jobs: ClockJobs,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.config = AttendanceConfig.read(config);
    this.job = jobs.create('attendance-retention', () => this.tick(), { retryMs: 60_000 });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.job.start();
  }

  onModuleDestroy(): void {
    this.job.stop();
  }

  /** Resolves when the runs queued so far are done. */
  idle(): Promise<void> {
    return this.job.idle();
  }

  /** Runs `day`'s retention unless some instance already did; safe to call concurrently and repeatedly. */
  async run(day: string): Promise<{ ran: boolean; deleted: RetentionCounts }> {
    const now = this.clock.now();
    const cutoff = (days: number) => (days > 0 ? new Date(now - days * DAY_MS).toISOString() : null);
    const c = this.config;
    const result = await this.uow.run(async (tx, events) => {
      const claimed: unknown[] = await tx.query(`INSERT INTO attendance_retention_runs (day, ran_at) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING RETURNING day`, [day, new Date(now).toISOString()]);
      if (!claimed.length) return null;
      const files: Array<string | null> = [];
      const deleted: RetentionCounts = { visit_images: 0, visits: 0, recognitions: 0, record_images: 0, records: 0, reviews: 0, files: 0 };
      const paths = (sql: string, cut: string | null) => (cut ? queryRows<{ image_path: string | null }>(tx, sql, [cut]) : Promise.resolve([]));

      // Clients whose visits go are locked in id order (as every visit change does) and recounted.
      const visitCut = cutoff(c.ATTENDANCE_VISIT_RETENTION_DAYS);
      const touched = visitCut ? await queryRows<{ client_id: number }>(tx, `SELECT DISTINCT client_id FROM attendance_visits WHERE datetime < $1 ORDER BY client_id`, [visitCut]) : [];
      for (const t of touched) await this.clients.lock(tx, t.client_id);
      // The recognition log says who was seen when: an entry goes with its visit (counted here; the foreign key would take it
      // anyway), and one an earlier deletion left without a visit goes after the visits' period.
      if (visitCut)
        deleted.recognitions = (
          await queryRows(
            tx,
            `DELETE FROM attendance_recognitions r
              WHERE (r.visit_id IS NULL AND r.created_at < $1)
                 OR r.visit_id IN (SELECT v.id FROM attendance_visits v WHERE v.datetime < $1)
             RETURNING r.id`,
            [visitCut],
          )
        ).length;
      const goneVisits = await paths(`DELETE FROM attendance_visits WHERE datetime < $1 RETURNING image_path`, visitCut);
      deleted.visits = goneVisits.length;
      const goneFaces = await paths(
        `UPDATE attendance_visits v SET image_path = NULL FROM attendance_visits old
          WHERE old.id = v.id AND v.image_path IS NOT NULL AND v.datetime < $1 RETURNING old.image_path`,
        cutoff(c.ATTENDANCE_VISIT_IMAGE_RETENTION_DAYS),
      );
      deleted.visit_images = goneFaces.length;
      files.push(...goneVisits.map((v) => v.image_path), ...goneFaces.map((v) => v.image_path));

      const goneRecords = await paths(`DELETE FROM attendance_records WHERE datetime < $1 RETURNING image_path`, cutoff(c.ATTENDANCE_RECORD_RETENTION_DAYS));
      deleted.records = goneRecords.length;
      const goneRecordImages = await paths(
        `UPDATE attendance_records r SET image_path = NULL FROM attendance_records old
          WHERE old.id = r.id AND r.image_path IS NOT NULL AND r.datetime < $1 RETURNING old.image_path`,
        cutoff(c.ATTENDANCE_RECORD_IMAGE_RETENTION_DAYS),
      );
      deleted.record_images = goneRecordImages.length;
      files.push(...goneRecords.map((r) => r.image_path), ...goneRecordImages.map((r) => r.image_path));

      // Reviews hold faces too: they follow the shorter of the two image periods.
      const reviewDays = [c.ATTENDANCE_VISIT_IMAGE_RETENTION_DAYS, c.ATTENDANCE_RECORD_IMAGE_RETENTION_DAYS].filter((d) => d > 0);
      const goneReviews = await paths(`DELETE FROM attendance_reviews WHERE datetime < $1 RETURNING image_path`, reviewDays.length ? cutoff(Math.min(...reviewDays)) : null);
      deleted.reviews = goneReviews.length;
      files.push(...goneReviews.map((r) => r.image_path));

      for (const t of touched) events.publish('attendance.client_updated', { client: await this.clients.recount(tx, t.client_id) });
      // A client's photo may be the face of its first visit: it stays while the client uses it.
      const kept = await this.stillUsed(tx, files);
      const doomed = [...new Set(files.filter((f): f is string => !!f && !kept.has(f)))];
      deleted.files = doomed.length;
      await tx.query(`UPDATE attendance_retention_runs SET deleted = $2 WHERE day = $1`, [day, JSON.stringify(deleted)]);
      return { deleted, doomed };
    });
    if (!result) return { ran: false, deleted: { visit_images: 0, visits: 0, recognitions: 0, record_images: 0, records: 0, reviews: 0, files: 0 } };
    await this.media.deleteQuietly(result.doomed);
    this.logger.log({ msg: `attendance retention for ${day}`, day, ...result.deleted });
    return { ran: true, deleted: result.deleted };
  }

  private async stillUsed(tx: EntityManager, files: Array<string | null>): Promise<Set<string>> {
    const list = files.filter((f): f is string => !!f);
    if (!list.length) return new Set();
    const rows = await queryRows<{ image_path: string }>(
      tx,
      `SELECT image_path FROM attendance_clients WHERE image_path = ANY($1::text[])
         UNION SELECT image_path FROM attendance_visits WHERE image_path = ANY($1::text[])
         UNION SELECT image_path FROM attendance_records WHERE image_path = ANY($1::text[])
         UNION SELECT image_path FROM attendance_reviews WHERE image_path = ANY($1::text[])`,
      [list],
    );
    return new Set(rows.map((r) => r.image_path));
  }

  async runs(): Promise<Array<{ day: string; ran_at: string; deleted: Record<string, number> }>> {
    const rows = await queryRows<{ day: string; ran_at: Date; deleted: Record<string, number> }>(
      this.dataSource.manager,
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, ran_at, deleted FROM attendance_retention_runs ORDER BY day DESC LIMIT 30`,
    );
    return rows.map((r) => ({ day: r.day, ran_at: new Date(r.ran_at).toISOString(), deleted: r.deleted }));
  }

  /** Today's run unless this instance has seen today; next at the next local midnight. */
  private async tick(): Promise<number> {
    const now = this.clock.now();
    const today = localDate(now, this.config.ATTENDANCE_TIMEZONE);
    if (today !== this.lastDay) {
      await this.run(today);
      this.lastDay = today;
    }
    return startOfNextDay(now, this.config.ATTENDANCE_TIMEZONE);
  }
}
