import type { LogLine, LogsOptions } from '../targets/logs.ts';
import type { EventStream } from './sse.ts';

/** How a Resource's log is read: the target's own log reading (`Target.logs`, as `clockwork logs` reads it). */
export type ReadLogs = (options: LogsOptions) => AsyncIterable<LogLine>;

/**
 * A Resource's log over server-sent events: `line` events ({ at, text, kind }) — `kind: 'event'`
 * is Clockwork's note about the container (exited, restarted, replaced) — then `end` when it is
 * not followed. A followed log goes on across restarts and replacements until the page closes it.
 */
export async function streamLogs(options: { readLogs: ReadLogs; stream: EventStream; namespace: string; name: string; tail: number; follow: boolean }): Promise<void> {
  const { stream } = options;
  let sent = 0;
  stream.send('status', { following: options.follow, message: options.follow ? 'following' : 'the last lines' });
  try {
    for await (const line of options.readLogs({ namespace: options.namespace, resources: [options.name], tail: options.tail, follow: options.follow, signal: stream.signal })) {
      sent++;
      stream.send('line', { ...(line.time ? { at: line.time } : {}), text: line.text, kind: line.kind });
    }
  } catch (error) {
    if (!stream.signal.aborted) stream.send('status', { following: false, message: `the log could not be read: ${(error as Error).message}` });
  }
  if (!stream.signal.aborted) stream.send('end', { lines: sent });
  stream.close();
}
