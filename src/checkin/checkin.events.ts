import type { CheckInOutcome } from './entities/check-in.entity';
/** One check-in attempt exactly as seed 003's dashboard frame (and the REST answer) has it. */
export interface CheckInFrame {
  checkin_time: string;
  message: string;
  /** No profile pictures are stored yet: always null. */
  profile_url: string | null;
  session_id: string;
  success: boolean;
  user_id: string;
  user_name: string;
}

/** What the dashboard gateway needs to re-check who may keep watching. */
export interface SessionAccess {
  id: string;
  host_id: string | null;
  dashboard_public: boolean;
}

declare module '../realtime/events' {
  interface RealtimeEvents {
    /** `id` and `outcome` go only to dashboards that asked for state; seed frames stay as they were. */
    'checkin.attempted': { attempt: CheckInFrame; id: string; outcome: CheckInOutcome };
    'checkin.session_updated': { session: SessionAccess };
    'checkin.session_deleted': { session_id: string };
  }
}
