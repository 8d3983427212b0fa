/** A notification as every gateway may need to render it. */
export interface NotificationSnapshot {
  id: string;
  user_id: string;
  type: string;
  title: string;
  message: string;
  priority: string;
  link: string | null;
  metadata: Record<string, unknown>;
  employee_id: number | null;
  is_read: boolean;
  read_at: string | null;
  created_at: string;
}

declare module '../realtime/events' {
  interface RealtimeEvents {
    'notifications.created': { notification: NotificationSnapshot };
    'notifications.read': { notification_id: string; user_id: string; read_at: string };
    'notifications.read_all': { user_id: string; notification_ids: string[]; read_at: string };
    'notifications.deleted': { notification_id: string; user_id: string };
  }
}
