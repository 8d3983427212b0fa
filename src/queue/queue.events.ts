import type { CounterStatus } from './entities/counter.entity';

/** QUEUE_UPDATE's payload plus the counter version it was read at. */
export interface QueueSnapshot {
  counter_id: number;
  current_number: number | null;
  waiting_count: number;
  next_numbers: number[];
  average_wait_time: number;
  current_display_number: string | null;
  next_display_numbers: string[];
  version: number;
}

/** COUNTER_STATUS_UPDATE's payload plus the counter version. */
export interface CounterStatusView {
  counter_id: number;
  counter_name: string;
  status: CounterStatus;
  reason: string | null;
  changed_by: string | null;
  timestamp: string;
  affected_tickets: number;
  version: number;
  /** Set when the counter was deleted. */
  removed?: boolean;
}

/** One of today's calls, as a hall display lists it in its "recent" column. */
export interface RecentCall {
  ticket_number: number;
  display_number: string;
  counter_id: number;
  counter_name: string;
  called_at: string;
}

export interface TicketCreatedEvent {
  ticket_id: number;
  ticket_number: number;
  /** Null for a pooled ticket: any open counter offering service_id calls it (counter_name then lists them). */
  counter_id: number | null;
  counter_name: string;
  procedure_name: string | null;
  created_at: string;
  estimated_wait_time: number;
  display_number: string;
  service_id: number | null;
  priority_class: string | null;
}

export interface TicketAnnouncedEvent {
  ticket_id: number;
  ticket_number: number;
  display_number: string;
  service_id: number | null;
  counter_id: number;
  counter_name: string;
  announcement_text: string;
  audio_url: string | null;
  display_duration: number;
  recall: boolean;
}

export interface DisplayAnnouncementEvent {
  message: string;
  priority: 'high' | 'medium' | 'low';
  duration: number;
  target_displays: string[];
}

export interface QueueAlertEvent {
  alert_type: 'counter_offline' | 'high_queue' | 'system_error' | 'max_wait' | 'counter_idle';
  counter_id: number | null;
  message: string;
  severity: 'critical' | 'warning' | 'info';
  timestamp: string;
}

export interface QueueStatsEvent {
  total_tickets_today: number;
  active_counters: number;
  average_wait_time: number;
  busiest_counter: { id: number; name: string; queue_length: number } | null;
  timestamp: string;
}

export interface QueueClientEvent {
  client_id: string;
  client_type: 'kiosk' | 'tv' | 'officer' | 'admin';
  timestamp: string;
  reason?: 'network_error' | 'manual_disconnect' | 'timeout';
}

declare module '../realtime/events' {
  interface RealtimeEvents {
    'queue.ticket_created': TicketCreatedEvent;
    'queue.ticket_announced': TicketAnnouncedEvent;
    'queue.queue_changed': QueueSnapshot;
    'queue.counter_status_changed': CounterStatusView;
    'queue.announcement': DisplayAnnouncementEvent;
    'queue.alert': QueueAlertEvent;
    'queue.client_connected': QueueClientEvent;
    'queue.client_disconnected': Required<QueueClientEvent>;
    /** STATS_UPDATE payload, computed once (by the instance that leads `queue.stats`) for every admin. */
    'queue.stats': QueueStatsEvent;
    /**
     * An officer socket registered for a counter or went away, on any
     * instance, after the cluster's client directory was updated: a hint to
     * ask QueuePresence again.
     */
    'queue.officer_presence': { counter_id: number; online: boolean };
  }
}
