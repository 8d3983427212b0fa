import type { RingKind } from './entities/bell-ring.entity';
import type { BellSystemState } from './entities/bell-state.entity';

export interface BellTriggered {
  ring_id: string;
  schedule_item_id: string | null;
  sound_id: string;
  name: string;
  kind: RingKind;
  /** When it was due (scheduled) or requested (manual), ISO. */
  scheduled_for: string;
  /** Who hears it: zones (null: every zone) minus zones on holiday, or one player only. */
  zones: string[] | null;
  except_zones: string[];
  player_id: string | null;
}

export interface BellsLogEntry {
  level: 'info' | 'warning' | 'error';
  message: string;
  source: string;
}

declare module '../realtime/events' {
  interface RealtimeEvents {
    'bells.sounds_changed': Record<string, never>;
    'bells.schedules_changed': Record<string, never>;
    'bells.holidays_changed': Record<string, never>;
    'bells.bell_triggered': BellTriggered;
    'bells.bell_cancelled': { schedule_item_id: string; date: string };
    'bells.bell_uncancelled': { schedule_item_id: string; date: string };
    'bells.state_changed': { state: BellSystemState; paused_until: string | null };
    'bells.system_log': BellsLogEntry;
    /** Someone joined, registered or left /ws/bells on some instance. */
    'bells.clients_changed': Record<string, never>;
  }
}
