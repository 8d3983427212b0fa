import { useEffect, useState } from 'preact/hooks';
import { Auth, call } from '../api';
import type { LiveFeed } from '../feed';
import { CheckinScreen } from '../screens/checkin';
import { ErrorText, Form, message, Section, time } from '../ui';

interface Session {
  id: string;
  name: string;
  starts_at: string;
  ends_at: string;
  status: string;
  dashboard_public: boolean;
  capacity: number | null;
}
interface Registration {
  user_id: string | null;
  user_name: string;
  guest: boolean;
  registered_at: string;
}
type List<T> = T[] | { items: T[] };
const items = <T,>(l: List<T>): T[] => (Array.isArray(l) ? l : (l.items ?? []));
const local = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);

/** Check-in: sessions, their registrations (users or guests), check someone in by hand, and the session's live dashboard. */
export function CheckinPage({ auth }: { auth: Auth; feed: LiveFeed }) {
  const [sessions, setSessions] = useState<Session[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [regs, setRegs] = useState<Registration[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState({ name: '', starts_at: local(new Date()), ends_at: local(new Date(Date.now() + 3 * 3600_000)), dashboard_public: false });
  const [guest, setGuest] = useState({ name: '', email: '' });

  const load = () =>
    call<List<Session>>(auth, 'GET', '/api/event-sessions').then(
      (s) => setSessions(items(s)),
      (e) => setError(message(e)),
    );
  const loadRegs = (id: string) =>
    call<List<Registration>>(auth, 'GET', `/api/event-sessions/${id}/registrations`).then(
      (r) => setRegs(items(r)),
      (e) => setError(message(e)),
    );
  useEffect(() => void load(), []);
  useEffect(() => void (selected && loadRegs(selected)), [selected]);

  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      await load();
      if (selected) await loadRegs(selected);
    } catch (e) {
      setError(message(e));
    }
  };
  const session = sessions.find((s) => s.id === selected);

  return (
    <div class="grid">
      <Section title="Sessions">
        <ul class="feed">
          {sessions.map((s) => (
            <li key={s.id}>
              <button class={s.id === selected ? 'primary' : ''} onClick={() => setSelected(s.id)}>
                {s.name}
              </button>{' '}
              <span class={`badge status-${s.status === 'open' ? 'active' : 'paused'}`}>{s.status}</span> {new Date(s.starts_at).toLocaleString()}
            </li>
          ))}
        </ul>
        <Form
          class="form"
          onSubmit={() => {
            void run(() => call(auth, 'POST', '/api/event-sessions', { ...form, starts_at: new Date(form.starts_at).toISOString(), ends_at: new Date(form.ends_at).toISOString() }));
          }}
        >
          <label>
            Name <input required value={form.name} onInput={(e) => setForm({ ...form, name: (e.target as HTMLInputElement).value })} />
          </label>
          <label>
            Starts <input type="datetime-local" value={form.starts_at} onInput={(e) => setForm({ ...form, starts_at: (e.target as HTMLInputElement).value })} />
          </label>
          <label>
            Ends <input type="datetime-local" value={form.ends_at} onInput={(e) => setForm({ ...form, ends_at: (e.target as HTMLInputElement).value })} />
          </label>
          <label>
            <input type="checkbox" checked={form.dashboard_public} onChange={(e) => setForm({ ...form, dashboard_public: (e.target as HTMLInputElement).checked })} /> Public dashboard
          </label>
          <button class="primary">New session</button>
        </Form>
      </Section>
      {session && (
        <Section title={`Registrations: ${session.name}`} actions={<a href={`/console/screens/checkin?session=${session.id}`}>Dashboard screen</a>}>
          <table>
            <tbody>
              {regs.map((r, i) => (
                <tr key={r.user_id ?? i}>
                  <td>{r.user_name}</td>
                  <td>{r.guest ? 'guest' : 'user'}</td>
                  <td>{time(r.registered_at)}</td>
                  <td>{r.user_id && <button onClick={() => void run(() => call(auth, 'POST', `/api/event-sessions/${session.id}/check-ins`, { user_id: r.user_id }))}>Check in</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Form
            class="form"
            onSubmit={() => {
              void run(() => call(auth, 'POST', `/api/event-sessions/${session.id}/registrations`, { guest }));
            }}
          >
            <label>
              Guest name <input required value={guest.name} onInput={(e) => setGuest({ ...guest, name: (e.target as HTMLInputElement).value })} />
            </label>
            <label>
              Email <input type="email" required value={guest.email} onInput={(e) => setGuest({ ...guest, email: (e.target as HTMLInputElement).value })} />
            </label>
            <button>Register guest</button>
          </Form>
        </Section>
      )}
      {session && (
        <Section title="Live dashboard">
          <CheckinScreen auth={auth} sessionId={session.id} key={session.id} />
        </Section>
      )}
      <ErrorText error={error} />
    </div>
  );
}
