import { useEffect, useRef, useState } from 'preact/hooks';
import type { ConnectionState } from '../../packages/client/src/connector';

interface Connected {
  state: ConnectionState;
  reconnect(): void;
  onState(fn: (s: ConnectionState) => void): () => void;
  close(): void;
}

/** Whether the browser says it has a network (the `online`/`offline` events). */
export function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    addEventListener('online', on);
    addEventListener('offline', off);
    return () => {
      removeEventListener('online', on);
      removeEventListener('offline', off);
    };
  }, []);
  return online;
}

/**
 * Opens a connector for the component's lifetime and tracks its state. The
 * connector reconnects by itself after a drop; when the browser reports the
 * network gone or back, the socket is dropped and opened again at once
 * rather than left to a missed heartbeat or a long backoff. The connector
 * keeps its stream positions, so the server replays what was missed, and the
 * queue's welcome snapshot brings the screen up to date.
 */
export function useConnector<C extends Connected>(open: () => C | null, deps: unknown[]): [C | null, ConnectionState] {
  const online = useOnline();
  const [conn, setConn] = useState<C | null>(null);
  const [state, setState] = useState<ConnectionState>('connecting');
  const seen = useRef(online);
  useEffect(() => {
    const c = open();
    if (!c) return;
    setConn(c);
    setState(c.state);
    const off = c.onState(setState);
    return () => {
      off();
      c.close();
      setConn(null);
    };
  }, deps);
  useEffect(() => {
    if (seen.current === online) return;
    seen.current = online;
    conn?.reconnect();
  }, [online, conn]);
  return [conn, state];
}

/** A number that goes up each `ms`: re-renders clocks and countdowns. */
export function useTick(ms: number): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setN((x) => x + 1), ms);
    return () => clearInterval(t);
  }, [ms]);
  return n;
}
