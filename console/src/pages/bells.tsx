import { useEffect, useState } from 'preact/hooks';
import { Auth, call } from '../api';
import type { LiveFeed } from '../feed';
import { ErrorText, Form, message, Section, time } from '../ui';

interface Sound {
  id: string;
  name: string;
  checksum: string;
}
interface Item {
  id: string;
  name: string;
  time: string;
  sound_id: string;
}
interface Schedule {
  id: string;
  name: string;
  days_of_week: number[];
  active: boolean;
  items: Item[];
}
interface Holiday {
  id: string;
  name: string;
  date?: string | null;
  start_date?: string | null;
  end_date?: string | null;
}
interface Ring {
  id: string;
  name: string;
  at: string | null;
  scheduled_for: string | null;
  outcome: string;
  kind: string;
  manual: boolean;
}
type List<T> = T[] | { items: T[] };
const items = <T,>(l: List<T>): T[] => (Array.isArray(l) ? l : (l.items ?? []));

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Bells: sounds, schedules and their items, holidays, ring now, pause, the day's upcoming bells and the ring log (refreshed on every bells frame). */
export function BellsPage({ auth, feed }: { auth: Auth; feed: LiveFeed }) {
  const [sounds, setSounds] = useState<Sound[]>([]);
  const [schedules, setSchedules] = useState<Schedule[]>([]);
  const [holidays, setHolidays] = useState<Holiday[]>([]);
  const [rings, setRings] = useState<Ring[]>([]);
  const [upcoming, setUpcoming] = useState<Array<{ name: string; at: string }>>([]);
  const [state, setState] = useState<{ state: string; paused_until: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ring, setRing] = useState({ sound_id: '', name: 'Manual bell', kind: 'bell' });
  const [sform, setSform] = useState({ name: '', days: [1, 2, 3, 4, 5] });
  const [iform, setIform] = useState<Record<string, { name: string; time: string; sound_id: string }>>({});
  const [hform, setHform] = useState({ name: '', date: '' });

  const load = () => {
    call<List<Sound>>(auth, 'GET', '/api/bells/sounds').then(
      (s) => setSounds(items(s)),
      (e) => setError(message(e)),
    );
    call<List<Schedule>>(auth, 'GET', '/api/bells/schedules').then(
      (s) => setSchedules(items(s)),
      () => undefined,
    );
    call<List<Holiday>>(auth, 'GET', '/api/bells/holidays').then(
      (h) => setHolidays(items(h)),
      () => undefined,
    );
    call<List<Ring>>(auth, 'GET', '/api/bells/rings?limit=20').then(
      (r) => setRings(items(r)),
      () => undefined,
    );
    call<{ bells: Array<{ name: string; at: string }> }>(auth, 'GET', '/api/bells/upcoming').then(
      (u) => setUpcoming(u.bells ?? []),
      () => undefined,
    );
    call<{ state: string; paused_until: string | null }>(auth, 'GET', '/api/bells/state').then(setState, () => undefined);
  };
  useEffect(() => {
    load();
    return feed.subscribe((e) => e?.gateway === 'bells' && ['bell_triggered', 'schedules_updated', 'system_state_changed', 'audio_files_updated', 'bell_cancelled'].includes(e.type) && load());
  }, []);

  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      load();
    } catch (e) {
      setError(message(e));
    }
  };
  const soundName = (id: string) => sounds.find((s) => s.id === id)?.name ?? '?';

  return (
    <div class="grid">
      <Section title="Ring now">
        <Form
          class="form"
          onSubmit={() => {
            void run(() => call(auth, 'POST', '/api/bells/ring', { sound_id: ring.sound_id || sounds[0]?.id, name: ring.name, kind: ring.kind }));
          }}
        >
          <label>
            Sound{' '}
            <select name="ring-sound" value={ring.sound_id || sounds[0]?.id} onChange={(e) => setRing({ ...ring, sound_id: (e.target as HTMLSelectElement).value })}>
              {sounds.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Name <input name="ring-name" value={ring.name} onInput={(e) => setRing({ ...ring, name: (e.target as HTMLInputElement).value })} />
          </label>
          <label>
            Kind{' '}
            <select value={ring.kind} onChange={(e) => setRing({ ...ring, kind: (e.target as HTMLSelectElement).value })}>
              {['bell', 'test', 'emergency', 'lockdown'].map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
          </label>
          <button class="primary" disabled={!sounds.length}>
            Ring now
          </button>
        </Form>
        <p>
          Scheduled bells: <strong data-testid="bells-state">{state?.state ?? '…'}</strong>
          {state?.paused_until ? ` until ${time(state.paused_until)}` : ''}{' '}
          <button onClick={() => void run(() => call(auth, 'PUT', '/api/bells/state', { state: state?.state === 'paused' ? 'active' : 'paused' }))}>
            {state?.state === 'paused' ? 'Resume' : 'Pause'}
          </button>
        </p>
        <Form
          class="form"
          onSubmit={(f) => {
            void run(() => call(auth, 'POST', '/api/bells/sounds', new FormData(f)).then(() => f.reset()));
          }}
        >
          <label>
            New sound <input name="name" required placeholder="name" />
          </label>
          <input name="file" type="file" accept="audio/*" required aria-label="Sound file" />
          <button>Upload</button>
        </Form>
      </Section>
      <Section title="Upcoming today">
        <ol class="feed" data-testid="bells-upcoming">
          {upcoming.map((b, i) => (
            <li key={i}>
              {time(b.at)} {b.name}
            </li>
          ))}
          {!upcoming.length && <li class="muted">No more bells today.</li>}
        </ol>
      </Section>
      <Section title="Schedules">
        {schedules.map((s) => {
          const f = iform[s.id] ?? { name: '', time: '', sound_id: '' };
          return (
            <div key={s.id} class="sub">
              <h3>
                {s.name} <span class="muted">{s.days_of_week.map((d) => DAYS[d]).join(' ')}</span> {s.active ? '' : '(inactive)'}{' '}
                <button onClick={() => confirm(`Delete ${s.name}?`) && void run(() => call(auth, 'DELETE', `/api/bells/schedules/${s.id}`))}>Delete</button>
              </h3>
              <ul>
                {(s.items ?? []).map((it) => (
                  <li key={it.id}>
                    {it.time.slice(0, 5)} {it.name} <span class="muted">({soundName(it.sound_id)})</span>{' '}
                    <button onClick={() => void run(() => call(auth, 'POST', `/api/bells/items/${it.id}/cancel`, {}))}>Skip next</button>{' '}
                    <button onClick={() => void run(() => call(auth, 'DELETE', `/api/bells/items/${it.id}`))}>Remove</button>
                  </li>
                ))}
              </ul>
              <Form
                class="form"
                onSubmit={() => {
                  void run(async () => {
                    await call(auth, 'POST', `/api/bells/schedules/${s.id}/items`, { name: f.name, time: f.time, sound_id: f.sound_id || sounds[0]?.id });
                    setIform({ ...iform, [s.id]: { ...f, name: '', time: '' } });
                  });
                }}
              >
                <label>
                  Time <input type="time" required value={f.time} onInput={(e) => setIform({ ...iform, [s.id]: { ...f, time: (e.target as HTMLInputElement).value } })} />
                </label>
                <label>
                  Name <input required value={f.name} onInput={(e) => setIform({ ...iform, [s.id]: { ...f, name: (e.target as HTMLInputElement).value } })} />
                </label>
                <label>
                  Sound{' '}
                  <select aria-label="Sound" value={f.sound_id || sounds[0]?.id} onChange={(e) => setIform({ ...iform, [s.id]: { ...f, sound_id: (e.target as HTMLSelectElement).value } })}>
                    {sounds.map((x) => (
                      <option key={x.id} value={x.id}>
                        {x.name}
                      </option>
                    ))}
                  </select>
                </label>
                <button>Add bell</button>
              </Form>
            </div>
          );
        })}
        <Form
          class="form"
          onSubmit={() => {
            void run(() => call(auth, 'POST', '/api/bells/schedules', { name: sform.name, days_of_week: sform.days }));
          }}
        >
          <label>
            New schedule <input required value={sform.name} onInput={(e) => setSform({ ...sform, name: (e.target as HTMLInputElement).value })} />
          </label>
          <fieldset>
            <legend>Days</legend>
            {DAYS.map((d, i) => (
              <label key={d}>
                <input
                  type="checkbox"
                  checked={sform.days.includes(i)}
                  onChange={(e) => setSform({ ...sform, days: (e.target as HTMLInputElement).checked ? [...sform.days, i] : sform.days.filter((x) => x !== i) })}
                />{' '}
                {d}
              </label>
            ))}
          </fieldset>
          <button>Add schedule</button>
        </Form>
      </Section>
      <Section title="Holidays">
        <ul>
          {holidays.map((h) => (
            <li key={h.id}>
              {h.date ?? `${h.start_date} – ${h.end_date}`} {h.name} <button onClick={() => void run(() => call(auth, 'DELETE', `/api/bells/holidays/${h.id}`))}>Remove</button>
            </li>
          ))}
        </ul>
        <Form
          class="form"
          onSubmit={() => {
            void run(() => call(auth, 'POST', '/api/bells/holidays', hform));
          }}
        >
          <label>
            Name <input required value={hform.name} onInput={(e) => setHform({ ...hform, name: (e.target as HTMLInputElement).value })} />
          </label>
          <label>
            Date <input type="date" required value={hform.date} onInput={(e) => setHform({ ...hform, date: (e.target as HTMLInputElement).value })} />
          </label>
          <button>Add holiday</button>
        </Form>
      </Section>
      <Section title="Ring log">
        <table>
          <tbody data-testid="ring-log">
            {rings.map((r) => (
              <tr key={r.id}>
                <td>{time(r.at ?? r.scheduled_for)}</td>
                <td>{r.name}</td>
                <td>{r.kind}</td>
                <td>{r.manual ? 'by hand' : 'scheduled'}</td>
                <td>{r.outcome}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <ErrorText error={error} />
    </div>
  );
}
