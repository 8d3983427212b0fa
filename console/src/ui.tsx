import type { ComponentChildren } from 'preact';
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
