/** client_create / client_update data (seed 004), image as an absolute URL. */
export interface ClientFrameData {
  id: number;
  first_seen: string | null;
  last_seen: string | null;
  visit_count: number;
  gender: string | null;
  age: number | null;
  image: string | null;
  visit_histories: Array<{ datetime: string; device_id: string }>;
}

export interface VisitFrameData {
  datetime: string;
  device_id: string;
  client: number;
}

export interface AttendanceFrameData {
  employee_id: number;
  device_id: string;
  image: string | null;
  datetime: string;
  score: number | null;
}

declare module '../realtime/events' {
  interface RealtimeEvents {
    'attendance.client_saved': { created: boolean; client: ClientFrameData };
    'attendance.client_deleted': { id: number };
    'attendance.visit_saved': { created: boolean; visit: VisitFrameData };
    'attendance.visit_deleted': { visit: VisitFrameData };
    'attendance.record_created': AttendanceFrameData;
    'attendance.record_deleted': { employee_id: number; datetime: string };
  }
}
