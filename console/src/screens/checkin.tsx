import { useState } from 'preact/hooks';
import { connectDashboard } from '../../../packages/client/src/gateways';
import { Auth, param } from '../api';
import { useConnector } from '../live';
import { LinkState, time } from '../ui';

interface Row {
  id?: string;
  checkin_time: string;
  user_name: string;
  message: string;
  success: boolean;
}

/** The check-in wall of one session: running totals and the latest arrivals (`?session=`; a public session needs no token). */
export function CheckinScreen({ auth, sessionId = param('session') }: { auth: Auth | null; sessionId?: string | null }) {
  const [counts, setCounts] = useState<Record<string, number>>({});
  const [rows, setRows] = useState<Row[]>([]);
  const [, state] = useConnector(() => {
    if (!sessionId) return null;
    // ?state=1: the totals and latest attempts come at once, again after every reconnect.
    const d = connectDashboard({ url: location.origin, sessionId, path: `/ws/dashboard/${encodeURIComponent(sessionId)}?state=1`, token: auth ? () => auth.token() : undefined });
    d.on('checkin', (f) => {
      const frame = f as unknown as { event?: string; counts?: Record<string, number>; latest?: Row[] } & Row;
      if (frame.event === 'state') {
        setCounts(frame.counts ?? {});
        setRows(frame.latest ?? []);
        return;
      }
      setRows((r) => [frame, ...r].slice(0, 30));
      setCounts((c) => ({ ...c, total_attempts: (c.total_attempts ?? 0) + 1, successful: (c.successful ?? 0) + (frame.success ? 1 : 0) }));
    });
    return d;
  }, [sessionId]);

  if (!sessionId) return <main class="officer">Open this screen with ?session=&lt;session id&gt;.</main>;
  return (
    <main class="checkin-wall" data-screen="checkin">
      <header class="officer-head">
        <h1>Check-in</h1>
        <LinkState state={state} />
      </header>
      <div class="player-grid">
        {['successful', 'registered', 'not_checked_in', 'total_attempts'].map((k) => (
          <div class="card" key={k}>
            <h2>{k.replace(/_/g, ' ')}</h2>
            <p class="player-next" data-testid={`count-${k}`}>
              {counts[k] ?? 0}
            </p>
          </div>
        ))}
      </div>
      <ol class="feed" data-testid="checkin-feed">
        {rows.map((r, i) => (
          <li key={r.id ?? i} class={r.success ? 'ok' : 'bad'}>
            <strong>{r.user_name}</strong> {r.message} <span class="muted">{time(r.checkin_time)}</span>
          </li>
        ))}
      </ol>
    </main>
  );
}
