/** What every gateway may need to render an employee, as of the change. */
export interface EmployeeSnapshot {
  id: number;
  first_name: string;
  last_name: string;
  name: string;
  email: string | null;
  phone_number: string | null;
  job_role: string;
  user_id: string | null;
  working_graphic: number | null;
  image_path: string | null;
  created_at: string;
  updated_at: string;
}

export interface EmployeeChanged {
  employee: EmployeeSnapshot;
  /** Fields whose value changed, with old and new values (updates only). */
  changes?: Record<string, { old: unknown; new: unknown }>;
}

declare module '../realtime/events' {
  interface RealtimeEvents {
    'employees.created': EmployeeChanged;
    'employees.updated': EmployeeChanged;
    'employees.deleted': { employee: EmployeeSnapshot };
  }
}
