import { useEffect, useState } from 'preact/hooks';
import type { DashboardSnapshot } from '../dashboard/dashboard-model.ts';

export type Connection = 'connecting' | 'live' | 'reconnecting';

/**
 * The dashboard's state, pushed by the server over server-sent events (`/api/events`): one
 * `stacks` event per change. No polling; the browser reconnects by itself when the server is back.
 */
export function useLiveSnapshot(): { snapshot: DashboardSnapshot | undefined; connection: Connection } {
  const [snapshot, setSnapshot] = useState<DashboardSnapshot>();
  const [connection, setConnection] = useState<Connection>('connecting');
  useEffect(() => {
    const source = new EventSource('/api/events');
    source.addEventListener('stacks', (e) => {
      setSnapshot(JSON.parse((e as MessageEvent<string>).data) as DashboardSnapshot);
      setConnection('live');
    });
    source.onopen = () => setConnection('live');
    source.onerror = () => setConnection('reconnecting');
    return () => source.close();
  }, []);
  return { snapshot, connection };
}

/** The time now, moved on every second (for "3 s ago"). */
export function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}
