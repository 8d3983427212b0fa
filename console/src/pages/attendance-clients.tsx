import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { AttendanceMessages } from '../../../packages/client/src/gateways';
import { Auth, call } from '../api';
import type { LiveFeed } from '../feed';
import { coalesced, dateTime, ErrorText, message, Pager, Section, Table } from '../ui';
import { Face } from './attendance-face';

type ClientFrame = AttendanceMessages['client_update']['data'];
type Client = ClientFrame & { consent?: boolean };
interface Visit {
  id: number;
  datetime: string;
  device_id: string;
  client: number;
  image: string | null;
}

const PAGE = 25;
const who = (c: Client) => [c.gender === 'unknown' ? null : c.gender, c.age === null ? null : `${c.age} y`].filter(Boolean).join(', ') || '–';

/**
 * Visitors (newest first, paged) with their photo and counts; one selected
 * client's visits. Client frames update a row in place; a new client reloads
 * the first page; every visit change ends with its client's client_update,
 * which reloads the selected client's visits.
 */
export function ClientsAndVisits({ auth, feed }: { auth: Auth; feed: LiveFeed }) {
  const [page, setPage] = useState<{ offset: number; rows: Client[] }>({ offset: 0, rows: [] });
  const [selected, setSelected] = useState<number | null>(null);
  const [visits, setVisits] = useState<{ offset: number; rows: Visit[] }>({ offset: 0, rows: [] });
  const [error, setError] = useState<string | null>(null);
  // What the socket handler reads: the state of the latest render.
  const now = useRef({ offset: 0, selected: null as number | null, visitOffset: 0 });
  now.current = { offset: page.offset, selected, visitOffset: visits.offset };

  const { loadClients, loadVisits } = useMemo(
    () => ({
      loadClients: coalesced(() => {
        const offset = now.current.offset;
        return call<Client[]>(auth, 'GET', `/api/attendance/clients?limit=${PAGE}&offset=${offset}`).then(
          (rows) => setPage({ offset, rows }),
          (e) => setError(message(e)),
        );
      }),
      loadVisits: coalesced(() => {
        const { selected: id, visitOffset: offset } = now.current;
        if (id === null) return Promise.resolve();
        return call<Visit[]>(auth, 'GET', `/api/attendance/clients/${id}/visits?limit=${PAGE}&offset=${offset}`).then(
          (rows) => id === now.current.selected && setVisits({ offset, rows }),
          (e) => setError(message(e)),
        );
      }),
    }),
    [auth],
  );

  useEffect(
    () =>
      feed.subscribe((e) => {
        if (e?.gateway !== 'attendance') return;
        const data = (e.frame as { data: ClientFrame }).data;
        if (e.type === 'client_update') {
          setPage((p) => ({ ...p, rows: p.rows.map((c) => (c.id === data.id ? { ...c, ...data } : c)) }));
          if (data.id === now.current.selected) loadVisits();
        } else if (e.type === 'client_create' && now.current.offset === 0) loadClients();
        else if (e.type === 'client_delete') {
          setPage((p) => ({ ...p, rows: p.rows.filter((c) => c.id !== data.id) }));
          if (data.id === now.current.selected) setSelected(null);
        }
      }),
    [feed, loadClients, loadVisits],
  );
  useEffect(() => loadClients(), [page.offset]);
  useEffect(() => loadVisits(), [selected, visits.offset]);

  const show = (id: number) => {
    setError(null);
    setVisits({ offset: 0, rows: [] });
    setSelected(id === selected ? null : id);
  };
  const client = page.rows.find((c) => c.id === selected);

  return (
    <>
      <Section title="Clients" wide>
        <Table
          label="Clients, newest first"
          testId="attendance-clients"
          rows={page.rows}
          rowKey={(c) => c.id}
          current={(c) => c.id === selected}
          empty="No clients yet."
          columns={[
            { title: 'Image', cell: (c) => <Face auth={auth} url={c.image} alt={`Client #${c.id}`} /> },
            { title: 'Client', cell: (c) => `#${c.id}` },
            { title: 'Gender, age', cell: who },
            { title: 'Visits', cell: (c) => <span data-testid={`visit-count-${c.id}`}>{c.visit_count}</span> },
            { title: 'First seen', cell: (c) => dateTime(c.first_seen) },
            { title: 'Last seen', cell: (c) => dateTime(c.last_seen) },
            {
              title: 'Actions',
              cell: (c) => (
                <button aria-pressed={c.id === selected} aria-label={`Visits of client #${c.id}`} onClick={() => show(c.id)}>
                  Visits
                </button>
              ),
            },
          ]}
        />
        <Pager label="Pages of clients" offset={page.offset} size={PAGE} more={page.rows.length === PAGE} onChange={(offset) => setPage({ offset, rows: [] })} />
        <ErrorText error={error} />
      </Section>
      {selected !== null && (
        <Section title={`Visits of client #${selected}${client ? ` (${client.visit_count})` : ''}`} wide>
          <Table
            label={`Visits of client #${selected}, newest first`}
            testId="attendance-visits"
            rows={visits.rows}
            rowKey={(v) => v.id}
            empty="No visits."
            columns={[
              { title: 'When', cell: (v) => dateTime(v.datetime) },
              { title: 'Camera', cell: (v) => v.device_id },
              { title: 'Image', cell: (v) => <Face auth={auth} url={v.image} alt={`Client #${v.client} at ${dateTime(v.datetime)}`} /> },
            ]}
          />
          <Pager label="Pages of visits" offset={visits.offset} size={PAGE} more={visits.rows.length === PAGE} onChange={(offset) => setVisits({ offset, rows: [] })} />
        </Section>
      )}
    </>
  );
}
