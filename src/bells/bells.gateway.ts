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
import { bellsCodec, bellsFrame, bellsTime } from './bells.codec';
import { BellsLog } from './bells-log.service';
import { RegisterDto } from './dto/register.dto';

const GATEWAY = 'bells';
const CLIENT_TYPES = ['admin', 'client'] as const;
type ClientType = (typeof CLIENT_TYPES)[number];

interface BellsClientState {
  clientType: ClientType;
  clientName: string | null;
}
type BellsConnection = Connection<BellsClientState>;

/** One row of `connected_clients` (kept in the cluster's client directory). */
export interface BellsClientInfo {
  id: string;
  ip: string;
  client_type: ClientType;
  client_name: string | null;
  connected_since: string;
}

/**
 * `/ws/bells` (seed 000): players (`client`) and admin panels (`admin`).
 * Every bells event goes to every connection; `connected_clients` and
 * `system_log` only to admin connections.
 */
@RealtimeGateway({ name: GATEWAY, path: '/ws/bells', codec: bellsCodec, auth: 'required' })
export class BellsGateway implements OnModuleInit, OnModuleDestroy, OnGatewayConnection, OnGatewayDisconnect {
  private readonly unsubscribe: Array<() => void> = [];
  private clientsRender: 'idle' | 'pending' | 'again' = 'idle';

  constructor(
    private readonly realtime: RealtimeService,
    private readonly registry: ConnectionRegistry,
    private readonly broadcaster: Broadcaster,
    private readonly log: BellsLog,
    clock: Clock,
  ) {
    bellsTime.now = () => clock.now();
  }

  onModuleInit(): void {
    const all = () => this.registry.all(GATEWAY);
    const admins = () => this.registry.room(GATEWAY, 'admins');
    const b = this.broadcaster;
    this.unsubscribe.push(
      b.on('bells.bell_triggered', (e) => this.realtime.broadcast(all(), bellsFrame('bell_triggered', { scheduleItemId: e.schedule_item_id, soundId: e.sound_id, name: e.name }))),
      b.on('bells.bell_cancelled', (e) => this.realtime.broadcast(all(), bellsFrame('bell_cancelled', { scheduleItemId: e.schedule_item_id, date: e.date }))),
      b.on('bells.schedules_changed', () => this.realtime.broadcast(all(), bellsFrame('schedules_updated'))),
      b.on('bells.sounds_changed', () => this.realtime.broadcast(all(), bellsFrame('audio_files_updated'))),
      b.on('bells.state_changed', (e) => this.realtime.broadcast(all(), bellsFrame('system_state_changed', { state: e.state }))),
      b.on('bells.system_log', (e) => this.realtime.broadcast(admins(), bellsFrame('system_log', e))),
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
    if (type === 'admin') this.registry.join(conn, 'admins');
    conn.hold(
      this.realtime.cluster.putClient(GATEWAY, conn.id, this.info(conn)).then(() => {
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
  async register(@Conn() conn: BellsConnection, @MessageBody() body: RegisterDto): Promise<void> {
    if (!(CLIENT_TYPES as readonly string[]).includes(body.client_type)) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, `client_type must be admin or client, got "${plainText(body.client_type, 20)}"`);
    }
    const type = body.client_type as ClientType;
    if (type === 'admin' && conn.principal?.role !== 'admin') throw new AppError(ErrorCode.FORBIDDEN, 'client_type=admin needs the admin role');
    conn.state.clientType = type;
    if (body.client_name !== undefined) conn.state.clientName = plainText(body.client_name ?? '', 200) || null;
    if (type === 'admin') this.registry.join(conn as Connection, 'admins');
    else this.registry.leave(conn as Connection, 'admins');
    await this.realtime.cluster.putClient(GATEWAY, conn.id, this.info(conn));
    this.realtime.send(conn as Connection, bellsFrame('connection_acknowledged', { connection_id: conn.id, client_type: type, message: 'Connection successful', server_time: new Date(bellsTime.now()).toISOString() }));
    // Every admin hears of it, this one included, right after its acknowledgement.
    this.broadcaster.publish('bells.clients_changed', {});
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
        this.realtime.broadcast(this.registry.room(GATEWAY, 'admins'), bellsFrame('connected_clients', { clients: sorted }));
      })
      .catch((err) => this.log.error('clients', `Could not list clients: ${String(err)}`))
      .finally(() => {
        const again = this.clientsRender === 'again';
        this.clientsRender = 'idle';
        if (again) this.renderClients();
      });
  }

  private info(conn: BellsConnection): BellsClientInfo {
    return { id: conn.id, ip: conn.ip, client_type: conn.state.clientType, client_name: conn.state.clientName, connected_since: new Date(conn.connectedAt).toISOString() };
  }

  private describe(conn: BellsConnection): string {
    return `${conn.state.clientType === 'admin' ? 'Admin' : 'Client'} ${conn.state.clientName ? `"${conn.state.clientName}"` : conn.id}`;
  }
}
