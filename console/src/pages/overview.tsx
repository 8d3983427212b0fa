import { useEffect, useRef, useState } from 'preact/hooks';
import { Auth, call } from '../api';
import type { FeedEntry, LiveFeed } from '../feed';
import { LinkState, Section, Table, time } from '../ui';

type Sample = Array<{ name: string; labels: Record<string, string>; value: number }>;

/** Prometheus text format, the lines the overview needs. */
export function parseMetrics(text: string): Sample {
  const out: Sample = [];
  for (const line of text.split('\n')) {
    const m = /^([a-z_:][a-z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/i.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

const sumBy = (s: Sample, name: string, key: string) => {
  const r: Record<string, number> = {};
  for (const x of s) if (x.name === name) r[x.labels[key] ?? ''] = (r[x.labels[key] ?? ''] ?? 0) + x.value;
  return r;
};

const ALERT = (e: FeedEntry) =>
  (e.gateway === 'queue' && (e.type === 'SYSTEM_ALERT' || e.type === 'ERROR')) ||
  (e.gateway === 'bells' && (e.type === 'error' || (e.type === 'system_log' && (e.frame as { payload: { level: string } }).payload.level !== 'info'))) ||
  e.type === 'error';

interface GatewayRow {
  gateway: string;
  sockets: number;
  inRate: number;
  outRate: number;
  bRate: number;
}
/** One instance as GET /api/instances reports it. */
interface InstanceRecord {
  instance: string;
  started_at: string;
  updated_at: string;
  gateways: Array<{ gateway: string; sockets: number; frames_in_per_s: number; frames_out_per_s: number; broadcasts_per_s: number }>;
}
type Metrics = { at: number; fin: Record<string, number>; fout: Record<string, number>; b: Record<string, number> };

/** Sums per gateway over instances (the whole cluster). */
export function clusterRows(instances: InstanceRecord[]): GatewayRow[] {
  const rows = new Map<string, GatewayRow>();
  for (const i of instances) {
    for (const g of i.gateways) {
      const r = rows.get(g.gateway) ?? { gateway: g.gateway, sockets: 0, inRate: 0, outRate: 0, bRate: 0 };
      rows.set(g.gateway, { gateway: g.gateway, sockets: r.sockets + g.sockets, inRate: r.inRate + g.frames_in_per_s, outRate: r.outRate + g.frames_out_per_s, bRate: r.bRate + g.broadcasts_per_s });
    }
  }
  return [...rows.values()].sort((a, b) => a.gateway.localeCompare(b.gateway));
}

/** This instance's figures from /metrics (roles that may not list the cluster's instances); rates against the previous poll. */
async function ownMetrics(prev: Metrics | null): Promise<{ rows: GatewayRow[]; instance: string[]; next: Metrics }> {
  const s = parseMetrics(await fetch('/metrics').then((r) => r.text()));
  const sockets = sumBy(s, 'switchboard_ws_open_sockets', 'gateway');
  const next = {
    at: Date.now(),
    fin: sumBy(s, 'switchboard_ws_frames_in_total', 'gateway'),
    fout: sumBy(s, 'switchboard_ws_frames_out_total', 'gateway'),
    b: sumBy(s, 'switchboard_ws_broadcasts_total', 'gateway'),
  };
  const rate = (cur: Record<string, number>, old: Record<string, number> | undefined, g: string) => (prev && old ? Math.max(0, ((cur[g] ?? 0) - (old[g] ?? 0)) / ((next.at - prev.at) / 1000)) : 0);
  const rows = Object.keys(sockets)
    .sort()
    .map((g) => ({ gateway: g, sockets: sockets[g], inRate: rate(next.fin, prev?.fin, g), outRate: rate(next.fout, prev?.fout, g), bRate: rate(next.b, prev?.b, g) }));
  return { rows, instance: [...new Set(s.filter((x) => x.name === 'switchboard_ws_open_sockets').map((x) => x.labels.instance))], next };
}

const total = (i: InstanceRecord, key: 'sockets' | 'frames_in_per_s' | 'frames_out_per_s' | 'broadcasts_per_s') => i.gateways.reduce((n, g) => n + g[key], 0);

/**
 * Live: instances, sockets per gateway, frames and broadcasts per second,
 * every 2 s — for an admin every instance of the cluster (/api/instances),
 * for other roles this instance's /metrics; recent alerts (from the console's admin sockets).
 */
export function OverviewPage({ auth, feed }: { auth: Auth; feed: LiveFeed }) {
  const [rows, setRows] = useState<GatewayRow[]>([]);
  const [instances, setInstances] = useState<InstanceRecord[] | null>(null);
  const [ownInstance, setOwnInstance] = useState<string[]>([]);
  const [health, setHealth] = useState<{ status: string; uptime_s: number; checks: Record<string, unknown> } | null>(null);
  const [alerts, setAlerts] = useState<FeedEntry[]>(feed.entries.filter(ALERT).slice(-20).reverse());
  const [, setStates] = useState(0);
  const prev = useRef<Metrics | null>(null);
  const admin = auth.user?.role === 'admin';

  useEffect(() => {
    let stop = false;
    const poll = async () => {
      try {
        const h = fetch('/health').then((r) => r.json());
        if (admin) {
          const list = await call<InstanceRecord[]>(auth, 'GET', '/api/instances');
          setInstances(list);
          setRows(clusterRows(list));
        } else {
          const m = await ownMetrics(prev.current);
          prev.current = m.next;
          setRows(m.rows);
          setOwnInstance(m.instance);
        }
        setHealth(await h);
      } catch {
        setHealth({ status: 'unreachable', uptime_s: 0, checks: {} });
      }
      if (!stop) setTimeout(poll, 2000);
    };
    void poll();
    const off = feed.subscribe((e) => (e ? ALERT(e) && setAlerts((a) => [e, ...a].slice(0, 20)) : setStates((n) => n + 1)));
    return () => {
      stop = true;
      off();
    };
  }, [feed]);

  return (
    <div class="grid">
      <Section title="Service">
        <p data-testid="health">
          <span class={`badge status-${health?.status === 'ok' ? 'active' : 'paused'}`}>{health?.status ?? '…'}</span> up {Math.round((health?.uptime_s ?? 0) / 60)} min ·{' '}
          {Object.entries(health?.checks ?? {})
            .map(([k, v]) => `${k}: ${String(v)}`)
            .join(' · ')}
        </p>
        {!admin && <p>Instance: {ownInstance.join(', ') || '…'}</p>}
        <p>
          Console links:{' '}
          {Object.entries(feed.states).map(([g, s]) => (
            <span key={g}>
              {g} <LinkState state={s} />{' '}
            </span>
          ))}
        </p>
      </Section>
      {admin && (
        <Section title="Instances">
          <Table
            label="Instances"
            testId="instances"
            rows={instances ?? []}
            rowKey={(i) => i.instance}
            empty={instances ? 'No instance has reported.' : 'Loading…'}
            columns={[
              { title: 'Instance', cell: (i) => <span title={`last report ${time(i.updated_at)}`}>{i.instance}</span> },
              {
                title: 'Started',
                cell: (i) => <span title={i.started_at}>{new Date(i.started_at).toDateString() === new Date().toDateString() ? time(i.started_at) : new Date(i.started_at).toLocaleDateString()}</span>,
              },
              { title: 'Sockets', cell: (i) => total(i, 'sockets') },
              { title: 'In/s', cell: (i) => total(i, 'frames_in_per_s').toFixed(1) },
              { title: 'Out/s', cell: (i) => total(i, 'frames_out_per_s').toFixed(1) },
              { title: 'Broadcasts/s', cell: (i) => total(i, 'broadcasts_per_s').toFixed(1) },
            ]}
          />
        </Section>
      )}
      <Section title={admin ? 'Sockets and traffic, all instances' : 'Sockets and traffic'}>
        <table>
          <thead>
            <tr>
              <th scope="col">Gateway</th>
              <th scope="col">Sockets</th>
              <th scope="col">Frames in/s</th>
              <th scope="col">Frames out/s</th>
              <th scope="col">Broadcasts/s</th>
            </tr>
          </thead>
          <tbody data-testid="gateways">
            {rows.map((r) => (
              <tr key={r.gateway}>
                <td>{r.gateway}</td>
                <td>{r.sockets}</td>
                <td>{r.inRate.toFixed(1)}</td>
                <td>{r.outRate.toFixed(1)}</td>
                <td>{r.bRate.toFixed(1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title="Recent errors and alerts">
        <ul class="feed">
          {alerts.map((a) => (
            <li key={a.seq}>
              <span class="muted">{time(a.at)}</span> {a.gateway} {a.type}: {JSON.stringify((a.frame as { payload?: unknown }).payload ?? a.frame)}
            </li>
          ))}
          {!alerts.length && <li class="muted">Nothing since the console opened.</li>}
        </ul>
      </Section>
    </div>
  );
}
