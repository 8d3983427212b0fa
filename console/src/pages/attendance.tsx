import { useEffect, useState } from 'preact/hooks';
import type { Auth } from '../api';
import type { FeedEntry, LiveFeed } from '../feed';
import { LinkState, Section, time } from '../ui';
import { ClientsAndVisits } from './attendance-clients';
import { Face } from './attendance-face';
import { StaffRecords } from './attendance-records';

interface Frame {
  event: string;
  data: Record<string, unknown>;
}

const label = (f: Frame): string => {
  const d = f.data ?? {};
  if (f.event === 'employee_attendance') return `Employee #${String(d.employee_id)} recognised by ${String(d.device_id)} (score ${String(d.score)})`;
  if (f.event.startsWith('client_visit')) return `Visit of client #${String(d.client)} at ${String(d.device_id)}`;
  if (f.event.startsWith('client_')) return `Client #${String(d.id)} (${String(d.gender ?? '')}${d.age ? `, ${String(d.age)}` : ''}), ${String(d.visit_count ?? '')} visits`;
  if (f.event.startsWith('employee_')) return `Employee ${String(d.first_name ?? '')} ${String(d.last_name ?? '')} #${String(d.id)}`;
  return JSON.stringify(d);
};

/** Attendance: the live feed beside today's staff records, then the clients and a selected client's visits, all kept current by the attendance socket. */
export function AttendancePage({ auth, feed }: { auth: Auth; feed: LiveFeed }) {
  return (
    <div class="grid">
      <LiveFrames auth={auth} feed={feed} />
      <StaffRecords auth={auth} feed={feed} />
      <ClientsAndVisits auth={auth} feed={feed} />
    </div>
  );
}

/** Recognitions and staff records as the cameras send them (with their images). */
function LiveFrames({ auth, feed }: { auth: Auth; feed: LiveFeed }) {
  const pick = () =>
    feed.entries
      .filter((e) => e.gateway === 'attendance' && e.type !== 'error')
      .slice(-100)
      .reverse();
  const [rows, setRows] = useState<FeedEntry[]>(pick());
  // null: a link state changed (shown in the card's head).
  useEffect(() => feed.subscribe((e) => (!e || e.gateway === 'attendance') && setRows(pick())), []);
  return (
    <Section title="Live feed" actions={<LinkState state={feed.states.attendance} />}>
      <ul class="feed" data-testid="attendance-feed">
        {rows.map((e) => {
          const f = e.frame as Frame;
          const img = typeof f.data?.image === 'string' ? f.data.image : null;
          return (
            <li key={e.seq}>
              <span class="muted">{time(e.at)}</span> <span class="badge">{f.event}</span> {label(f)}
              {img && <Face auth={auth} url={img} alt="Camera image" />}
            </li>
          );
        })}
        {!rows.length && <li class="muted">Waiting for the cameras… (records appear here as they arrive)</li>}
      </ul>
    </Section>
  );
}
