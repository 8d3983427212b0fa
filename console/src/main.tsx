import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Auth, login, logout, resumeSession, screenAuth } from './api';
import { LiveFeed } from './feed';
import { AttendancePage } from './pages/attendance';
import { BellsPage } from './pages/bells';
import { CheckinPage } from './pages/checkin';
import { DevicesPage } from './pages/devices';
import { EventsPage } from './pages/events';
import { OverviewPage } from './pages/overview';
import { QueuePage } from './pages/queue';
import { BellPlayerScreen } from './screens/bell-player';
import { CheckinScreen } from './screens/checkin';
import { KioskScreen } from './screens/kiosk';
import { OfficerScreen } from './screens/officer';
import { TvScreen } from './screens/tv';
import { ErrorText, message } from './ui';
import './styles.css';

const BASE = '/console';
const route = () => location.pathname.replace(/^\/console\/?/, '').replace(/\/+$/, '');

interface PageDef {
  path: string;
  title: string;
  roles: string[];
  view: (p: { auth: Auth; feed: LiveFeed }) => preact.JSX.Element;
}

// Role-aware: each page lists who may see it (the server checks again on every call).
const PAGES: PageDef[] = [
  { path: '', title: 'Overview', roles: ['admin', 'leader', 'manager'], view: (p) => <OverviewPage {...p} /> },
  { path: 'queue', title: 'Queue floor', roles: ['admin', 'leader', 'manager'], view: (p) => <QueuePage {...p} /> },
  { path: 'devices', title: 'Devices & users', roles: ['admin'], view: (p) => <DevicesPage {...p} /> },
  { path: 'bells', title: 'Bells', roles: ['admin'], view: (p) => <BellsPage {...p} /> },
  { path: 'checkin', title: 'Check-in', roles: ['admin', 'manager', 'leader', 'officer', 'employee'], view: (p) => <CheckinPage {...p} /> },
  { path: 'attendance', title: 'Attendance', roles: ['admin', 'manager'], view: (p) => <AttendancePage {...p} /> },
  { path: 'events', title: 'Event log', roles: ['admin', 'leader', 'manager'], view: (p) => <EventsPage {...p} /> },
];

const SCREENS: Record<string, (p: { auth: Auth }) => preact.JSX.Element> = {
  tv: (p) => <TvScreen {...p} />,
  kiosk: (p) => <KioskScreen {...p} />,
  officer: (p) => <OfficerScreen {...p} />,
  bells: (p) => <BellPlayerScreen {...p} />,
};

function go(path: string): void {
  history.pushState(null, '', `${BASE}/${path}`);
  dispatchEvent(new PopStateEvent('popstate'));
}

function usePath(): string {
  const [path, setPath] = useState(route());
  useEffect(() => {
    const on = () => setPath(route());
    addEventListener('popstate', on);
    return () => removeEventListener('popstate', on);
  }, []);
  return path;
}

function Login({ onDone }: { onDone: (a: Auth) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <main class="login">
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          login(email, password).then(onDone, (err) => setError(message(err)));
        }}
      >
        <h1>Switchboard</h1>
        <label>
          Email
          <input type="email" name="email" autocomplete="username" required value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Password
          <input type="password" name="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
        </label>
        <button class="primary">Log in</button>
        <ErrorText error={error} />
      </form>
    </main>
  );
}

function Console({ auth, onLogout }: { auth: Auth; onLogout: () => void }) {
  const path = usePath();
  const feed = useMemo(() => new LiveFeed(auth), [auth]);
  useEffect(() => () => feed.close(), [feed]);
  const role = auth.user?.role ?? '';
  const pages = PAGES.filter((p) => p.roles.includes(role));
  const page = pages.find((p) => p.path === path) ?? pages[0];
  const officer = ['officer', 'leader', 'admin'].includes(role);
  return (
    <div class="shell">
      <nav class="nav" aria-label="Console">
        <strong class="brand">Switchboard</strong>
        {pages.map((p) => (
          <a
            key={p.path}
            href={`${BASE}/${p.path}`}
            aria-current={p === page ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              go(p.path);
            }}
          >
            {p.title}
          </a>
        ))}
        {officer && <a href={`${BASE}/screens/officer`}>Officer panel</a>}
        <span class="spacer" />
        <span class="muted">
          {auth.user?.name} ({role})
        </span>
        <button class="ghost" onClick={() => void logout().then(onLogout)}>
          Log out
        </button>
      </nav>
      <main class="content">
        {page ? (
          <>
            <h1>{page.title}</h1>
            {page.view({ auth, feed })}
          </>
        ) : (
          <p>
            Your role has no console pages. Screens: <a href={`${BASE}/screens/officer`}>officer panel</a>.
          </p>
        )}
      </main>
    </div>
  );
}

function App() {
  const path = usePath();
  const screen = path.startsWith('screens/') ? path.slice('screens/'.length) : null;
  const [auth, setAuth] = useState<Auth | null | undefined>(undefined);
  useEffect(() => {
    (screen ? screenAuth() : resumeSession()).then(setAuth, () => setAuth(null));
  }, [screen]);

  if (auth === undefined) return <p class="muted pad">Loading…</p>;
  if (screen === 'checkin') return <CheckinScreen auth={auth} />;
  if (screen && SCREENS[screen]) {
    if (!auth) return <Login onDone={setAuth} />;
    return SCREENS[screen]({ auth });
  }
  if (screen) return <p class="pad">Unknown screen “{screen}”.</p>;
  if (!auth) return <Login onDone={setAuth} />;
  return <Console auth={auth} onLogout={() => setAuth(null)} />;
}

render(<App />, document.getElementById('app')!);
