import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { notFound } from '../common/app-error';
import { Clock } from '../common/clock';
import { RealtimeService } from '../realtime/realtime.service';
import { reaches, Target } from './bells-plan';
import { BellsLog } from './bells-log.service';
import { BellDelivery } from './entities/bell-delivery.entity';
import { BellPlayer } from './entities/bell-player.entity';
import { BellRing } from './entities/bell-ring.entity';

/** `/ws/bells` connections of every instance are listed in the cluster directory under this gateway. */
export const BELLS_GATEWAY = 'bells';

export interface DeliveryRow {
  player_id: string;
  name: string | null;
  zone: string | null;
  status: 'sent' | 'played' | 'failed' | 'offline' | 'no_ack';
  acked_at: string | null;
}

/**
 * Players (who registered, in which zone) and the per-ring delivery record:
 * when a bell rings, every player it targets gets a row, `sent` when it had
 * an open socket on some instance, `offline` (and an alert) when not; its
 * `bell_ack` turns the row into `played` or `failed`.
 */
@Injectable()
export class BellsPlayersService {
  constructor(
    @InjectRepository(BellPlayer) private readonly players: Repository<BellPlayer>,
    @InjectRepository(BellDelivery) private readonly deliveries: Repository<BellDelivery>,
    private readonly realtime: RealtimeService,
    private readonly log: BellsLog,
    private readonly clock: Clock,
  ) {}

  async register(id: string, name: string | null, zone: string | null): Promise<void> {
    await this.players.upsert({ id, name, zone, lastSeenAt: this.clock.date() }, ['id']);
  }

  list(): Promise<BellPlayer[]> {
    return this.players.find({ order: { zone: 'ASC', name: 'ASC' } });
  }

  async remove(id: string): Promise<void> {
    if (!(await this.players.delete({ id })).affected) throw notFound('Player');
  }

  async zones(): Promise<Array<string | null>> {
    const rows: Array<{ zone: string | null }> = await this.players.createQueryBuilder('p').select('DISTINCT p.zone', 'zone').getRawMany();
    return rows.map((r) => r.zone);
  }

  /** Writes who a ring targets and who was online for it; alerts admins about the offline ones. */
  async recordDeliveries(ring: BellRing, target: Target, playerId: string | null): Promise<void> {
    const all = await this.players.find();
    const targeted = all.filter((p) => (playerId ? p.id === playerId : reaches(target, p.zone)));
    if (!targeted.length) return;
    const online = new Set((await this.realtime.cluster.clients(BELLS_GATEWAY)).map((c) => c.player_id as string | undefined).filter(Boolean));
    await this.deliveries
      .createQueryBuilder()
      .insert()
      .values(targeted.map((p) => ({ ringId: ring.id, playerId: p.id, status: online.has(p.id) ? ('sent' as const) : ('offline' as const), ackedAt: null })))
      .orIgnore()
      .execute();
    const offline = targeted.filter((p) => !online.has(p.id));
    if (offline.length) {
      this.log.warning('delivery', `"${ring.name}" rang while ${offline.length} player(s) were offline: ${offline.map((p) => `${p.name ?? p.id}${p.zone ? ` (${p.zone})` : ''}`).join(', ')}`);
    }
  }

  /** A player's acknowledgement; one it was not expected to send (registered late) is recorded too. */
  async acknowledge(ringId: string, playerId: string, status: 'played' | 'failed'): Promise<boolean> {
    if (!(await this.deliveries.manager.getRepository(BellRing).exists({ where: { id: ringId } }))) return false;
    await this.deliveries.upsert({ ringId, playerId, status, ackedAt: this.clock.date() }, ['ringId', 'playerId']);
    return true;
  }

  /** Every targeted player of a ring and what became of it; `sent` with no acknowledgement reads `no_ack`. */
  async report(ringId: string): Promise<DeliveryRow[]> {
    const rows = await this.deliveries.find({ where: { ringId }, order: { playerId: 'ASC' } });
    const players = new Map((await this.players.find({ where: { id: In(rows.map((r) => r.playerId)) } })).map((p) => [p.id, p]));
    return rows.map((r) => ({
      player_id: r.playerId,
      name: players.get(r.playerId)?.name ?? null,
      zone: players.get(r.playerId)?.zone ?? null,
      status: r.status === 'sent' ? 'no_ack' : r.status,
      acked_at: r.ackedAt?.toISOString() ?? null,
    }));
  }
}
