import { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { MessageBody, OnGatewayConnection, OnGatewayDisconnect, SubscribeMessage } from '@nestjs/websockets';
import { Clock } from '../common/clock';
import { plainText } from '../common/plain-text';
import { Broadcaster } from '../realtime/broadcaster';
import { AppError, ErrorCode } from '../common/app-error';
import { CloseCode } from '../realtime/codec';
import { Connection } from '../realtime/connection';
import { ConnectionRegistry } from '../realtime/connections';
import { Conn, RealtimeGateway } from '../realtime/realtime-gateway.decorator';
import { RealtimeService } from '../realtime/realtime.service';
import { bellsCodec, bellsFrame } from './bells.codec';
import type { BellsPayloads } from './bells.frames';
import { BellsLog } from './bells-log.service';
import { BELLS_GATEWAY, BellsPlayersService } from './bells-players.service';
import { BellsService } from './bells.service';
import { playerIdOf } from './bells-actor';
import { reaches } from './bells-plan';
import { BellTriggered } from './bells.events';
import { BellAckDto, BellsRegisterDto } from './dto/register.dto';

const GATEWAY = BELLS_GATEWAY;
const CLIENT_TYPES = ['admin', 'client'] as const;
type ClientType = (typeof CLIENT_TYPES)[number];

interface BellsClientState {
  clientType: ClientType;
  clientName: string | null;
  /** Its zone; null: it hears every bell (players written before zones). */
  zone: string | null;
  /** The player behind the token (`device:<id>`), for targeting and acknowledgements. */
  playerId: string | null;
}
type BellsConnection = Connection<BellsClientState>;

/** One row of `connected_clients` (kept in the cluster's client directory). */
export interface BellsClientInfo {
  id: string;
  ip: string;
  client_type: ClientType;
  client_name: string | null;
  connected_since: string;
  zone: string | null;
  player_id: string | null;
}

/**
 * `/ws/bells` (seed 000): players (`client`) and admin panels (`admin`).
 * Every bells event goes to every connection; `connected_clients` and
 * `system_log` only to admin connections.
 */
@RealtimeGateway({ name: GATEWAY, path: '/ws/bells', codec: bellsCodec, auth: 'required' })
export class BellsGateway implements OnModuleInit, OnModuleDestroy, OnGatewayConnection, OnGatewayDisconnect {
  private readonly unsubscribe: Array<() => void> = [];
  /** Every zone a player or socket named (`''`: no zone): each is a stream of the rings that reach it. */
  private readonly zones = new Set<string>(['']);
  private clientsRender: 'idle' | 'pending' | 'again' = 'idle';
  private prewarmRender: 'idle' | 'pending' | 'again' = 'idle';

  constructor(
    private readonly realtime: RealtimeService,
    private readonly registry: ConnectionRegistry,
    private readonly broadcaster: Broadcaster,
    private readonly log: BellsLog,
    private readonly bells: BellsService,
    private readonly players: BellsPlayersService,
    private readonly clock: Clock,
  ) {}

  /** Frames are stamped by this app's clock, so two apps in one process never share one. */
  private frame<K extends keyof BellsPayloads>(type: K, ...payload: BellsPayloads[K] extends undefined ? [] : [BellsPayloads[K]]) {
    return bellsFrame(this.clock.now(), type, ...payload);
  }

  onModuleInit(): void {
    const all = () => this.registry.all(GATEWAY);
    const admins = () => this.registry.room(GATEWAY, 'admins');
    const b = this.broadcaster;
    void this.players
      .zones()
      .then((zones) => zones.forEach((z) => this.zones.add(z ?? '')))
      .catch((err) => this.log.error('clients', `Could not list the players' zones: ${String(err)}`));
    this.unsubscribe.push(
      b.on('bells.bell_triggered', (e) => this.ring(e)),
      b.on('bells.bell_cancelled', (e) => {
        this.realtime.publish(GATEWAY, 'all', all(), this.frame('bell_cancelled', { scheduleItemId: e.schedule_item_id, date: e.date }));
        this.prewarm();
      }),
      b.on('bells.bell_uncancelled', (e) => {
        this.realtime.publish(GATEWAY, 'all', all(), this.frame('bell_uncancelled', { scheduleItemId: e.schedule_item_id, date: e.date }));
        this.prewarm();
      }),
      b.on('bells.schedules_changed', () => {
        this.realtime.publish(GATEWAY, 'all', all(), this.frame('schedules_updated'));
        this.prewarm();
      }),
      b.on('bells.sounds_changed', () => {
        this.realtime.publish(GATEWAY, 'all', all(), this.frame('audio_files_updated'));
        this.prewarm();
      }),
      b.on('bells.state_changed', (e) => this.realtime.publish(GATEWAY, 'all', all(), this.frame('system_state_changed', { state: e.state, paused_until: e.paused_until }))),
      b.on('bells.system_log', (e) => this.realtime.publish(GATEWAY, 'admins', admins(), this.frame('system_log', e))),
      b.on('bells.clients_changed', () => this.renderClients()),
    );
  }

  onModuleDestroy(): void {
    for (const off of this.unsubscribe) off();
  }

  handleConnection(client: unknown): void {
    const conn = this.realtime.connectionOf<BellsClientState>(client);
    const type = conn.query.client_type ?? 'client';
    if (!(CLIENT_TYPES as readonly string[]).includes(type)) {
      return this.realtime.refuse(conn, ErrorCode.BAD_HANDSHAKE, `client_type must be admin or client, got "${plainText(type, 20)}"`, CloseCode.BAD_HANDSHAKE);
    }
    if (type === 'admin' && conn.principal?.role !== 'admin') {
      return this.realtime.refuse(conn, ErrorCode.FORBIDDEN, 'client_type=admin needs the admin role', CloseCode.FORBIDDEN);
    }
    conn.state.clientType = type as ClientType;
    conn.state.clientName = plainText(conn.query.client_name ?? '', 200) || null;
    conn.state.zone = plainText(conn.query.zone ?? '', 100) || null;
    conn.state.playerId = type === 'client' && conn.principal ? playerIdOf(conn.principal) : null;
    if (type === 'admin') this.registry.join(conn, 'admins');
    this.followStreams(conn);
    conn.hold(
      this.registerPlayer(conn)
        .then(() => this.putClient(conn))
        .then(() => {
          this.broadcaster.publish('bells.clients_changed', {});
          this.log.info('clients', `${this.describe(conn)} joined from ${conn.ip}`);
        }),
    );
  }

  handleDisconnect(client: unknown): void {
    const conn = this.realtime.connectionOf<BellsClientState>(client);
    if (!conn.state.clientType) return;
    void this.realtime.cluster.removeClient(GATEWAY, conn.id).then(() => {
      this.broadcaster.publish('bells.clients_changed', {});
      this.log.info('clients', `${this.describe(conn)} left`);
    });
  }

  /** `register` may change type and name; each valid one gets exactly one acknowledgement. */
  @SubscribeMessage('register')
  async register(@Conn() conn: BellsConnection, @MessageBody() body: BellsRegisterDto): Promise<void> {
    if (!(CLIENT_TYPES as readonly string[]).includes(body.client_type)) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, `client_type must be admin or client, got "${plainText(body.client_type, 20)}"`);
    }
    const type = body.client_type as ClientType;
    if (type === 'admin' && conn.principal?.role !== 'admin') throw new AppError(ErrorCode.FORBIDDEN, 'client_type=admin needs the admin role');
    conn.state.clientType = type;
    if (body.client_name !== undefined) conn.state.clientName = plainText(body.client_name ?? '', 200) || null;
    if (body.zone !== undefined) conn.state.zone = plainText(body.zone ?? '', 100) || null;
    conn.state.playerId = type === 'client' && conn.principal ? playerIdOf(conn.principal) : null;
    if (type === 'admin') this.registry.join(conn, 'admins');
    else this.registry.leave(conn, 'admins');
    this.followStreams(conn);
    await this.registerPlayer(conn);
    await this.putClient(conn);
    this.realtime.send(conn, this.frame('connection_acknowledged', { connection_id: conn.id, client_type: type, message: 'Connection successful', server_time: this.clock.date().toISOString() }));
    // Every admin hears of it, this one included, right after its acknowledgement.
    this.broadcaster.publish('bells.clients_changed', {});
    if (conn.state.playerId) await this.sendPrewarm([conn]);
  }

  /**
   * `bell_ack {ring_id, status?}`: the player played the bell (or could not).
   * No reply; the ring's delivery report shows it. Seed players that never
   * send it stay `no_ack` in the report and keep working.
   */
  @SubscribeMessage('bell_ack')
  async ack(@Conn() conn: BellsConnection, @MessageBody() body: BellAckDto): Promise<void> {
    if (!conn.state.playerId) throw new AppError(ErrorCode.FORBIDDEN, 'Only players (client_type=client) acknowledge bells');
    if (!(await this.players.acknowledge(body.ring_id, conn.state.playerId, body.status ?? 'played'))) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, `No ring ${body.ring_id}`);
    }
  }

  /** Keeps the connection alive; no reply. */
  @SubscribeMessage('heartbeat')
  heartbeat(): void {
    return undefined;
  }

  /**
   * `connected_clients` to every admin here. Changes arriving while a list is
   * being read fold into one more send, so a hall of players connecting at
   * once costs a few lists, not one per player.
   */
  private renderClients(): void {
    if (this.clientsRender !== 'idle') {
      this.clientsRender = 'again';
      return;
    }
    if (this.registry.room(GATEWAY, 'admins').size === 0) return;
    this.clientsRender = 'pending';
    void this.realtime.cluster
      .clients(GATEWAY)
      .then((clients) => {
        const sorted = (clients as unknown as BellsClientInfo[]).sort((a, b) => a.connected_since.localeCompare(b.connected_since));
        this.realtime.broadcast(this.registry.room(GATEWAY, 'admins'), this.frame('connected_clients', { clients: sorted }));
      })
      .catch((err) => this.log.error('clients', `Could not list clients: ${String(err)}`))
      .finally(() => {
        const again = this.clientsRender === 'again';
        this.clientsRender = 'idle';
        if (again) this.renderClients();
      });
  }

  /** In the bells directory (connected_clients) and, for players, in the cluster-wide list of connected devices. */
  private putClient(conn: BellsConnection): Promise<void> {
    if (conn.state.playerId || conn.listing) {
      this.realtime.describeConnection(conn, { client_type: conn.state.clientType, client_name: conn.state.clientName, zone: conn.state.zone, player_id: conn.state.playerId });
    }
    return this.realtime.cluster.putClient(GATEWAY, conn.id, this.info(conn));
  }

  private info(conn: BellsConnection): BellsClientInfo {
    return {
      id: conn.id,
      ip: conn.ip,
      client_type: conn.state.clientType,
      client_name: conn.state.clientName,
      connected_since: new Date(conn.connectedAt).toISOString(),
      zone: conn.state.zone,
      player_id: conn.state.playerId,
    };
  }

  private registerPlayer(conn: BellsConnection): Promise<void> {
    return conn.state.playerId ? this.players.register(conn.state.playerId, conn.state.clientName, conn.state.zone) : Promise.resolve();
  }

  /**
   * Reliable delivery: `all` (what every socket hears), `admins` (the log),
   * and the rings, which admin panels hear in full (`rings`) and a player only
   * where they target it: its zone (`zone:<zone>`, `zone:` for none) or itself
   * (`player:<id>`). Every zone a player or socket ever named is a stream,
   * so a ring is kept for zones whose players are away.
   */
  private followStreams(conn: BellsConnection): void {
    this.realtime.follow(conn, 'all');
    if (conn.state.clientType !== 'client') {
      this.realtime.follow(conn, 'admins');
      this.realtime.follow(conn, 'rings');
      return;
    }
    const zone = conn.state.zone ?? '';
    this.zones.add(zone);
    this.realtime.follow(conn, `zone:${zone}`);
    if (conn.state.playerId) this.realtime.follow(conn, `player:${conn.state.playerId}`);
  }

  /** Admin panels hear every bell; a player only what targets it (one player, or its zone; no zone: everything). */
  private ring(e: BellTriggered): void {
    const frame = this.frame('bell_triggered', this.triggered(e));
    const sockets = [...this.registry.all(GATEWAY)] as BellsConnection[];
    const clients = (match: (s: BellsClientState) => boolean) => sockets.filter((c) => c.state.clientType === 'client' && match(c.state));
    this.realtime.publish(
      GATEWAY,
      'rings',
      sockets.filter((c) => c.state.clientType !== 'client'),
      frame,
    );
    if (e.player_id) {
      this.realtime.publish(
        GATEWAY,
        `player:${e.player_id}`,
        clients((s) => s.playerId === e.player_id),
        frame,
      );
      return;
    }
    const target = { zones: e.zones, exceptZones: e.except_zones };
    for (const zone of this.zones) {
      if (reaches(target, zone || null))
        this.realtime.publish(
          GATEWAY,
          `zone:${zone}`,
          clients((s) => (s.zone ?? '') === zone),
          frame,
        );
    }
  }

  private triggered(e: BellTriggered) {
    const override = e.kind === 'emergency' || e.kind === 'lockdown';
    return { scheduleItemId: e.schedule_item_id, soundId: e.sound_id, name: e.name, ringId: e.ring_id, kind: e.kind, zones: e.zones, ...(override ? { override: true } : {}) };
  }

  /**
   * `bells_prewarm` to this instance's players when the day's bells may have
   * changed: the bells still to ring today in each player's zone, with sound
   * checksums, so players fetch sounds before they are needed. Bursts of
   * changes fold into one more round.
   */
  private prewarm(): void {
    if (this.prewarmRender !== 'idle') {
      this.prewarmRender = 'again';
      return;
    }
    const players = [...this.registry.all(GATEWAY)].filter((c) => (c as BellsConnection).state.playerId) as BellsConnection[];
    if (!players.length) return;
    this.prewarmRender = 'pending';
    void this.sendPrewarm(players)
      .catch((err) => this.log.error('prewarm', `Could not list the coming bells: ${String(err)}`))
      .finally(() => {
        const again = this.prewarmRender === 'again';
        this.prewarmRender = 'idle';
        if (again) this.prewarm();
      });
  }

  private async sendPrewarm(players: BellsConnection[]): Promise<void> {
    const byZone = new Map<string | null, BellsConnection[]>();
    for (const c of players) byZone.set(c.state.zone ?? null, [...(byZone.get(c.state.zone ?? null) ?? []), c]);
    for (const [zone, conns] of byZone) {
      const day = await this.bells.upcoming(undefined, zone);
      const bells = day.bells.map((b) => ({
        scheduleItemId: b.schedule_item_id,
        name: b.name,
        at: b.at,
        soundId: b.sound?.id ?? null,
        checksum: b.sound?.checksum ?? null,
        url: b.sound?.url ?? null,
      }));
      this.realtime.broadcast(conns as Connection[], this.frame('bells_prewarm', { date: day.date, zone, bells }));
    }
  }

  private describe(conn: BellsConnection): string {
    return `${conn.state.clientType === 'admin' ? 'Admin' : 'Client'} ${conn.state.clientName ? `"${conn.state.clientName}"` : conn.id}`;
  }
}
