import type { ScheduleStatus } from './entities/schedule.entity';

/** Who did it, as frames show it (`updated_by`, `deleted_by`, `sender`). */
export interface Actor {
  id: string;
  name: string;
}

export interface ScheduleView {
  id: number;
  employee_id: number;
  shift_id: number;
  date: string;
  status: ScheduleStatus;
  notes: string | null;
  /** False for a draft, which only managers see. */
  published: boolean;
  employee: { id: number; name: string; role: string; user_id: string | null };
  shift: { id: number; name: string; start_time: string; end_time: string };
  created_at: string;
  updated_at: string;
}

export type FieldChanges = Record<string, { old: unknown; new: unknown }>;

export interface ScheduleCreated {
  schedule: ScheduleView;
  created_by: Actor;
}

export interface ScheduleUpdated {
  schedule_id: number;
  employee_id: number;
  date: string;
  /** Where the schedule was before the change, so its old audience hears it moved away. */
  previous: { employee_id: number; date: string };
  /** Only the fields whose value changed. */
  changes: FieldChanges;
  updated_by: Actor;
}

export interface ScheduleDeleted {
  schedule_id: number;
  employee_id: number;
  date: string;
  reason: string | null;
  deleted_by: Actor;
}

export interface SystemMaintenance {
  status: string;
  estimated_duration: string | null;
  scheduled_start: string | null;
  message: string;
  sent_by: Actor;
}

export interface SystemBroadcast {
  title: string;
  message: string;
  priority: string;
  sender: Actor;
}

export interface DeviceInfo {
  type: 'web' | 'mobile' | 'desktop' | 'bot' | 'unknown';
  browser: string;
  ip: string;
}

/** A user's first schedules socket opened or last one closed (on the instance that saw it). */
export interface PresenceChanged {
  user_id: string;
  employee_id: number | null;
  status: 'online' | 'offline';
  last_activity: string;
  device_info: DeviceInfo;
}

export interface TypingRelayed {
  user_id: string;
  typing: boolean;
  context: string;
}

declare module '../realtime/events' {
  interface RealtimeEvents {
    'schedules.schedule_created': ScheduleCreated;
    'schedules.schedule_updated': ScheduleUpdated;
    'schedules.schedule_deleted': ScheduleDeleted;
    'schedules.system_maintenance': SystemMaintenance;
    'schedules.system_broadcast': SystemBroadcast;
    'schedules.presence_changed': PresenceChanged;
    'schedules.typing': TypingRelayed;
  }
}
