import { useEffect, useRef, useState } from 'preact/hooks';
import { connectBells } from '../../../packages/client/src/gateways';
import { Auth, call, param } from '../api';
import { useConnector, useTick } from '../live';
import { LinkState, time } from '../ui';

interface Upcoming {
  name: string;
  at: string;
  soundId: string | null;
  checksum: string | null;
}

/**
 * Sounds kept by checksum: in the Cache API where the page is a secure
 * context (localhost, HTTPS), in memory otherwise; a sound changes its
 * checksum when its file changes, so a cached copy is never stale.
 */
class SoundCache {
  private readonly memory = new Map<string, string>();
  constructor(private readonly auth: Auth) {}

  async url(soundId: string, checksum: string): Promise<string> {
    const hit = this.memory.get(checksum);
    if (hit) return hit;
    const key = `${location.origin}/console/sound-cache/${checksum}`;
    const store = 'caches' in globalThis ? await caches.open('switchboard-bells') : null;
    let res = await store?.match(key);
    if (!res) {
      res = await fetch(`/api/bells/sounds/${soundId}/file`, { headers: { authorization: `Bearer ${await this.auth.token()}` } });
      if (!res.ok) throw new Error(`sound ${soundId}: HTTP ${res.status}`);
      await store?.put(key, res.clone());
    }
    const url = URL.createObjectURL(await res.blob());
    this.memory.set(checksum, url);
    return url;
  }

  get size(): number {
    return this.memory.size;
  }
}

/** A bell player: fetches the day's sounds ahead (bells_prewarm), plays on bell_triggered, acknowledges, shows the next bell. */
export function BellPlayerScreen({ auth }: { auth: Auth }) {
  const [upcoming, setUpcoming] = useState<Upcoming[]>([]);
  const [last, setLast] = useState<{ name: string; kind: string; at: string; played: boolean } | null>(null);
  const [cached, setCached] = useState(0);
  const [paused, setPaused] = useState(false);
  const [unlocked, setUnlocked] = useState(false);
  const cache = useRef(new SoundCache(auth)).current;
  const playing = useRef<HTMLAudioElement | null>(null);
  useTick(1000);

  const checksumOf = async (soundId: string) => upcoming.find((u) => u.soundId === soundId)?.checksum ?? (await call<{ checksum: string }>(auth, 'GET', `/api/bells/sounds/${soundId}`)).checksum;

  const [bells, state] = useConnector(() => {
    const b = connectBells({ url: location.origin, token: () => auth.token(), clientType: 'client', clientName: param('name') ?? 'Bell player' });
    b.onOpen(() => b.send({ type: 'register', payload: { client_type: 'client', client_name: param('name') ?? 'Bell player', zone: param('zone') } }));
    b.on('bells_prewarm', ({ payload }) => {
      setUpcoming(payload.bells);
      void Promise.all(payload.bells.filter((x) => x.soundId && x.checksum).map((x) => cache.url(x.soundId!, x.checksum!).catch(() => null))).then(() => setCached(cache.size));
    });
    b.on('system_state_changed', ({ payload }) => setPaused(payload.state === 'paused'));
    return b;
  }, []);

  useEffect(() => {
    if (!bells) return;
    return bells.on('bell_triggered', ({ payload: t }) => {
      setLast({ name: t.name, kind: t.kind, at: new Date().toISOString(), played: false });
      void (async () => {
        let status: 'played' | 'failed' = 'played';
        try {
          const url = await cache.url(t.soundId, await checksumOf(t.soundId));
          setCached(cache.size);
          if (t.override) playing.current?.pause();
          const a = new Audio(url);
          playing.current = a;
          await a.play();
          setLast((l) => l && { ...l, played: true });
        } catch {
          status = 'failed';
        }
        bells.send({ type: 'bell_ack', payload: { ring_id: t.ringId, status } });
      })();
    });
  }, [bells, upcoming]);

  const next = upcoming.find((u) => new Date(u.at).getTime() > Date.now());
  return (
    <main class="player" data-screen="bells">
      <header class="officer-head">
        <h1>Bell player</h1>
        <LinkState state={state} />
        {paused && <span class="badge status-paused">Bells paused</span>}
      </header>
      {!unlocked && (
        <button class="primary big" onClick={() => setUnlocked(true)}>
          Start sound
        </button>
      )}
      <div class="player-grid">
        <div class="card">
          <h2>Next bell</h2>
          <p class="player-next" data-testid="next-bell">
            {next ? `${next.name} at ${time(next.at)}` : 'No more bells today'}
          </p>
        </div>
        <div class="card" aria-live="assertive">
          <h2>Last bell</h2>
          <p class="player-next" data-testid="last-bell">
            {last ? `${last.name} (${last.kind}) at ${time(last.at)}` : '–'}
          </p>
        </div>
        <div class="card">
          <h2>Sounds cached</h2>
          <p class="player-next">{cached}</p>
        </div>
      </div>
    </main>
  );
}
