import { connectAttendance, connectBells, connectQueue } from '../../packages/client/src/gateways';
import type { AttendanceMessages, BellsMessages, QueueMessages } from '../../packages/client/src/gateways';
import type { ConnectionState } from '../../packages/client/src/connector';
import type { Auth } from './api';

export interface FeedEntry {
  seq: number;
  at: string;
  gateway: 'queue' | 'bells' | 'attendance';
  type: string;
  frame: unknown;
}

// Every frame name of each gateway the console listens to as an admin (typed: a name the server does not send does not compile).
const QUEUE: Array<keyof QueueMessages> = [
  'CONNECTION_ACK',
  'QUEUE_UPDATE',
  'COUNTER_STATUS_UPDATE',
  'TICKET_CREATED',
  'TICKET_ANNOUNCEMENT',
  'ANNOUNCEMENT',
  'SYSTEM_ALERT',
  'STATS_UPDATE',
  'CLIENT_CONNECTED',
  'CLIENT_DISCONNECTED',
  'ERROR',
];
const BELLS: Array<keyof BellsMessages> = [
  'connection_acknowledged',
  'connected_clients',
  'schedules_updated',
  'bell_triggered',
  'bell_cancelled',
  'bell_uncancelled',
  'system_state_changed',
  'audio_files_updated',
  'system_log',
  'error',
];
const ATTENDANCE: Array<keyof AttendanceMessages> = [
  'client_create',
  'client_update',
  'client_delete',
  'client_visit_create',
  'client_visit_update',
  'client_visit_delete',
  'employee_create',
  'employee_update',
  'employee_delete',
  'employee_attendance',
  'employee_attendance_delete',
  'error',
];

const LIMIT = 500;

/**
 * The console's own admin sockets on the queue, bells and attendance
 * gateways, shared by the pages: every frame goes into one ring buffer (the
 * live event log) and to whoever listens (overview, queue floor, feeds).
 */
export class LiveFeed {
  readonly entries: FeedEntry[] = [];
  readonly states: Record<FeedEntry['gateway'], ConnectionState> = { queue: 'connecting', bells: 'connecting', attendance: 'connecting' };
  private seq = 0;
  private readonly listeners = new Set<(e: FeedEntry | null) => void>();
  private readonly closers: Array<() => void> = [];

  constructor(auth: Auth) {
    const role = auth.user?.role ?? '';
    const token = () => auth.token();
    const url = location.origin;
    if (['admin', 'leader'].includes(role)) {
      const q = connectQueue({ url, token, register: { client_type: 'admin', client_id: `console-${auth.user!.id}-${Math.random().toString(36).slice(2, 6)}` } });
      this.wire('queue', q, QUEUE);
    }
    if (role === 'admin') {
      const b = connectBells({ url, token, clientType: 'admin', clientName: 'Console' });
      this.wire('bells', b, BELLS);
    }
    if (['admin', 'manager'].includes(role)) {
      const a = connectAttendance({ url, token });
      this.wire('attendance', a, ATTENDANCE);
    }
  }

  private wire(gateway: FeedEntry['gateway'], c: { on(t: string, h: (f: unknown) => void): () => void; onState(h: (s: ConnectionState) => void): () => void; close(): void }, types: string[]) {
    for (const t of types) c.on(t, (frame) => this.push({ seq: ++this.seq, at: new Date().toISOString(), gateway, type: t, frame }));
    c.onState((s) => {
      this.states[gateway] = s;
      this.emit(null);
    });
    this.closers.push(() => c.close());
  }

  private push(e: FeedEntry): void {
    this.entries.push(e);
    if (this.entries.length > LIMIT) this.entries.splice(0, this.entries.length - LIMIT);
    this.emit(e);
  }

  private emit(e: FeedEntry | null): void {
    for (const l of this.listeners) l(e);
  }

  /** `fn` gets each new frame (null: a link state changed). */
  subscribe(fn: (e: FeedEntry | null) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  close(): void {
    this.closers.forEach((c) => c());
  }
}
