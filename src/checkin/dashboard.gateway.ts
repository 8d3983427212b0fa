import { Logger, OnModuleInit } from '@nestjs/common';
import { OnGatewayConnection } from '@nestjs/websockets';
import { Broadcaster } from '../realtime/broadcaster';
import { ErrorCode } from '../common/app-error';
import { CloseCode } from '../realtime/codec';
import { Connection } from '../realtime/connection';
import { ConnectionRegistry } from '../realtime/connections';
import { RealtimeGateway } from '../realtime/realtime-gateway.decorator';
import { RealtimeService } from '../realtime/realtime.service';
import { CheckInsService } from './check-ins.service';
import { SessionAccess } from './checkin.events';
import { dashboardCodec } from './dashboard.codec';
import type { DashboardFrame } from './dashboard.frames';
import { DashboardAccess, dashboardAccessOf, EventSessionsService } from './event-sessions.service';

export const DASHBOARD_GATEWAY = 'dashboard';

type DashboardConnection = Connection<{ sessionId?: string; wantsState?: boolean }>;

const roomOf = (sessionId: string) => `session:${sessionId}`;

/** `?state=1` (or `true`): the screen wants the totals and latest attempts on connect. */
const STATE_OPT_IN = new Set(['1', 'true']);

/**
 * Seed 003's check-in dashboard at /ws/dashboard/:sessionId. A public
 * session's dashboard needs no token; a private one the host's or an admin's.
 * Every check-in attempt on the session is one frame to each of its sockets.
 */
@RealtimeGateway({ name: DASHBOARD_GATEWAY, path: '/ws/dashboard/:sessionId', codec: dashboardCodec, auth: 'optional' })
export class DashboardGateway implements OnModuleInit, OnGatewayConnection {
  private readonly logger = new Logger('DashboardGateway');

  constructor(
    private readonly realtime: RealtimeService,
    private readonly registry: ConnectionRegistry,
    private readonly broadcaster: Broadcaster,
    private readonly sessions: EventSessionsService,
    private readonly checkIns: CheckInsService,
  ) {}

  onModuleInit(): void {
    this.broadcaster.on('checkin.attempted', ({ attempt, id, outcome }) => {
      const room = this.registry.room(DASHBOARD_GATEWAY, roomOf(attempt.session_id));
      // Seed clients get the seed's frame byte for byte; state-keeping screens (and every screen that opted in to
      // reliable delivery, whose stream keeps one shape) also get the attempt's id and outcome.
      const plain: Connection[] = [];
      const stateful: Connection[] = [];
      for (const c of room) ((c as DashboardConnection).state.wantsState && !c.recover ? stateful : plain).push(c);
      const full = { ...attempt, id, outcome } satisfies DashboardFrame;
      this.realtime.publish(DASHBOARD_GATEWAY, roomOf(attempt.session_id), plain, attempt satisfies DashboardFrame, full);
      if (stateful.length) this.realtime.broadcast(stateful, full);
    });
    // A dashboard made private keeps only the sockets of its host and admins.
    this.broadcaster.on('checkin.session_updated', ({ session }) => {
      for (const conn of [...this.registry.room(DASHBOARD_GATEWAY, roomOf(session.id))]) this.admitOrRefuse(conn, dashboardAccessOf(session, conn.principal), session);
    });
    this.broadcaster.on('checkin.session_deleted', ({ session_id }) => {
      for (const conn of [...this.registry.room(DASHBOARD_GATEWAY, roomOf(session_id))]) this.admitOrRefuse(conn, 'not_found', null);
    });
  }

  /** Looks the session up before any message is handled; the upgrade has completed, so refusals are close codes. */
  handleConnection(client: unknown): void {
    const conn = this.realtime.connectionOf<{ sessionId?: string; wantsState?: boolean }>(client);
    const sessionId = conn.params.sessionId ?? '';
    conn.state.wantsState = STATE_OPT_IN.has(conn.query.state ?? '');
    conn.hold(
      this.sessions.dashboardAccess(sessionId, conn.principal).then(
        async ({ access, session }) => {
          this.admitOrRefuse(conn, access, session);
          // Joined first, read second: an attempt made meanwhile may come twice (same id), never not at all.
          if (access !== 'allowed' || !conn.state.wantsState) return;
          try {
            this.realtime.send(conn, await this.checkIns.dashboardState(session!.id));
          } catch (err) {
            // The screen still gets every attempt from now on; it can read the totals over REST.
            this.logger.error({ msg: 'dashboard state lookup failed', session_id: session!.id, err: String(err) });
            this.realtime.sendError(conn, ErrorCode.INTERNAL, 'The server could not read the dashboard state');
          }
        },
        (err) => {
          this.logger.error({ msg: 'dashboard session lookup failed', session_id: sessionId, err: String(err) });
          this.realtime.refuse(conn, ErrorCode.INTERNAL, 'The server could not open this dashboard', 1011);
        },
      ),
    );
  }

  private admitOrRefuse(conn: DashboardConnection, access: DashboardAccess, session: SessionAccess | null): void {
    switch (access) {
      case 'allowed':
        if (conn.state.sessionId === session!.id) return;
        conn.state.sessionId = session!.id;
        this.registry.join(conn, roomOf(session!.id));
        this.realtime.follow(conn, roomOf(session!.id));
        return;
      case 'not_found':
        return this.realtime.refuse(conn, ErrorCode.NOT_FOUND, 'No such event session', CloseCode.NOT_FOUND);
      case 'unauthenticated':
        return this.realtime.refuse(conn, ErrorCode.UNAUTHENTICATED, "This dashboard is private: connect with the host's or an admin's token", CloseCode.UNAUTHENTICATED);
      case 'forbidden':
        return this.realtime.refuse(conn, ErrorCode.FORBIDDEN, 'Only the host or an admin may watch this dashboard', CloseCode.FORBIDDEN);
      default: {
        const unhandled: never = access;
        throw new Error(`unhandled dashboard access ${String(unhandled)}`);
      }
    }
  }
}
