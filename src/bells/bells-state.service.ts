import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { badRequest } from '../common/app-error';
import { Clock } from '../common/clock';
import { Broadcaster } from '../realtime/broadcaster';
import { BellState, BellSystemState } from './entities/bell-state.entity';
import { BellsLog } from './bells-log.service';

export interface StateView {
  state: BellSystemState;
  paused_until: string | null;
  changed_by: string | null;
  changed_at: string | null;
}

/** Active or paused (possibly until a given time); a row, so it survives restarts and is shared by instances. */
@Injectable()
export class BellsStateService {
  constructor(
    @InjectRepository(BellState) private readonly states: Repository<BellState>,
    private readonly broadcaster: Broadcaster,
    private readonly log: BellsLog,
    private readonly clock: Clock,
  ) {}

  async get(): Promise<BellSystemState> {
    return (await this.states.findOne({ where: { id: 1 } }))?.state ?? 'active';
  }

  async view(): Promise<StateView> {
    const row = await this.states.findOne({ where: { id: 1 } });
    return { state: row?.state ?? 'active', paused_until: row?.pausedUntil?.toISOString() ?? null, changed_by: row?.changedBy ?? null, changed_at: row?.updatedAt.toISOString() ?? null };
  }

  /** When a timed pause ends, or null. */
  async pausedUntil(): Promise<number | null> {
    const row = await this.states.findOne({ where: { id: 1 } });
    return row?.state === 'paused' && row.pausedUntil ? row.pausedUntil.getTime() : null;
  }

  async set(state: string, actor: string | null, until?: string): Promise<StateView> {
    if (state !== 'active' && state !== 'paused') throw badRequest('state must be "active" or "paused"', { field: 'state' });
    let pausedUntil: Date | null = null;
    if (until !== undefined) {
      if (state !== 'paused') throw badRequest('until goes with state "paused"', { field: 'until' });
      pausedUntil = new Date(until);
      if (pausedUntil.getTime() <= this.clock.now()) throw badRequest('until must be in the future', { field: 'until' });
    }
    const previous = await this.view();
    await this.states.upsert({ id: 1, state, pausedUntil, changedBy: actor }, ['id']);
    if (previous.state !== state || previous.paused_until !== (pausedUntil?.toISOString() ?? null)) {
      this.broadcaster.publish('bells.state_changed', { state, paused_until: pausedUntil?.toISOString() ?? null });
      this.log.info(
        'state',
        state === 'paused' ? `Scheduled bells paused${pausedUntil ? ` until ${pausedUntil.toISOString()}` : ''} by ${actor ?? 'unknown'}` : `Scheduled bells resumed by ${actor ?? 'unknown'}`,
      );
    }
    return this.view();
  }

  /** Ends a timed pause that is over; exactly one instance wins the conditional update and announces it. */
  async resumeIfDue(now: number): Promise<void> {
    const rows: unknown[] = await this.states.manager.query(
      `UPDATE bell_state SET state = 'active', paused_until = NULL, changed_by = 'scheduler', updated_at = now()
        WHERE id = 1 AND state = 'paused' AND paused_until IS NOT NULL AND paused_until <= $1 RETURNING id`,
      [new Date(now)],
    );
    // pg returns [rows, count] for UPDATE … RETURNING through TypeORM's query().
    const changed = Array.isArray(rows[0]) ? (rows[0] as unknown[]).length : rows.length;
    if (!changed) return;
    this.broadcaster.publish('bells.state_changed', { state: 'active', paused_until: null });
    this.log.info('state', 'Scheduled bells resumed: the pause ended');
  }

  /** Moves the "everything before this was judged" mark forward (never back). */
  async markScanned(upTo: number): Promise<void> {
    await this.states.manager.query(
      `INSERT INTO bell_state (id, state, scanned_until) VALUES (1, 'active', $1)
       ON CONFLICT (id) DO UPDATE SET scanned_until = GREATEST(bell_state.scanned_until, EXCLUDED.scanned_until)`,
      [new Date(upTo)],
    );
  }

  async scannedUntil(): Promise<number | null> {
    return (await this.states.findOne({ where: { id: 1 } }))?.scannedUntil?.getTime() ?? null;
  }
}
