/** What the console reads from /api/queue. */
export interface CounterInfo {
  id: number;
  name: string;
  status: 'active' | 'paused' | 'offline';
  status_reason: string | null;
  procedures: Array<{ id: number; name: string; average_service_time: number }>;
  officer_ids: string[];
  waiting_count: number;
  current_number: number | null;
}

export interface TicketInfo {
  id: number;
  ticket_number: number;
  counter_id: number;
  procedure_name: string | null;
  status: 'waiting' | 'called' | 'serving' | 'completed' | 'skipped' | 'transferred' | 'expired';
  created_at: string;
  called_at: string | null;
}

/** The ticket a counter is dealing with now: the latest one called or being served. */
export function currentTicket(tickets: TicketInfo[]): TicketInfo | null {
  const open = tickets.filter((t) => t.status === 'called' || t.status === 'serving');
  return open.sort((a, b) => (b.called_at ?? '').localeCompare(a.called_at ?? ''))[0] ?? null;
}
