import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import { queueForbidden } from './queue-error';
import { queryRows } from './queue-sql';

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
    const rows = await queryRows<{ counter_id: number }>(this.dataSource.manager, 'SELECT counter_id FROM queue_counter_officers WHERE user_id = $1', [userId]);
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

  /** Acting on a waiting pooled ticket: an officer of any of these counters (those offering its service). */
  async assertMayOperateAny(p: Principal, counterIds: number[]): Promise<void> {
    if (this.isSupervisor(p)) return;
    if (p.kind === 'user' && p.role === 'officer') {
      const own = await this.counterOfOfficer(p.id);
      if (own !== null && counterIds.includes(own)) return;
      throw queueForbidden('Officers act only on tickets their counter may call');
    }
    throw queueForbidden('Your role may not do this');
  }

  /** `counterId` null: a pooled ticket, which a kiosk bound to one counter may not issue. */
  assertMayIssue(p: Principal, counterId: number | null): void {
    if (this.isSupervisor(p)) return;
    if (p.kind === 'device' && p.deviceKind === 'kiosk') {
      if (p.counterId === null || p.counterId === counterId) return;
      throw queueForbidden('This kiosk issues tickets only for its own counter');
    }
    throw queueForbidden('Only kiosks, leaders and admins issue tickets');
  }

  /**
   * Why the claims sent beside a token (queue `AUTH`) do not match its
   * principal, or null when they do. Claims are compared, never trusted.
   * `clientType` is the client type the principal may register as.
   */
  async claimMismatch(p: Principal, clientType: string | null, claims: { user_id?: unknown; role?: unknown; counter_id?: unknown }): Promise<string | null> {
    const given = (v: unknown) => v !== undefined && v !== null && v !== '';
    if (given(claims.user_id) && String(claims.user_id) !== p.id) return 'user_id does not match the token';
    if (given(claims.role)) {
      const role = String(claims.role);
      const allowed = p.kind === 'user' ? [p.role] : ['device', p.deviceKind, clientType];
      if (!allowed.includes(role)) return 'role does not match the token';
    }
    if (given(claims.counter_id)) {
      const claimed = Number(claims.counter_id);
      if (p.kind === 'device') {
        if (p.counterId !== claimed) return 'counter_id does not match the device';
      } else if (p.role === 'officer') {
        if ((await this.counterOfOfficer(p.id)) !== claimed) return 'counter_id is not the counter assigned to this officer';
      }
    }
    return null;
  }
}
