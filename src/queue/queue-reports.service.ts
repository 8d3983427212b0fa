import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ReportDto, ReportGroup, ReportQuery, ReportRowDto } from './dto/report.dto';
import { invalidQueueInput } from './queue-error';
import { queryRows } from './queue-sql';
import { QueueConfig } from './queue.config';

const MAX_DAYS = 366;

/** How each grouping names its rows: the key and label columns, and which tickets belong. */
const GROUPS: Record<ReportGroup, { key: string; name: string; where: string }> = {
  service: { key: `coalesce(t.procedure_name, '')`, name: `coalesce(t.procedure_name, '(no procedure)')`, where: 'TRUE' },
  counter: { key: `coalesce(t.counter_id::text, '')`, name: `coalesce(t.counter_name, '(pooled, not called)')`, where: 'TRUE' },
  officer: { key: 't.called_by', name: 't.called_by', where: 't.called_by IS NOT NULL' },
};

interface Row {
  key: string;
  name: string;
  issued: number;
  served: number;
  no_shows: number;
  avg_wait_s: number | null;
  p90_wait_s: number | null;
  max_wait_s: number | null;
  avg_service_s: number | null;
  p90_service_s: number | null;
  called: number;
  within_target: number;
}

const CSV_COLUMNS: Array<keyof ReportRowDto> = ['key', 'name', 'issued', 'served', 'no_shows', 'avg_wait_s', 'p90_wait_s', 'max_wait_s', 'avg_service_s', 'p90_service_s', 'within_target'];

/**
 * Service-level figures over a range of local days, per service (procedure),
 * counter or officer, in one set-based query. Definitions (docs/queue.md):
 * a wait is called − created of each ticket called (a transferred ticket
 * counts once, at the counter that called it last; its wait runs from its
 * original issue); a service time is finished − (serving, else called) of a
 * completed ticket; p90 interpolates linearly between ranks.
 */
@Injectable()
export class QueueReportsService {
  private readonly zone: string;
  private readonly targetMinutes: number;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.zone = QueueConfig.read(config).QUEUE_TIMEZONE;
    this.targetMinutes = QueueConfig.read(config).QUEUE_TARGET_WAIT_MINUTES;
  }

  async report(q: ReportQuery): Promise<ReportDto> {
    const from = DateTime.fromISO(q.from, { zone: this.zone });
    const to = DateTime.fromISO(q.to, { zone: this.zone });
    if (!from.isValid || !to.isValid) throw invalidQueueInput('from and to must be real dates (YYYY-MM-DD)');
    if (to < from) throw invalidQueueInput('to must not be before from');
    if (to.diff(from, 'days').days >= MAX_DAYS) throw invalidQueueInput(`A report covers at most ${MAX_DAYS} days`);
    const groupBy = q.group_by ?? 'service';
    const g = GROUPS[groupBy];
    const rows = await queryRows<Row>(
      this.dataSource.manager,
      `WITH t AS (
         SELECT t.*, c.name AS counter_name,
                CASE WHEN t.called_at IS NOT NULL AND t.status <> 'transferred' THEN extract(epoch FROM t.called_at - t.created_at)::float8 END AS wait_s,
                CASE WHEN t.status = 'completed' AND t.called_at IS NOT NULL THEN extract(epoch FROM t.finished_at - coalesce(t.serving_at, t.called_at))::float8 END AS service_s
           FROM queue_tickets t LEFT JOIN queue_counters c ON c.id = t.counter_id
          WHERE t.day BETWEEN $1::date AND $2::date)
       SELECT ${g.key} AS key, min(${g.name}) AS name,
              count(*) FILTER (WHERE ${groupBy === 'officer' ? 't.wait_s IS NOT NULL' : 't.transferred_from_ticket_id IS NULL'})::int AS issued,
              count(*) FILTER (WHERE t.status = 'completed')::int AS served,
              count(*) FILTER (WHERE t.status = 'skipped' OR (t.status = 'expired' AND t.called_at IS NOT NULL))::int AS no_shows,
              avg(t.wait_s) AS avg_wait_s,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY t.wait_s) AS p90_wait_s,
              max(t.wait_s) AS max_wait_s,
              avg(t.service_s) AS avg_service_s,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY t.service_s) AS p90_service_s,
              count(t.wait_s)::int AS called,
              count(*) FILTER (WHERE t.wait_s <= $3)::int AS within_target
         FROM t WHERE ${g.where}
        GROUP BY 1 ORDER BY 2, 1`,
      [from.toISODate(), to.toISODate(), this.targetMinutes * 60],
    );
    const num = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v)));
    return {
      from: from.toISODate(),
      to: to.toISODate(),
      group_by: groupBy,
      target_wait_minutes: this.targetMinutes,
      rows: rows.map((r) => ({
        key: String(r.key),
        name: String(r.name),
        issued: Number(r.issued),
        served: Number(r.served),
        no_shows: Number(r.no_shows),
        avg_wait_s: num(r.avg_wait_s),
        p90_wait_s: num(r.p90_wait_s),
        max_wait_s: num(r.max_wait_s),
        avg_service_s: num(r.avg_service_s),
        p90_service_s: num(r.p90_service_s),
        within_target: Number(r.called) ? Math.round((Number(r.within_target) / Number(r.called)) * 1000) / 1000 : null,
      })),
    };
  }

  /** The report as CSV (RFC 4180), one row per group; cells that a spreadsheet would run as a formula are quoted with a leading apostrophe. */
  csv(report: ReportDto): string {
    const cell = (v: unknown) => {
      let s = v === null || v === undefined ? '' : String(v);
      if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
      return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    };
    return [CSV_COLUMNS.join(','), ...report.rows.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n';
  }
}
