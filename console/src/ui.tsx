import type { ComponentChildren, JSX } from 'preact';
import type { ConnectionState } from '../../packages/client/src/connector';

/** The link state, announced to screen readers when it changes. */
export function LinkState({ state }: { state: ConnectionState }) {
  const label = state === 'open' ? 'Live' : state === 'closed' ? 'Stopped' : 'Reconnecting…';
  return (
    <span class={`link link-${state}`} role="status" aria-live="polite" data-state={state}>
      {label}
    </span>
  );
}

export function ErrorText({ error }: { error: string | null }) {
  return error ? (
    <p class="error" role="alert">
      {error}
    </p>
  ) : null;
}

/** A card of a page; `wide` spans the page's whole width (long tables). */
export function Section({ title, children, actions, wide }: { title: string; children: ComponentChildren; actions?: ComponentChildren; wide?: boolean }) {
  return (
    <section class={wide ? 'card wide' : 'card'} aria-label={title}>
      <header class="card-head">
        <h2>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}

export const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export const time = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }) : '–');

export const dateTime = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'medium' }) : '–');

export interface Column<T> {
  title: string;
  cell: (row: T) => ComponentChildren;
}

/**
 * A data table with real header cells, named for screen readers by `label`;
 * `current` marks the row the page works on (aria-current). `empty` is shown
 * in one full-width cell when there are no rows.
 */
export function Table<T>({
  label,
  columns,
  rows,
  rowKey,
  empty,
  testId,
  current,
}: {
  label: string;
  columns: Array<Column<T>>;
  rows: T[];
  rowKey: (row: T) => string | number;
  empty: string;
  testId?: string;
  current?: (row: T) => boolean;
}) {
  return (
    <table aria-label={label}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th scope="col" key={c.title}>
              {c.title}
            </th>
          ))}
        </tr>
      </thead>
      <tbody data-testid={testId}>
        {rows.map((r) => (
          <tr key={rowKey(r)} aria-current={current?.(r) ? 'true' : undefined}>
            {columns.map((c) => (
              <td key={c.title}>{c.cell(r)}</td>
            ))}
          </tr>
        ))}
        {!rows.length && (
          <tr>
            <td class="muted" colSpan={columns.length}>
              {empty}
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

/** Previous/next over an offset-paged list; `more`: the last page came back full, so there may be another. */
export function Pager({ label, offset, size, more, onChange }: { label: string; offset: number; size: number; more: boolean; onChange: (offset: number) => void }) {
  return (
    <nav class="row" aria-label={label}>
      <button disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - size))}>
        Previous
      </button>
      <span class="muted">Page {Math.floor(offset / size) + 1}</span>
      <button disabled={!more} onClick={() => onChange(offset + size)}>
        Next
      </button>
    </nav>
  );
}

/**
 * `fn` run at most once at a time: a call while it runs makes it run once more
 * afterwards (a burst of frames costs two reloads, and the last one sees them all).
 */
export function coalesced(fn: () => Promise<unknown>): () => void {
  let running = false;
  let again = false;
  const run = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    void fn()
      .catch(() => undefined)
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          run();
        }
      });
  };
  return run;
}

/** A form whose submit runs `onSubmit` (given the form element) on the page instead of navigating. */
export function Form({ onSubmit, children, ...attributes }: Omit<JSX.HTMLAttributes<HTMLFormElement>, 'onSubmit'> & { onSubmit: (form: HTMLFormElement) => void }) {
  return (
    <form
      {...attributes}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(e.currentTarget);
      }}
    >
      {children}
    </form>
  );
}
