import { useEffect, useRef, useState } from 'preact/hooks';
import { connectQueue } from '../../../packages/client/src/gateways';
import { Auth, call, param } from '../api';
import { stableId } from '../device-id';
import { useConnector, useTick } from '../live';
import { LinkState } from '../ui';

interface Board {
  name: string;
  status: string;
  current: number | null;
  waiting: number;
  next: number[];
}
interface Call {
  ticket_number: number;
  counter_id: number;
  counter_name: string;
  at: string;
}
interface Banner {
  id: number;
  text: string;
  priority: string;
  until: number;
}

const RECENT = 8;

/**
 * The hall display: what each counter serves now, the latest calls, the
 * spoken announcement of each call (played one after another) and the
 * leader's announcements as banners. After a network drop the connector
 * reconnects and the server's welcome snapshot brings the board up to date.
 */
export function TvScreen({ auth }: { auth: Auth }) {
  const [board, setBoard] = useState<Map<number, Board>>(new Map());
  const [recent, setRecent] = useState<Call[]>([]);
  const [flash, setFlash] = useState<Call | null>(null);
  const [banners, setBanners] = useState<Banner[]>([]);
  const audio = useRef<string[]>([]);
  const playing = useRef(false);
  const now = useTick(1000);
  const clientId = param('id') ?? stableId('tv');

  const patch = (id: number, p: Partial<Board>) => setBoard((b) => new Map(b).set(id, { ...(b.get(id) ?? { name: `Counter ${id}`, status: 'active', current: null, waiting: 0, next: [] }), ...p }));

  const playNext = () => {
    const url = audio.current.shift();
    if (!url) return void (playing.current = false);
    playing.current = true;
    const a = new Audio(url);
    a.onended = a.onerror = () => playNext();
    // A TV started without a user gesture may refuse to play (autoplay policy): show the call anyway, move on.
    a.play().catch(() => playNext());
  };

  const [, state] = useConnector(() => {
    const q = connectQueue({ url: location.origin, token: () => auth.token(), register: { client_type: 'tv', client_id: clientId, location: param('location') ?? undefined } });
    q.on('CONNECTION_ACK', ({ payload }) => {
      if (payload.recent_calls) setRecent(payload.recent_calls.map((c) => ({ ...c, at: c.called_at })));
      // Names of counters with no status change yet (the snapshot that follows gives the rest).
      void call<Array<{ id: number; name: string; status: string }>>(auth, 'GET', '/api/queue/counters').then(
        (cs) => cs.forEach((c) => patch(c.id, { name: c.name, status: c.status })),
        () => undefined,
      );
    });
    q.on('QUEUE_UPDATE', ({ payload: u }) => patch(u.counter_id, { current: u.current_number, waiting: u.waiting_count, next: u.next_numbers }));
    q.on('COUNTER_STATUS_UPDATE', ({ payload: s }) => {
      if (s.removed) return setBoard((b) => (b.delete(s.counter_id) ? new Map(b) : b));
      patch(s.counter_id, { name: s.counter_name, status: s.status });
    });
    q.on('TICKET_ANNOUNCEMENT', ({ payload: a }) => {
      const c: Call = { ticket_number: a.ticket_number, counter_id: a.counter_id, counter_name: a.counter_name, at: new Date().toISOString() };
      setRecent((r) => [c, ...r.filter((x) => !(x.ticket_number === c.ticket_number && x.counter_id === c.counter_id))].slice(0, RECENT));
      setFlash(c);
      setTimeout(() => setFlash((f) => (f === c ? null : f)), a.display_duration * 1000);
      if (a.audio_url) {
        audio.current.push(new URL(a.audio_url, location.origin).toString());
        if (!playing.current) playNext();
      }
    });
    q.on('ANNOUNCEMENT', ({ payload: a }) => setBanners((b) => [...b, { id: Math.random(), text: a.message, priority: a.priority, until: Date.now() + a.duration * 1000 }]));
    return q;
  }, []);

  useEffect(() => setBanners((b) => b.filter((x) => x.until > Date.now())), [now]);
  const counters = [...board.entries()].sort(([a], [b]) => a - b);

  return (
    <main class="tv" data-screen="tv">
      <header class="tv-head">
        <h1>Now serving</h1>
        <span class="tv-clock">{new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</span>
        <LinkState state={state} />
        {!document.fullscreenElement && (
          <button class="ghost" onClick={() => void document.documentElement.requestFullscreen().catch(() => undefined)}>
            Full screen
          </button>
        )}
      </header>
      {flash && (
        <div class="tv-flash" role="alert" data-testid="tv-flash">
          Number <strong>{flash.ticket_number}</strong> — please go to <strong>{flash.counter_name}</strong>
        </div>
      )}
      <div class="tv-body">
        <ul class="tv-counters" aria-label="Counters">
          {counters.map(([id, c]) => (
            <li key={id} class={`tv-counter status-${c.status}`} data-counter={id}>
              <span class="tv-counter-name">{c.name}</span>
              <span class="tv-number" data-testid={`serving-${id}`}>
                {c.status === 'active' ? (c.current ?? '–') : c.status === 'paused' ? 'Paused' : 'Closed'}
              </span>
              <span class="tv-waiting">
                {c.waiting} waiting{c.next.length ? ` · next ${c.next.join(', ')}` : ''}
              </span>
            </li>
          ))}
          {!counters.length && <li class="muted">No counters yet</li>}
        </ul>
        <aside class="tv-recent" aria-label="Recent calls">
          <h2>Recent calls</h2>
          <ol data-testid="recent-calls">
            {recent.map((c) => (
              <li key={`${c.counter_id}-${c.ticket_number}`}>
                <strong>{c.ticket_number}</strong> → {c.counter_name}
              </li>
            ))}
          </ol>
        </aside>
      </div>
      <div class="tv-banners" aria-live="assertive">
        {banners.map((b) => (
          <div key={b.id} class={`tv-banner priority-${b.priority}`} data-testid="tv-banner">
            {b.text}
          </div>
        ))}
      </div>
    </main>
  );
}
