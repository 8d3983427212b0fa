import { useEffect, useState } from 'preact/hooks';
import type { Auth } from '../api';
import type { FeedEntry, LiveFeed } from '../feed';
import { Section, time } from '../ui';

/** Every frame the console's admin sockets receive, newest first; filter by gateway or text, pause to read. */
export function EventsPage({ feed }: { auth: Auth; feed: LiveFeed }) {
  const [paused, setPaused] = useState(false);
  const [gateway, setGateway] = useState('');
  const [text, setText] = useState('');
  const [rows, setRows] = useState<FeedEntry[]>([...feed.entries]);
  useEffect(() => (paused ? undefined : (setRows([...feed.entries]), feed.subscribe((e) => e && setRows([...feed.entries])))), [paused]);
  const shown = rows.filter((e) => (!gateway || e.gateway === gateway) && (!text || `${e.type} ${JSON.stringify(e.frame)}`.toLowerCase().includes(text.toLowerCase()))).reverse();
  return (
    <Section
      title="Frames"
      actions={
        <div class="row">
          <label>
            Gateway{' '}
            <select value={gateway} onChange={(e) => setGateway((e.target as HTMLSelectElement).value)}>
              <option value="">all</option>
              <option>queue</option>
              <option>bells</option>
              <option>attendance</option>
            </select>
          </label>
          <label>
            Filter <input value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
          </label>
          <button onClick={() => setPaused(!paused)} aria-pressed={paused}>
            {paused ? 'Resume' : 'Pause'}
          </button>
        </div>
      }
    >
      <ol class="log" data-testid="event-log">
        {shown.map((e) => (
          <li key={e.seq}>
            <span class="muted">{time(e.at)}</span> <span class="badge">{e.gateway}</span> <strong>{e.type}</strong> <code>{JSON.stringify(e.frame)}</code>
          </li>
        ))}
      </ol>
    </Section>
  );
}
