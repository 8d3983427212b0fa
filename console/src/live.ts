import { useEffect, useState } from 'preact/hooks';
import type { ConnectionState } from '../../packages/client/src/connector';

interface Connected {
  state: ConnectionState;
  onState(fn: (s: ConnectionState) => void): () => void;
  close(): void;
}

/** Opens a connector for the component's lifetime and tracks its state (the connector reconnects by itself). */
export function useConnector<C extends Connected>(open: () => C | null, deps: unknown[]): [C | null, ConnectionState] {
  const [conn, setConn] = useState<C | null>(null);
  const [state, setState] = useState<ConnectionState>('connecting');
  useEffect(() => {
    const c = open();
    if (!c) return;
    setConn(c);
    setState(c.state);
    const off = c.onState(setState);
    return () => {
      off();
      c.close();
    };
  }, deps);
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
