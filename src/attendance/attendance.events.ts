import type { Gender } from './entities/attendance-client.entity';

/**
 * Domain events of attendance. Payloads are plain JSON (ISO dates) and carry
 * everything the gateway renders, so it never reads the database. Media are
 * stored paths; the gateway turns them into absolute URLs.
 */

export interface VisitHistoryEntry {
  datetime: string;
  device_id: string;
}

export interface ClientSnapshot {
  id: number;
  first_seen: string | null;
  last_seen: string | null;
  visit_count: number;
  gender: Gender;
  age: number | null;
  image_path: string | null;
  consent: boolean;
  /** The latest ATTENDANCE_VISIT_HISTORY_LIMIT visits, oldest first. */
  visit_histories: VisitHistoryEntry[];
}

export interface VisitSnapshot {
  id: number;
  client_id: number;
  datetime: string;
  device_id: string;
  image_path: string | null;
}

export interface RecordSnapshot {
  id: number;
  employee_id: number;
  device_id: string;
  datetime: string;
  score: number;
  image_path: string | null;
}

declare module '../realtime/events' {
  interface RealtimeEvents {
    'attendance.client_created': { client: ClientSnapshot };
    'attendance.client_updated': { client: ClientSnapshot };
    'attendance.client_deleted': { client_id: number };
    'attendance.visit_created': { visit: VisitSnapshot };
    'attendance.visit_updated': { visit: VisitSnapshot };
    'attendance.visit_deleted': { visit: VisitSnapshot };
    'attendance.record_created': { record: RecordSnapshot };
    'attendance.record_deleted': { record: RecordSnapshot };
  }
}
