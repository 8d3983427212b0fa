import { useEffect, useState } from 'preact/hooks';
import { Auth, call } from '../api';
import type { LiveFeed } from '../feed';
import { QrCode } from '../qr';
import { ErrorText, Form, message, Section, Table, time } from '../ui';

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

/** A device or client socket open now on some instance (GET /api/devices/connections). */
interface Connection {
  connection_id: string;
  gateway: string;
  instance: string;
  connected_at: string;
  ip: string;
  device_name: string | null;
  device_kind: string | null;
  user_name: string | null;
  client_id: string | null;
  client_type?: string | null;
  zone?: string | null;
}

/** Frames after which the list has changed. */
const CHANGES = new Set(['CLIENT_CONNECTED', 'CLIENT_DISCONNECTED', 'connected_clients']);

/** "since 09:12:03" today, with the date before that. */
const since = (iso: string) => (new Date(iso).toDateString() === new Date().toDateString() ? time(iso) : `${new Date(iso).toLocaleDateString()} ${time(iso)}`);

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
  const [connections, setConnections] = useState<Connection[] | null>(null);

  const load = () => {
    call<Device[]>(auth, 'GET', '/api/devices').then(setDevices, (e) => setError(message(e)));
    call<UserRow[]>(auth, 'GET', '/api/users').then(
      (u) => setUsers(Array.isArray(u) ? u : ((u as unknown as { items: UserRow[] }).items ?? [])),
      (e) => setError(message(e)),
    );
  };
  useEffect(() => {
    load();
    // Every instance answers for the whole cluster; read again every few seconds and at once when a client comes or goes.
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      clearTimeout(timer);
      try {
        const list = await call<Connection[]>(auth, 'GET', '/api/devices/connections');
        if (!stop) setConnections(list);
      } catch {
        /* kept as it was; the next poll tries again */
      }
      if (!stop) timer = setTimeout(poll, 3000);
    };
    void poll();
    const off = feed.subscribe((e) => e && CHANGES.has(e.type) && void poll());
    return () => {
      stop = true;
      clearTimeout(timer);
      off();
    };
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
        <Form
          class="form"
          onSubmit={() => {
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
        </Form>
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
      <Section title="Connected now" wide>
        <Table
          label="Devices and clients connected now"
          testId="connected"
          rows={connections ?? []}
          rowKey={(c) => c.connection_id}
          empty={connections ? 'No device or client is connected.' : 'Loading…'}
          columns={[
            {
              title: 'Device or client',
              cell: (c) => (
                <>
                  <strong>{c.device_name ?? c.user_name ?? c.client_id ?? c.connection_id.slice(0, 8)}</strong>
                  {c.client_id && (c.device_name || c.user_name) ? <span class="muted"> {c.client_id}</span> : null}
                </>
              ),
            },
            { title: 'Gateway', cell: (c) => c.gateway },
            { title: 'Type', cell: (c) => [c.device_kind, c.client_type, c.zone ? `zone ${c.zone}` : null].filter(Boolean).join(' · ') },
            { title: 'Since', cell: (c) => <span title={c.connected_at}>{since(c.connected_at)}</span> },
            { title: 'Address', cell: (c) => c.ip },
            { title: 'Instance', cell: (c) => c.instance },
          ]}
        />
      </Section>
      <Section title="Users and roles">
        <Form
          class="form"
          onSubmit={() => {
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
        </Form>
        <table>
          <tbody data-testid="users">
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
                <td>{u.disabled ? 'disabled' : 'active'}</td>
                <td>
                  {u.id !== auth.user?.id &&
                    (u.disabled ? (
                      <button aria-label={`Enable ${u.name}`} onClick={() => void run(() => call(auth, 'PATCH', `/api/users/${u.id}`, { disabled: false }))}>
                        Enable
                      </button>
                    ) : (
                      <button
                        aria-label={`Disable ${u.name}`}
                        onClick={() => confirm(`Disable ${u.name}? They are signed out everywhere at once.`) && void run(() => call(auth, 'PATCH', `/api/users/${u.id}`, { disabled: true }))}
                      >
                        Disable
                      </button>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <ErrorText error={error} />
    </div>
  );
}
