import { useEffect, useState } from 'preact/hooks';
import { connectQueue } from '../../../packages/client/src/gateways';
import { Auth, call, param } from '../api';
import { stableId } from '../device-id';
import { useConnector } from '../live';
import { ErrorText, LinkState } from '../ui';

interface Counter {
  id: number;
  name: string;
  status: string;
  procedures: Array<{ id: number; name: string }>;
}
interface Ticket {
  ticket_number: number;
  counter_name: string;
  procedure_name: string | null;
  estimated_wait_time: number;
}

/**
 * The ticket kiosk: one big button per service; a tap takes a ticket at the
 * open counter that offers it and shows the number and the estimated wait.
 */
export function KioskScreen({ auth }: { auth: Auth }) {
  const [counters, setCounters] = useState<Counter[]>([]);
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = () => call<Counter[]>(auth, 'GET', '/api/queue/counters').then(setCounters, (e) => setError(String(e.message)));
  const [queue, state] = useConnector(() => {
    const q = connectQueue({ url: location.origin, token: () => auth.token(), register: { client_type: 'kiosk', client_id: param('id') ?? stableId('kiosk') } });
    q.on('COUNTER_STATUS_UPDATE', ({ payload: s }) => setCounters((cs) => (cs.some((c) => c.id === s.counter_id) ? cs.map((c) => (c.id === s.counter_id ? { ...c, status: s.status } : c)) : cs)));
    q.on('CONNECTION_ACK', () => void load());
    q.on('TICKET_CREATED', ({ payload: t }) => {
      setBusy(false);
      setTicket(t);
      setTimeout(() => setTicket((x) => (x === t ? null : x)), 20_000);
    });
    q.onError((e) => {
      if (e.kind !== 'server') return;
      setBusy(false);
      setError(e.code === 'COUNTER_PAUSED' ? 'This service is closed for now. Please ask at the desk.' : e.message);
    });
    return q;
  }, []);
  useEffect(() => void load(), []);

  // One choice per service (procedure), at the first open counter that offers it; a counter without services is a choice of its own.
  const choices: Array<{ label: string; counter: Counter; procedure: string | null }> = [];
  for (const c of counters) {
    if (!c.procedures.length) choices.push({ label: c.name, counter: c, procedure: null });
    for (const p of c.procedures) {
      const same = choices.find((x) => x.procedure === p.name);
      if (!same) choices.push({ label: p.name, counter: c, procedure: p.name });
      else if (same.counter.status !== 'active' && c.status === 'active') same.counter = c;
    }
  }

  const take = (counter: Counter, procedure: string | null) => {
    setError(null);
    if (!queue?.send({ type: 'TICKET_CREATED', payload: { counter_id: counter.id, ...(procedure ? { procedure_name: procedure } : {}) } })) return setError('Reconnecting, please wait a moment.');
    setBusy(true);
  };

  return (
    <main class="kiosk" data-screen="kiosk">
      <header class="kiosk-head">
        <h1>Take a ticket</h1>
        <LinkState state={state} />
      </header>
      {ticket ? (
        <div class="kiosk-ticket" role="status" data-testid="kiosk-ticket">
          <p>Your number</p>
          <p class="kiosk-number">{ticket.ticket_number}</p>
          <p>
            {ticket.procedure_name ?? ticket.counter_name} · {ticket.counter_name}
          </p>
          <p data-testid="kiosk-wait">Estimated wait: {ticket.estimated_wait_time ? `about ${Math.round(ticket.estimated_wait_time)} min` : 'you are next'}</p>
          <button onClick={() => setTicket(null)}>Done</button>
        </div>
      ) : (
        <ul class="kiosk-choices">
          {choices.map((c) => (
            <li key={c.label}>
              <button class="kiosk-choice" disabled={busy || c.counter.status !== 'active'} onClick={() => take(c.counter, c.procedure)}>
                {c.label}
                {c.counter.status !== 'active' && <small> (closed)</small>}
              </button>
            </li>
          ))}
          {!choices.length && <li class="muted">No services are open.</li>}
        </ul>
      )}
      <ErrorText error={error} />
    </main>
  );
}
