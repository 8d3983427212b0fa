import { useEffect, useMemo, useState } from 'preact/hooks';
import { Auth, call } from '../api';
import type { LiveFeed } from '../feed';
import { coalesced, ErrorText, message, Section, Table, time } from '../ui';
import { Face } from './attendance-face';

interface StaffRecord {
  id: number;
  employee_id: number;
  device_id: string;
  image: string | null;
  datetime: string;
  score: number;
}
interface Employee {
  id: number;
  name: string;
}

// The list's own cap (ATTENDANCE_MAX_PAGE_SIZE's default): a day of one building's staff fits.
const DAY_LIMIT = 500;

/** Today's staff records (the browser's calendar day), newest first, reloaded when a camera records someone. */
export function StaffRecords({ auth, feed }: { auth: Auth; feed: LiveFeed }) {
  const [records, setRecords] = useState<StaffRecord[]>([]);
  const [names, setNames] = useState<Map<number, string>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const { loadRecords, loadNames } = useMemo(() => {
    const day = () => {
      const from = new Date();
      from.setHours(0, 0, 0, 0);
      const to = new Date(from);
      to.setDate(to.getDate() + 1);
      return `from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
    };
    return {
      loadRecords: coalesced(() =>
        call<StaffRecord[]>(auth, 'GET', `/api/attendance/records?${day()}&limit=${DAY_LIMIT}`).then(
          (r) => setRecords(r.reverse()),
          (e) => setError(message(e)),
        ),
      ),
      loadNames: coalesced(() =>
        call<Employee[]>(auth, 'GET', '/api/employees').then(
          (list) => setNames(new Map(list.map((e) => [e.id, e.name]))),
          (e) => setError(message(e)),
        ),
      ),
    };
  }, [auth]);
  useEffect(() => {
    loadRecords();
    loadNames();
    return feed.subscribe((e) => {
      if (e?.gateway !== 'attendance') return;
      if (e.type.startsWith('employee_attendance')) loadRecords();
      else if (e.type.startsWith('employee_')) loadNames();
    });
  }, [feed, loadRecords, loadNames]);

  const name = (r: StaffRecord) => names.get(r.employee_id) ?? `Employee #${r.employee_id}`;
  return (
    <Section title={`Staff today (${records.length})`}>
      <Table
        label="Staff records today"
        testId="attendance-records"
        rows={records}
        rowKey={(r) => r.id}
        empty="Nobody recorded today yet."
        columns={[
          { title: 'Time', cell: (r) => time(r.datetime) },
          { title: 'Employee', cell: name },
          { title: 'Camera', cell: (r) => r.device_id },
          { title: 'Score', cell: (r) => r.score },
          { title: 'Image', cell: (r) => <Face auth={auth} url={r.image} alt={`${name(r)} at ${time(r.datetime)}`} /> },
        ]}
      />
      <ErrorText error={error} />
    </Section>
  );
}
