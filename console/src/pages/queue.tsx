import { useEffect, useState } from 'preact/hooks';
import { Auth, call } from '../api';
import type { LiveFeed } from '../feed';
import { CounterInfo, currentTicket, TicketInfo } from '../queue-model';
import { ErrorText, Form, message, Section } from '../ui';

interface Stats {
  total_tickets_today: number;
  active_counters: number;
  average_wait_time: number;
  busiest_counter: { id: number; name: string; queue_length: number } | null;
}
interface Procedure {
  id: number;
  name: string;
  average_service_time: number;
}

type Transfer = { from: number; to: string; placement: string; note: string };

/** Sends the ticket a counter serves to another counter, or to a service's shared line, with where it goes in that line and a note. */
function TransferForm(props: { from: CounterInfo; counters: CounterInfo[]; procedures: Procedure[]; value: Transfer; onChange: (t: Transfer) => void; onCancel: () => void; onSubmit: () => void }) {
  const { from, value, onChange } = props;
  if (!from) return null;
  return (
    <Form
      class="form sub"
      data-testid="transfer-form"
      onSubmit={() => {
        props.onSubmit();
      }}
    >
      <p>
        Transfer number <strong>{from.current_number}</strong> from {from.name}
      </p>
      <label>
        To{' '}
        <select name="transfer-to" required value={value.to} onChange={(e) => onChange({ ...value, to: (e.target as HTMLSelectElement).value })}>
          <option value="">choose</option>
          <optgroup label="Counter">
            {props.counters
              .filter((c) => c.id !== from.id)
              .map((c) => (
                <option key={c.id} value={`counter:${c.id}`}>
                  {c.name}
                </option>
              ))}
          </optgroup>
          <optgroup label="Service (any counter offering it)">
            {props.procedures.map((p) => (
              <option key={p.id} value={`service:${p.id}`}>
                {p.name}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      <label>
        Place in line{' '}
        <select value={value.placement} onChange={(e) => onChange({ ...value, placement: (e.target as HTMLSelectElement).value })}>
          <option value="original">by the time it was taken</option>
          <option value="first">first</option>
          <option value="last">last</option>
        </select>
      </label>
      <label>
        Note <input name="transfer-note" maxLength={500} value={value.note} onInput={(e) => onChange({ ...value, note: (e.target as HTMLInputElement).value })} />
      </label>
      <button class="primary" disabled={!value.to}>
        Transfer
      </button>
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
    </Form>
  );
}

/** The counter floor, live: set it up (services, counters), call, pause with a reason, transfer the ticket being served, announce to chosen TVs, the day's figures. */
export function QueuePage({ auth, feed }: { auth: Auth; feed: LiveFeed }) {
  const [counters, setCounters] = useState<CounterInfo[]>([]);
  const [procedures, setProcedures] = useState<Procedure[]>([]);
  const [stats, setStats] = useState<Stats | null>(null);
  const [tvs, setTvs] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [cform, setCform] = useState({ name: '', procedures: [] as number[] });
  const [pform, setPform] = useState({ name: '', minutes: '10' });
  const [ann, setAnn] = useState({ message: '', priority: 'medium', duration: '30', targets: [] as string[] });
  const [reasons, setReasons] = useState<Record<number, string>>({});
  const [transfer, setTransfer] = useState<{ from: number; to: string; placement: string; note: string } | null>(null);
  const admin = auth.user?.role === 'admin';
  const operator = ['admin', 'leader'].includes(auth.user?.role ?? '');

  const load = () => {
    call<CounterInfo[]>(auth, 'GET', '/api/queue/counters').then(setCounters, (e) => setError(message(e)));
    call<Procedure[]>(auth, 'GET', '/api/queue/procedures').then(setProcedures, () => undefined);
    call<Stats>(auth, 'GET', '/api/queue/stats').then(setStats, () => undefined);
  };
  useEffect(() => {
    load();
    const tvsSeen = () => {
      const m = new Map<string, boolean>();
      for (const e of feed.entries) {
        const p = (e.frame as { payload?: { client_id?: string; client_type?: string } }).payload;
        if (p?.client_type === 'tv') m.set(p.client_id!, e.type === 'CLIENT_CONNECTED');
      }
      setTvs([...m].filter(([, on]) => on).map(([id]) => id));
    };
    tvsSeen();
    return feed.subscribe((e) => {
      if (!e || e.gateway !== 'queue') return;
      const p = (e.frame as { payload: Record<string, unknown> }).payload;
      if (e.type === 'QUEUE_UPDATE')
        setCounters((cs) => cs.map((c) => (c.id === p.counter_id ? { ...c, waiting_count: p.waiting_count as number, current_number: p.current_number as number | null } : c)));
      if (e.type === 'COUNTER_STATUS_UPDATE')
        setCounters((cs) => cs.map((c) => (c.id === p.counter_id ? { ...c, status: p.status as CounterInfo['status'], status_reason: p.reason as string | null } : c)));
      if (e.type === 'STATS_UPDATE') setStats(p as unknown as Stats);
      if (e.type === 'CLIENT_CONNECTED' || e.type === 'CLIENT_DISCONNECTED') tvsSeen();
    });
  }, []);

  const run = async (fn: () => Promise<unknown>, reload = true) => {
    setError(null);
    try {
      await fn();
      if (reload) load();
    } catch (e) {
      setError(message(e));
    }
  };

  return (
    <div class="grid">
      <Section title="Today">
        <dl class="stats" data-testid="queue-stats">
          <dt>Tickets</dt>
          <dd>{stats?.total_tickets_today ?? 0}</dd>
          <dt>Open counters</dt>
          <dd>{stats?.active_counters ?? 0}</dd>
          <dt>Average wait</dt>
          <dd>{stats?.average_wait_time ?? 0} min</dd>
          <dt>Busiest</dt>
          <dd>{stats?.busiest_counter ? `${stats.busiest_counter.name} (${stats.busiest_counter.queue_length})` : '–'}</dd>
        </dl>
      </Section>
      <Section title="Counters" wide>
        <table>
          <thead>
            <tr>
              <th scope="col">Counter</th>
              <th scope="col">Status</th>
              <th scope="col">Serving</th>
              <th scope="col">Waiting</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody data-testid="counters">
            {counters.map((c) => (
              <tr key={c.id} data-counter={c.id}>
                <td>
                  {c.name}
                  <div class="muted">{c.procedures.map((p) => p.name).join(', ')}</div>
                </td>
                <td>
                  <span class={`badge status-${c.status}`}>{c.status}</span> {c.status_reason ?? ''}
                </td>
                <td>{c.current_number ?? '–'}</td>
                <td>{c.waiting_count}</td>
                <td class="row">
                  <button disabled={!c.waiting_count || c.status !== 'active'} onClick={() => void run(() => call(auth, 'POST', `/api/queue/counters/${c.id}/call-next`, {}))}>
                    Call next
                  </button>
                  {c.status === 'active' ? (
                    <>
                      <input
                        aria-label={`Pause reason for ${c.name}`}
                        placeholder="reason"
                        value={reasons[c.id] ?? ''}
                        onInput={(e) => setReasons({ ...reasons, [c.id]: (e.target as HTMLInputElement).value })}
                      />
                      <button onClick={() => void run(() => call(auth, 'PUT', `/api/queue/counters/${c.id}/status`, { status: 'paused', ...(reasons[c.id] ? { reason: reasons[c.id] } : {}) }))}>
                        Pause
                      </button>
                    </>
                  ) : (
                    <button onClick={() => void run(() => call(auth, 'PUT', `/api/queue/counters/${c.id}/status`, { status: 'active' }))}>Open</button>
                  )}
                  {operator && c.current_number !== null && (
                    <button aria-label={`Transfer the ticket ${c.name} serves`} onClick={() => setTransfer({ from: c.id, to: '', placement: 'original', note: '' })}>
                      Transfer
                    </button>
                  )}
                  <a href={`/console/screens/officer?counter=${c.id}`}>Panel</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {transfer && (
          <TransferForm
            from={counters.find((c) => c.id === transfer.from)!}
            counters={counters}
            procedures={procedures}
            value={transfer}
            onChange={setTransfer}
            onCancel={() => setTransfer(null)}
            onSubmit={() =>
              void run(async () => {
                // The ticket the counter serves now: the latest one called or being served there.
                const ticket = currentTicket(await call<TicketInfo[]>(auth, 'GET', `/api/queue/tickets?counter_id=${transfer.from}&limit=200`));
                if (!ticket) throw new Error('This counter is not serving a ticket any more');
                const [kind, id] = transfer.to.split(':');
                await call(auth, 'POST', `/api/queue/tickets/${ticket.id}/transfer`, {
                  [kind === 'service' ? 'service_id' : 'counter_id']: Number(id),
                  placement: transfer.placement,
                  ...(transfer.note ? { note: transfer.note } : {}),
                });
                setTransfer(null);
              })
            }
          />
        )}
        <p>
          Screens: <a href="/console/screens/tv">TV</a> · <a href="/console/screens/kiosk">kiosk</a> (open them with a device token from Devices, or logged in)
        </p>
      </Section>
      {operator && (
        <Section title="Announcement">
          <Form
            class="form"
            onSubmit={() => {
              void run(() => call(auth, 'POST', '/api/queue/announcements', { message: ann.message, priority: ann.priority, duration: Number(ann.duration), target_displays: ann.targets }), false);
            }}
          >
            <label>
              Message <input required value={ann.message} onInput={(e) => setAnn({ ...ann, message: (e.target as HTMLInputElement).value })} />
            </label>
            <label>
              Priority{' '}
              <select value={ann.priority} onChange={(e) => setAnn({ ...ann, priority: (e.target as HTMLSelectElement).value })}>
                <option>high</option>
                <option>medium</option>
                <option>low</option>
              </select>
            </label>
            <label>
              Seconds <input inputMode="numeric" value={ann.duration} onInput={(e) => setAnn({ ...ann, duration: (e.target as HTMLInputElement).value })} />
            </label>
            <fieldset>
              <legend>TVs (none chosen: all)</legend>
              {tvs.map((t) => (
                <label key={t}>
                  <input
                    type="checkbox"
                    checked={ann.targets.includes(t)}
                    onChange={(e) => setAnn({ ...ann, targets: (e.target as HTMLInputElement).checked ? [...ann.targets, t] : ann.targets.filter((x) => x !== t) })}
                  />{' '}
                  {t}
                </label>
              ))}
            </fieldset>
            <button class="primary">Send</button>
          </Form>
        </Section>
      )}
      {admin && (
        <Section title="Set up">
          <Form
            class="form"
            onSubmit={() => {
              void run(async () => {
                await call(auth, 'POST', '/api/queue/procedures', { name: pform.name, average_service_time: Number(pform.minutes) });
                setPform({ ...pform, name: '' });
              });
            }}
          >
            <label>
              Service <input name="procedure-name" required value={pform.name} onInput={(e) => setPform({ ...pform, name: (e.target as HTMLInputElement).value })} />
            </label>
            <label>
              Usual minutes <input inputMode="numeric" value={pform.minutes} onInput={(e) => setPform({ ...pform, minutes: (e.target as HTMLInputElement).value })} />
            </label>
            <button>Add service</button>
          </Form>
          <Form
            class="form"
            onSubmit={() => {
              void run(async () => {
                await call(auth, 'POST', '/api/queue/counters', { name: cform.name, procedures: cform.procedures });
                setCform({ name: '', procedures: [] });
              });
            }}
          >
            <label>
              Counter <input name="counter-name" required value={cform.name} onInput={(e) => setCform({ ...cform, name: (e.target as HTMLInputElement).value })} />
            </label>
            <fieldset>
              <legend>Services</legend>
              {procedures.map((p) => (
                <label key={p.id}>
                  <input
                    type="checkbox"
                    checked={cform.procedures.includes(p.id)}
                    onChange={(e) => setCform({ ...cform, procedures: (e.target as HTMLInputElement).checked ? [...cform.procedures, p.id] : cform.procedures.filter((x) => x !== p.id) })}
                  />{' '}
                  {p.name}
                </label>
              ))}
            </fieldset>
            <button class="primary">Add counter</button>
          </Form>
        </Section>
      )}
      <ErrorText error={error} />
    </div>
  );
}
