import { useEffect, useState } from 'preact/hooks';
import { connectQueue } from '../../../packages/client/src/gateways';
import { Auth, call, param } from '../api';
import { useConnector } from '../live';
import { CounterInfo, currentTicket, TicketInfo } from '../queue-model';
import { ErrorText, Form, LinkState, message } from '../ui';

/**
 * The officer's panel for one counter: call the next visitor, call again,
 * mark no-show, finish, send to another counter, pause. An officer gets the
 * counter assigned to them; a leader or admin picks one (`?counter=`).
 */
export function OfficerScreen({ auth }: { auth: Auth }) {
  const [counters, setCounters] = useState<CounterInfo[]>([]);
  const [counterId, setCounterId] = useState<number | null>(Number(param('counter')) || null);
  const [tickets, setTickets] = useState<TicketInfo[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [target, setTarget] = useState('');
  const user = auth.user;
  const isOfficer = user?.role === 'officer';

  const loadCounters = () =>
    call<CounterInfo[]>(auth, 'GET', '/api/queue/counters').then(
      (cs) => {
        setCounters(cs);
        if (isOfficer) setCounterId(cs.find((c) => c.officer_ids.includes(user.id))?.id ?? null);
        else setCounterId((id) => id ?? cs[0]?.id ?? null);
      },
      (e) => setError(message(e)),
    );
  const loadTickets = (id = counterId) => (id ? call<TicketInfo[]>(auth, 'GET', `/api/queue/tickets?counter_id=${id}&limit=200`).then(setTickets, (e) => setError(message(e))) : undefined);

  const [, state] = useConnector(() => {
    if (!counterId && isOfficer) return null;
    const q = connectQueue({
      url: location.origin,
      token: () => auth.token(),
      register: { client_type: isOfficer ? 'officer' : 'admin', client_id: `${isOfficer ? 'officer' : 'panel'}-${user?.id ?? 'x'}` },
    });
    q.on('QUEUE_UPDATE', ({ payload }) => {
      setCounters((cs) => cs.map((c) => (c.id === payload.counter_id ? { ...c, waiting_count: payload.waiting_count, current_number: payload.current_number } : c)));
      if (payload.counter_id === counterId) void loadTickets(counterId);
    });
    q.on('COUNTER_STATUS_UPDATE', ({ payload: s }) => setCounters((cs) => cs.map((c) => (c.id === s.counter_id ? { ...c, status: s.status, status_reason: s.reason } : c))));
    q.on('CONNECTION_ACK', () => void loadTickets(counterId));
    return q;
  }, [counterId]);
  useEffect(() => void loadCounters(), []);

  const counter = counters.find((c) => c.id === counterId) ?? null;
  const current = currentTicket(tickets);
  const waiting = tickets.filter((t) => t.status === 'waiting');

  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      await loadTickets();
    } catch (e) {
      setError(message(e));
    }
  };
  const ticketAction = (verb: 'recall' | 'serve' | 'skip' | 'complete') => current && act(() => call(auth, 'POST', `/api/queue/tickets/${current.id}/${verb}`));

  if (!counterId)
    return (
      <main class="officer">
        <p class="muted">{isOfficer ? 'You are not assigned to a counter. Ask an administrator.' : 'No counters yet.'}</p>
        <ErrorText error={error} />
      </main>
    );

  return (
    <main class="officer" data-screen="officer">
      <header class="officer-head">
        {isOfficer ? (
          <h1>{counter?.name ?? 'Counter'}</h1>
        ) : (
          <label>
            Counter{' '}
            <select value={String(counterId)} onChange={(e) => setCounterId(Number((e.target as HTMLSelectElement).value))}>
              {counters.map((c) => (
                <option key={c.id} value={String(c.id)}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <span class={`badge status-${counter?.status}`}>{counter?.status}</span>
        <LinkState state={state} />
      </header>
      <div class="officer-now">
        <p>Now serving</p>
        <p class="officer-number" data-testid="officer-current">
          {current ? current.ticket_number : '–'}
        </p>
        <p class="muted">{current ? `${current.status}${current.procedure_name ? ` · ${current.procedure_name}` : ''}` : `${waiting.length} waiting`}</p>
      </div>
      <div class="officer-actions">
        <button class="primary big" onClick={() => act(() => call(auth, 'POST', `/api/queue/counters/${counterId}/call-next`, {}))} disabled={!waiting.length || counter?.status !== 'active'}>
          Call next
        </button>
        <button onClick={() => ticketAction('recall')} disabled={!current}>
          Call again
        </button>
        <button onClick={() => ticketAction('serve')} disabled={current?.status !== 'called'}>
          Arrived
        </button>
        <button onClick={() => ticketAction('skip')} disabled={!current}>
          No-show
        </button>
        <button onClick={() => ticketAction('complete')} disabled={!current}>
          Done
        </button>
      </div>
      <Form
        class="row"
        onSubmit={() => {
          if (current && target) void act(() => call(auth, 'POST', `/api/queue/tickets/${current.id}/transfer`, { counter_id: Number(target) }));
        }}
      >
        <label>
          Transfer to{' '}
          <select value={target} onChange={(e) => setTarget((e.target as HTMLSelectElement).value)}>
            <option value="">choose a counter</option>
            {counters
              .filter((c) => c.id !== counterId)
              .map((c) => (
                <option key={c.id} value={String(c.id)}>
                  {c.name}
                </option>
              ))}
          </select>
        </label>
        <button disabled={!current || !target}>Transfer</button>
      </Form>
      <Form
        class="row"
        onSubmit={() => {
          const status = counter?.status === 'active' ? 'paused' : 'active';
          void act(() => call(auth, 'PUT', `/api/queue/counters/${counterId}/status`, { status, ...(status === 'paused' && reason ? { reason } : {}) }));
        }}
      >
        {counter?.status === 'active' && (
          <label>
            Reason <input value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} placeholder="Lunch break" />
          </label>
        )}
        <button>{counter?.status === 'active' ? 'Pause' : 'Open'}</button>
      </Form>
      <h2>Waiting ({waiting.length})</h2>
      <ol class="chips" data-testid="officer-waiting">
        {waiting.map((t) => (
          <li key={t.id}>{t.ticket_number}</li>
        ))}
      </ol>
      <ErrorText error={error} />
    </main>
  );
}
