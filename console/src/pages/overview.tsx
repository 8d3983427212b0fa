import { useEffect, useRef, useState } from 'preact/hooks';
import type { Auth } from '../api';
import type { FeedEntry, LiveFeed } from '../feed';
import { LinkState, Section, time } from '../ui';

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

/** Live: instances, sockets per gateway, frames and broadcasts per second (from /metrics every 2 s), recent alerts (from the console's admin sockets). */
export function OverviewPage({ feed }: { auth: Auth; feed: LiveFeed }) {
  const [rows, setRows] = useState<Array<{ gateway: string; sockets: number; inRate: number; outRate: number; bRate: number }>>([]);
  const [instances, setInstances] = useState<string[]>([]);
  const [health, setHealth] = useState<{ status: string; uptime_s: number; checks: Record<string, unknown> } | null>(null);
  const [alerts, setAlerts] = useState<FeedEntry[]>(feed.entries.filter(ALERT).slice(-20).reverse());
  const [, setStates] = useState(0);
  const prev = useRef<{ at: number; fin: Record<string, number>; fout: Record<string, number>; b: Record<string, number> } | null>(null);

  useEffect(() => {
    let stop = false;
    const poll = async () => {
      try {
        const [m, h] = await Promise.all([fetch('/metrics').then((r) => r.text()), fetch('/health').then((r) => r.json())]);
        const s = parseMetrics(m);
        const sockets = sumBy(s, 'switchboard_ws_open_sockets', 'gateway');
        const fin = sumBy(s, 'switchboard_ws_frames_in_total', 'gateway');
        const fout = sumBy(s, 'switchboard_ws_frames_out_total', 'gateway');
        const b = sumBy(s, 'switchboard_ws_broadcasts_total', 'gateway');
        const now = Date.now();
        const p = prev.current;
        const rate = (cur: Record<string, number>, old: Record<string, number> | undefined, g: string) => (p && old ? Math.max(0, ((cur[g] ?? 0) - (old[g] ?? 0)) / ((now - p.at) / 1000)) : 0);
        setRows(
          Object.keys(sockets)
            .sort()
            .map((g) => ({ gateway: g, sockets: sockets[g], inRate: rate(fin, p?.fin, g), outRate: rate(fout, p?.fout, g), bRate: rate(b, p?.b, g) })),
        );
        setInstances([...new Set(s.filter((x) => x.name === 'switchboard_ws_open_sockets').map((x) => x.labels.instance))]);
        setHealth(h);
        prev.current = { at: now, fin, fout, b };
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
        <p>Instances: {instances.join(', ') || '…'}</p>
        <p>
          Console links:{' '}
          {Object.entries(feed.states).map(([g, s]) => (
            <span key={g}>
              {g} <LinkState state={s} />{' '}
            </span>
          ))}
        </p>
      </Section>
      <Section title="Sockets and traffic">
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
