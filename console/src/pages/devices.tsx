import { useEffect, useState } from 'preact/hooks';
import { Auth, call } from '../api';
import type { FeedEntry, LiveFeed } from '../feed';
import { QrCode } from '../qr';
import { ErrorText, message, Section, time } from '../ui';

interface Device {
  id: string;
  name: string;
  kind: string;
  counter_id: number | null;
  location: string | null;
  created_at: string;
  revoked_at: string | null;
}
interface UserRow {
  id: string;
  email: string;
  name: string;
  role: string;
  disabled: boolean;
}

const KINDS = ['display', 'kiosk', 'player', 'scanner', 'camera'] as const;
const ROLES = ['admin', 'manager', 'leader', 'officer', 'employee', 'member'];
/** The screen each kind of device opens. */
const SCREEN: Record<string, string> = { display: 'tv', kiosk: 'kiosk', player: 'bells' };

export const deviceUrl = (kind: string, token: string) => (SCREEN[kind] ? `${location.origin}/console/screens/${SCREEN[kind]}?token=${encodeURIComponent(token)}` : null);

/** Devices (create: token shown once with a QR code of its screen's URL; revoke; connected now) and users with their roles. */
export function DevicesPage({ auth, feed }: { auth: Auth; feed: LiveFeed }) {
  const [devices, setDevices] = useState<Device[]>([]);
  const [users, setUsers] = useState<UserRow[]>([]);
  const [created, setCreated] = useState<(Device & { token: string }) | null>(null);
  const [form, setForm] = useState({ name: '', kind: 'display', location: '', counter_id: '' });
  const [uform, setUform] = useState({ email: '', name: '', password: '', role: 'officer' });
  const [error, setError] = useState<string | null>(null);
  const [connected, setConnected] = useState<Map<string, { type: string; since: string }>>(new Map());
  const [players, setPlayers] = useState<Array<{ id: string; name: string; zone: string | null; connected_at?: string; online?: boolean }>>([]);

  const load = () => {
    call<Device[]>(auth, 'GET', '/api/devices').then(setDevices, (e) => setError(message(e)));
    call<UserRow[]>(auth, 'GET', '/api/users').then(
      (u) => setUsers(Array.isArray(u) ? u : ((u as unknown as { items: UserRow[] }).items ?? [])),
      (e) => setError(message(e)),
    );
    call<typeof players>(auth, 'GET', '/api/bells/players').then(
      (p) => setPlayers(Array.isArray(p) ? p : []),
      () => undefined,
    );
  };
  useEffect(() => {
    load();
    const seen = (e: FeedEntry) => {
      const p = (e.frame as { payload: { client_id: string; client_type: string; timestamp: string } }).payload;
      setConnected((m) => {
        const n = new Map(m);
        if (e.type === 'CLIENT_CONNECTED') n.set(p.client_id, { type: p.client_type, since: p.timestamp });
        else n.delete(p.client_id);
        return n;
      });
    };
    feed.entries.filter((e) => e.type === 'CLIENT_CONNECTED' || e.type === 'CLIENT_DISCONNECTED').forEach(seen);
    return feed.subscribe((e) => e && (e.type === 'CLIENT_CONNECTED' || e.type === 'CLIENT_DISCONNECTED') && seen(e));
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

  const url = created ? deviceUrl(created.kind, created.token) : null;
  return (
    <div class="grid">
      <Section title="New device">
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              const body = { name: form.name, kind: form.kind, ...(form.location ? { location: form.location } : {}), ...(form.counter_id ? { counter_id: Number(form.counter_id) } : {}) };
              setCreated(await call<Device & { token: string }>(auth, 'POST', '/api/devices', body));
              setForm({ ...form, name: '' });
            });
          }}
        >
          <label>
            Name <input name="device-name" required value={form.name} onInput={(e) => setForm({ ...form, name: (e.target as HTMLInputElement).value })} />
          </label>
          <label>
            Kind{' '}
            <select name="device-kind" value={form.kind} onChange={(e) => setForm({ ...form, kind: (e.target as HTMLSelectElement).value })}>
              {KINDS.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
          </label>
          <label>
            Location <input value={form.location} onInput={(e) => setForm({ ...form, location: (e.target as HTMLInputElement).value })} />
          </label>
          <label>
            Counter id (optional) <input inputMode="numeric" value={form.counter_id} onInput={(e) => setForm({ ...form, counter_id: (e.target as HTMLInputElement).value })} />
          </label>
          <button class="primary">Create device</button>
        </form>
        {created && (
          <div class="token-once" role="status" data-testid="device-created">
            <p>
              <strong>{created.name}</strong>: copy the token now, it is not shown again.
            </p>
            <code data-testid="device-token">{created.token}</code>
            {url && (
              <>
                <p>
                  Screen URL:{' '}
                  <a href={url} data-testid="device-url">
                    {url}
                  </a>
                </p>
                <QrCode text={url} label={`QR code of the screen URL of ${created.name}`} />
              </>
            )}
            <button onClick={() => setCreated(null)}>I have stored it</button>
          </div>
        )}
      </Section>
      <Section title="Devices">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Location</th>
              <th scope="col">Created</th>
              <th scope="col">State</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody data-testid="devices">
            {devices.map((d) => (
              <tr key={d.id}>
                <td>{d.name}</td>
                <td>{d.kind}</td>
                <td>{d.location ?? ''}</td>
                <td>{new Date(d.created_at).toLocaleDateString()}</td>
                <td>{d.revoked_at ? 'revoked' : 'active'}</td>
                <td>
                  {!d.revoked_at && (
                    <button
                      aria-label={`Revoke ${d.name}`}
                      onClick={() => confirm(`Revoke ${d.name}? Its screens disconnect at once.`) && void run(() => call(auth, 'DELETE', `/api/devices/${d.id}`))}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title="Connected now">
        <ul class="feed" data-testid="connected">
          {[...connected].map(([id, c]) => (
            <li key={id}>
              queue {c.type} <strong>{id}</strong> since {time(c.since)}
            </li>
          ))}
          {players.map((p) => (
            <li key={p.id}>
              bell player <strong>{p.name}</strong>
              {p.zone ? ` (${p.zone})` : ''}
              {p.connected_at ? ` since ${time(p.connected_at)}` : ''}
            </li>
          ))}
          {!connected.size && !players.length && <li class="muted">Queue screens appear here as they connect while the console is open.</li>}
        </ul>
      </Section>
      <Section title="Users and roles">
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              await call(auth, 'POST', '/api/users', uform);
              setUform({ ...uform, email: '', name: '', password: '' });
            });
          }}
        >
          <label>
            Email <input type="email" required value={uform.email} onInput={(e) => setUform({ ...uform, email: (e.target as HTMLInputElement).value })} />
          </label>
          <label>
            Name <input required value={uform.name} onInput={(e) => setUform({ ...uform, name: (e.target as HTMLInputElement).value })} />
          </label>
          <label>
            Password <input type="password" required minLength={8} value={uform.password} onInput={(e) => setUform({ ...uform, password: (e.target as HTMLInputElement).value })} />
          </label>
          <label>
            Role{' '}
            <select value={uform.role} onChange={(e) => setUform({ ...uform, role: (e.target as HTMLSelectElement).value })}>
              {ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
          <button class="primary">Add user</button>
        </form>
        <table>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>
                  <select aria-label={`Role of ${u.name}`} value={u.role} onChange={(e) => void run(() => call(auth, 'PATCH', `/api/users/${u.id}`, { role: (e.target as HTMLSelectElement).value }))}>
                    {ROLES.map((r) => (
                      <option key={r}>{r}</option>
                    ))}
                  </select>
                </td>
                <td>{u.disabled ? 'disabled' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <ErrorText error={error} />
    </div>
  );
}
