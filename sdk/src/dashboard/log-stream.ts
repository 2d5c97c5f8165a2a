import type { LiveDashboard } from './live-dashboard.ts';
import type { DashboardSource } from './sources/source.ts';
import type { EventStream } from './sse.ts';
import { isAfter } from './sources/log-lines.ts';

/** How long to wait, at least, between two attempts at a log that ended or is not there. */
const RETRY_MS = 1000;

/**
 * A Resource's log over server-sent events: `line` events ({ at, text }), and `status` events
 * saying whether it is followed. With `follow`, a log that ends (the container stopped or
 * restarted, the Pod was replaced) is read again after the next change the dashboard sees, from
 * the last line sent: a restarted workload's new lines follow its old ones.
 */
export async function streamLogs(options: { source: DashboardSource; dashboard: LiveDashboard; stream: EventStream; namespace: string; name: string; tailLines: number; follow: boolean }): Promise<void> {
  const { source, dashboard, stream, namespace, name } = options;
  const signal = stream.signal;
  let last: string | undefined;
  let sent = 0;
  let status = '';
  const say = (following: boolean, message: string) => {
    if (message === status) return;
    status = message;
    stream.send('status', { following, message });
  };
  while (!signal.aborted) {
    try {
      say(options.follow, options.follow ? 'following' : 'the last lines');
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
      say(false, 'the workload is not running; its log is followed again when it runs');
    } catch (error) {
      say(false, `${(error as Error).message}${options.follow ? '; trying again when the workload changes' : ''}`);
      if (!options.follow) break;
    }
    await dashboard.nextChange(signal);
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
  if (!signal.aborted) stream.send('end', { lines: sent });
  stream.close();
}
