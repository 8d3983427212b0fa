import type { BellSystemState } from './entities/bell-state.entity';

export interface BellTriggered {
  schedule_item_id: string | null;
  sound_id: string;
  name: string;
  /** When it was due (scheduled) or requested (manual), ISO. */
  scheduled_for: string;
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
    'bells.state_changed': { state: BellSystemState };
    'bells.system_log': BellsLogEntry;
    /** Someone joined, registered or left /ws/bells on some instance. */
    'bells.clients_changed': Record<string, never>;
  }
}
