import type { DashboardSnapshot } from './dashboard-model.ts';
import type { LiveDashboard } from './live-dashboard.ts';
import type { DashboardSource } from './sources/source.ts';
import type { EventStream } from './sse.ts';
import { isAfter } from './sources/log-lines.ts';

/** How long to wait, at least, between two attempts at a log that is not there. */
const RETRY_MS = 500;

/**
 * A Resource's log over server-sent events: `line` events ({ at, text }), and `status` events
 * saying whether it is followed. With `follow`, a log that ends (the container stopped, the Pod
 * was replaced) is followed again once the workload changes, from where it stopped.
 */
export async function streamLogs(options: { source: DashboardSource; dashboard: LiveDashboard; stream: EventStream; namespace: string; name: string; tailLines: number; follow: boolean }): Promise<void> {
  const { source, dashboard, stream, namespace, name } = options;
  const signal = stream.signal;
  let last: string | undefined;
  let sent = 0;
  while (!signal.aborted) {
    const workloadBefore = workloadOf(dashboard.snapshot, namespace, name);
    try {
      stream.send('status', { following: options.follow, message: options.follow ? 'following' : 'the last lines' });
      await source.readLogs(namespace, name, {
        ...(last ? { sinceTime: last } : { tailLines: options.tailLines }),
        follow: options.follow,
        signal,
        onLine: (line) => {
          if (last && line.at && !isAfter(line.at, last)) return;
          if (line.at) last = line.at;
          sent++;
          stream.send('line', line);
        },
      });
      if (!options.follow) break;
      stream.send('status', { following: false, message: 'the log ended (the workload stopped); it is followed again when the workload runs' });
    } catch (error) {
      stream.send('status', { following: false, message: `${(error as Error).message}${options.follow ? '; trying again when the workload changes' : ''}` });
      if (!options.follow) break;
    }
    // Wait for the workload to change (started again, replaced), then read on from the last line.
    await dashboard.waitFor((snapshot) => workloadOf(snapshot, namespace, name) !== workloadBefore, signal);
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
  if (!signal.aborted) stream.send('end', { lines: sent });
  stream.close();
}

function workloadOf(snapshot: DashboardSnapshot, namespace: string, name: string): string {
  const resource = snapshot.stacks.find((s) => s.namespace === namespace)?.resources.find((r) => r.name === name);
  return resource?.workload ? `${resource.workload.name}|${resource.workload.state}` : 'none';
}
