import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import { queueForbidden } from './queue-error';

/**
 * Who may act on which counter, decided from the verified principal and the
 * database, never from what a client says: leaders and admins act anywhere,
 * an officer only on the counter assigned to them; kiosks issue tickets (a
 * kiosk bound to a counter only for that counter).
 */
@Injectable()
export class QueueAccessService {
  constructor(private readonly dataSource: DataSource) {}

  async counterOfOfficer(userId: string): Promise<number | null> {
    const rows: Array<{ counter_id: number }> = await this.dataSource.query('SELECT counter_id FROM queue_counter_officers WHERE user_id = $1', [userId]);
    return rows[0]?.counter_id ?? null;
  }

  isSupervisor(p: Principal): boolean {
    return p.kind === 'user' && (p.role === 'admin' || p.role === 'leader');
  }

  /** Call, recall, skip, complete, transfer, change status. */
  async assertMayOperate(p: Principal, counterId: number): Promise<void> {
    if (this.isSupervisor(p)) return;
    if (p.kind === 'user' && p.role === 'officer') {
      if ((await this.counterOfOfficer(p.id)) === counterId) return;
      throw queueForbidden('Officers act only on the counter assigned to them');
    }
    throw queueForbidden('Your role may not do this');
  }

  assertMayIssue(p: Principal, counterId: number): void {
    if (this.isSupervisor(p)) return;
    if (p.kind === 'device' && p.deviceKind === 'kiosk') {
      if (p.counterId === null || p.counterId === counterId) return;
      throw queueForbidden('This kiosk issues tickets only for its own counter');
    }
    throw queueForbidden('Only kiosks, leaders and admins issue tickets');
  }
}
